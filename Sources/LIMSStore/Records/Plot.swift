/// A field plot of a treatment (a 2 x 2 m replicate plot, or a pit in a field).
public struct Plot: Sendable, Equatable {
    public var id: Int64 = 0
    public var treatmentCode: String
    public var code: String
    public var replicate: Int?
    public var areaM2: Double?
    public var description: String?

    public init(treatmentCode: String, code: String, replicate: Int? = nil, areaM2: Double? = nil,
                description: String? = nil) {
        self.treatmentCode = treatmentCode; self.code = code; self.replicate = replicate
        self.areaM2 = areaM2; self.description = description
    }

    init(row: Row) {
        self.init(treatmentCode: row.string("treatment_code") ?? "", code: row.string("code") ?? "",
                  replicate: row.int("replicate"), areaM2: row.double("area_m2"),
                  description: row.string("description"))
        id = row.int64("id") ?? 0
    }
}

extension LabStore {
    static let plotSelect = """
        SELECT p.*, t.code AS treatment_code FROM plot p JOIN treatment t ON t.id = p.treatment_id
        """

    @discardableResult
    public func addPlot(_ plot: Plot) throws -> Plot {
        try Validate.code(plot.code, field: "plot code")
        if let replicate = plot.replicate, replicate < 1 {
            throw StoreError.invalidValue(field: "replicate", value: String(replicate), expected: "a whole number ≥ 1")
        }
        if let area = plot.areaM2 { try Validate.positive(area, field: "area", unit: "m2") }
        return try write {
            let treatment = try requireTreatment(code: plot.treatmentCode)
            if let existing = try self.plot(code: plot.code) { throw StoreError.duplicate(kind: "plot", key: plot.code, registered: existing.code) }
            let id = try db.insert("""
                INSERT INTO plot (treatment_id, code, replicate, area_m2, description) VALUES (?, ?, ?, ?, ?) RETURNING id
                """, [treatment.id, plot.code, plot.replicate, plot.areaM2, plot.description])
            var saved = plot
            saved.id = id
            try audit(action: "insert", table: "plot", recordID: saved.id,
                      summary: "plot \(plot.code) added to treatment \(plot.treatmentCode)",
                      newValue: ["code": plot.code, "treatment": plot.treatmentCode])
            return saved
        }
    }

    public func plot(code: String) throws -> Plot? {
        // Ignoring case, as everywhere (registeredCode); the exact code is tried first.
        if let row = try db.firstRow(Self.plotSelect + " WHERE p.code = ?", [code]) { return Plot(row: row) }
        guard let registered = try registeredCode(.plot, matching: code) else { return nil }
        return try db.firstRow(Self.plotSelect + " WHERE p.code = ?", [registered]).map(Plot.init(row:))
    }

    public func requirePlot(code: String) throws -> Plot {
        if let plot = try plot(code: code) { return plot }
        throw StoreError.notFound(kind: "plot", key: code, suggestions: try suggestions(table: .plot, for: code))
    }

    public func plots(treatmentCode: String? = nil) throws -> [Plot] {
        let treatmentCode = try treatmentCode.map { try requireTreatment(code: $0).code }
        return try db.rows(Self.plotSelect + " WHERE (?1 IS NULL OR t.code = ?1) ORDER BY t.id, p.code", [treatmentCode])
            .map(Plot.init(row:))
    }
}
