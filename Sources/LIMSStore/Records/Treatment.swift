/// A reclamation treatment: control, or an organic amendment plus a plant.
public struct Treatment: Sendable, Equatable {
    public var id: Int64 = 0
    public var siteCode: String
    public var code: String
    public var name: String?
    public var amendment: String?
    public var amendmentRateKgPerM2: Double?
    public var amendedOn: String?
    public var plant: String?
    public var plantedOn: String?
    public var description: String?

    public init(siteCode: String, code: String, name: String? = nil, amendment: String? = nil,
                amendmentRateKgPerM2: Double? = nil, amendedOn: String? = nil, plant: String? = nil,
                plantedOn: String? = nil, description: String? = nil) {
        self.siteCode = siteCode; self.code = code; self.name = name; self.amendment = amendment
        self.amendmentRateKgPerM2 = amendmentRateKgPerM2; self.amendedOn = amendedOn
        self.plant = plant; self.plantedOn = plantedOn; self.description = description
    }

    init(row: Row) {
        self.init(siteCode: row.string("site_code") ?? "", code: row.string("code") ?? "",
                  name: row.string("name"), amendment: row.string("amendment"),
                  amendmentRateKgPerM2: row.double("amendment_rate_kg_m2"), amendedOn: row.string("amended_on"),
                  plant: row.string("plant"), plantedOn: row.string("planted_on"),
                  description: row.string("description"))
        id = row.int64("id") ?? 0
    }
}

extension LabStore {
    static let treatmentSelect = """
        SELECT t.*, s.code AS site_code FROM treatment t JOIN site s ON s.id = t.site_id
        """

    @discardableResult
    public func addTreatment(_ treatment: Treatment) throws -> Treatment {
        try Validate.code(treatment.code, field: "treatment code")
        if let rate = treatment.amendmentRateKgPerM2 {
            try Validate.nonNegative(rate, field: "amendment rate", unit: "kg/m2")
        }
        try Validate.date(treatment.amendedOn, field: "amended on")
        try Validate.date(treatment.plantedOn, field: "planted on")
        return try write {
            let site = try requireSite(code: treatment.siteCode)
            if let existing = try self.treatment(code: treatment.code) {
                throw StoreError.duplicate(kind: "treatment", key: treatment.code, registered: existing.code)
            }
            let id = try db.insert("""
                INSERT INTO treatment (site_id, code, name, amendment, amendment_rate_kg_m2, amended_on,
                                       plant, planted_on, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [site.id, treatment.code, treatment.name, treatment.amendment, treatment.amendmentRateKgPerM2,
                      treatment.amendedOn, treatment.plant, treatment.plantedOn, treatment.description])
            var saved = treatment
            saved.id = id
            try audit(action: "insert", table: "treatment", recordID: saved.id,
                      summary: "treatment \(treatment.code) added at site \(treatment.siteCode)",
                      newValue: ["code": treatment.code, "site": treatment.siteCode])
            return saved
        }
    }

    public func treatment(code: String) throws -> Treatment? {
        // Ignoring case, as everywhere (registeredCode); the exact code is tried first.
        if let row = try db.firstRow(Self.treatmentSelect + " WHERE t.code = ?", [code]) { return Treatment(row: row) }
        guard let registered = try registeredCode(.treatment, matching: code) else { return nil }
        return try db.firstRow(Self.treatmentSelect + " WHERE t.code = ?", [registered]).map(Treatment.init(row:))
    }

    public func requireTreatment(code: String) throws -> Treatment {
        if let treatment = try treatment(code: code) { return treatment }
        throw StoreError.notFound(kind: "treatment", key: code,
                                  suggestions: try suggestions(table: .treatment, for: code))
    }

    public func treatments(siteCode: String? = nil) throws -> [Treatment] {
        let siteCode = try siteCode.map { try requireSite(code: $0).code }
        return try db.rows(Self.treatmentSelect + " WHERE (?1 IS NULL OR s.code = ?1) ORDER BY t.id", [siteCode])
            .map(Treatment.init(row:))
    }
}
