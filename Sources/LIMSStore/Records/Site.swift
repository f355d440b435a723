/// A field site (e.g. the Dingnan demonstration site).
public struct Site: Sendable, Equatable {
    public var id: Int64 = 0
    public var code: String
    public var name: String?
    public var county: String?
    public var province: String?
    public var country: String?
    public var latitude: Double?
    public var longitude: Double?
    public var description: String?

    public init(code: String, name: String? = nil, county: String? = nil, province: String? = nil,
                country: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                description: String? = nil) {
        self.code = code; self.name = name; self.county = county; self.province = province
        self.country = country; self.latitude = latitude; self.longitude = longitude
        self.description = description
    }

    init(row: Row) {
        self.init(code: row.string("code") ?? "", name: row.string("name"), county: row.string("county"),
                  province: row.string("province"), country: row.string("country"),
                  latitude: row.double("latitude"), longitude: row.double("longitude"),
                  description: row.string("description"))
        id = row.int64("id") ?? 0
    }
}

extension LabStore {
    @discardableResult
    public func addSite(_ site: Site) throws -> Site {
        try Validate.code(site.code, field: "site code")
        if let lat = site.latitude { try Validate.range(lat, -90...90, field: "latitude", unit: "degrees") }
        if let lon = site.longitude { try Validate.range(lon, -180...180, field: "longitude", unit: "degrees") }
        return try write {
            if let existing = try self.site(code: site.code) { throw StoreError.duplicate(kind: "site", key: site.code, registered: existing.code) }
            let id = try db.insert("""
                INSERT INTO site (code, name, county, province, country, latitude, longitude, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [site.code, site.name, site.county, site.province, site.country,
                      site.latitude, site.longitude, site.description])
            var saved = site
            saved.id = id
            try audit(action: "insert", table: "site", recordID: saved.id, summary: "site \(site.code) added",
                      newValue: ["code": site.code, "name": site.name as Any])
            return saved
        }
    }

    public func site(code: String) throws -> Site? {
        // Ignoring case, as everywhere (registeredCode); the exact code is tried first.
        if let row = try db.firstRow("SELECT * FROM site WHERE code = ?", [code]) { return Site(row: row) }
        guard let registered = try registeredCode(.site, matching: code) else { return nil }
        return try db.firstRow("SELECT * FROM site WHERE code = ?", [registered]).map(Site.init(row:))
    }

    public func requireSite(code: String) throws -> Site {
        if let site = try site(code: code) { return site }
        throw StoreError.notFound(kind: "site", key: code, suggestions: try suggestions(table: .site, for: code))
    }

    public func sites() throws -> [Site] {
        try db.rows("SELECT * FROM site ORDER BY code").map(Site.init(row:))
    }
}
