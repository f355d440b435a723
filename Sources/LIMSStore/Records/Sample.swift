/// A physical sample: a field sample on a plot, or a sub-sample, size fraction or
/// extract of a parent sample (lineage).
public struct Sample: Sendable, Equatable {
    public var id: Int64 = 0
    public var code: String
    public var plotCode: String?
    public var treatmentCode: String?
    public var parentCode: String?
    public var type: String
    public var depthTopCm: Double?
    public var depthBottomCm: Double?
    public var collectedOn: String?
    public var massG: Double?
    public var description: String?
    public var retiredAt: String?
    public var retiredReason: String?

    public init(code: String, plotCode: String? = nil, parentCode: String? = nil, type: String = "bulk",
                depthTopCm: Double? = nil, depthBottomCm: Double? = nil, collectedOn: String? = nil,
                massG: Double? = nil, description: String? = nil) {
        self.code = code; self.plotCode = plotCode; self.parentCode = parentCode; self.type = type
        self.depthTopCm = depthTopCm; self.depthBottomCm = depthBottomCm; self.collectedOn = collectedOn
        self.massG = massG; self.description = description
    }

    init(row: Row) {
        self.init(code: row.string("code") ?? "", plotCode: row.string("plot_code"),
                  parentCode: row.string("parent_code"), type: row.string("type") ?? "",
                  depthTopCm: row.double("depth_top_cm"), depthBottomCm: row.double("depth_bottom_cm"),
                  collectedOn: row.string("collected_on"), massG: row.double("mass_g"),
                  description: row.string("description"))
        id = row.int64("id") ?? 0
        treatmentCode = row.string("treatment_code")
        retiredAt = row.string("retired_at")
        retiredReason = row.string("retired_reason")
    }
}

/// Filters for listing samples; nil means "any".
public struct SampleFilter: Sendable {
    public var treatmentCodes: [String] = []
    public var plotCode: String?
    public var siteCode: String?
    public var type: String?
    public var includeRetired = false
    public init(treatmentCodes: [String] = [], plotCode: String? = nil, siteCode: String? = nil,
                type: String? = nil, includeRetired: Bool = false) {
        self.treatmentCodes = treatmentCodes; self.plotCode = plotCode; self.siteCode = siteCode
        self.type = type; self.includeRetired = includeRetired
    }
}

extension LabStore {
    static let sampleSelect = """
        SELECT s.*, p.code AS plot_code, t.code AS treatment_code, parent.code AS parent_code
        FROM sample s
        LEFT JOIN plot p ON p.id = s.plot_id
        LEFT JOIN treatment t ON t.id = p.treatment_id
        LEFT JOIN site si ON si.id = t.site_id
        LEFT JOIN sample parent ON parent.id = s.parent_id
        """

    /// Registers a sample. A sample with a parent and no plot takes its parent's plot.
    @discardableResult
    public func addSample(_ sample: Sample) throws -> Sample {
        try validate(sample)
        return try write {
            if let existing = try self.sample(code: sample.code) {
                throw StoreError.duplicate(kind: "sample", key: sample.code, registered: existing.code)
            }
            let parent = try sample.parentCode.map { try requireSample(code: $0) }
            var plotID: Int64?
            if let plotCode = sample.plotCode {
                plotID = try requirePlot(code: plotCode).id
            } else if let parent {
                plotID = try db.scalar("SELECT plot_id FROM sample WHERE id = ?", [parent.id])?.int64
            }
            guard plotID != nil || parent != nil else {
                throw StoreError.invalidValue(field: "sample \(sample.code)", value: "no plot and no parent",
                                              expected: "a plot (--plot) for a field sample or a parent (--parent)")
            }
            try requireSampleType(sample.type)
            let id = try db.insert("""
                INSERT INTO sample (code, plot_id, parent_id, type, depth_top_cm, depth_bottom_cm,
                                    collected_on, mass_g, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [sample.code, plotID, parent?.id, sample.type, sample.depthTopCm, sample.depthBottomCm,
                      sample.collectedOn, sample.massG, sample.description])
            try audit(action: "insert", table: "sample", recordID: id, sampleID: id,
                      summary: "sample \(sample.code) registered",
                      newValue: ["code": sample.code, "type": sample.type, "plot": sample.plotCode as Any,
                                 "parent": sample.parentCode as Any])
            return try requireSample(code: sample.code)
        }
    }

    func validate(_ sample: Sample) throws {
        try Validate.code(sample.code, field: "sample code")
        if let top = sample.depthTopCm { try Validate.nonNegative(top, field: "depth top", unit: "cm") }
        if let bottom = sample.depthBottomCm { try Validate.nonNegative(bottom, field: "depth bottom", unit: "cm") }
        if let top = sample.depthTopCm, let bottom = sample.depthBottomCm, bottom <= top {
            throw StoreError.invalidValue(field: "depth of sample \(sample.code)",
                                          value: "\(Validate.format(top))-\(Validate.format(bottom)) cm",
                                          expected: "a top shallower than the bottom (e.g. 0-10 cm)")
        }
        if let mass = sample.massG { try Validate.nonNegative(mass, field: "mass", unit: "g") }
        try Validate.date(sample.collectedOn, field: "collected on")
    }

    func requireSampleType(_ type: String) throws {
        let known = try db.rows("SELECT code FROM sample_type ORDER BY code").compactMap { $0.string("code") }
        if !known.contains(type) {
            throw StoreError.invalidValue(field: "sample type", value: type,
                                          expected: "one of " + known.joined(separator: ", "))
        }
    }

    public func sample(code: String) throws -> Sample? {
        // Ignoring case, as everywhere (registeredCode); the exact code is tried first.
        if let row = try db.firstRow(Self.sampleSelect + " WHERE s.code = ?", [code]) { return Sample(row: row) }
        guard let registered = try registeredCode(.sample, matching: code) else { return nil }
        return try db.firstRow(Self.sampleSelect + " WHERE s.code = ?", [registered]).map(Sample.init(row:))
    }

    public func requireSample(code: String) throws -> Sample {
        if let sample = try sample(code: code) { return sample }
        throw StoreError.notFound(kind: "sample", key: code, suggestions: try suggestions(table: .sample, for: code))
    }

    public func samples(_ filter: SampleFilter = SampleFilter()) throws -> [Sample] {
        // Codes as registered (matched ignoring case), so the SQL below compares exact codes.
        let treatmentCodes = try filter.treatmentCodes.map { try requireTreatment(code: $0).code }
        let plotCode = try filter.plotCode.map { try requirePlot(code: $0).code }
        let siteCode = try filter.siteCode.map { try requireSite(code: $0).code }
        if let type = filter.type { try requireSampleType(type) }
        let treatmentsJSON = treatmentCodes.isEmpty ? nil : JSONText.encodeArray(treatmentCodes)
        return try db.rows(Self.sampleSelect + """
             WHERE (?1 IS NULL OR t.code IN (\(db.dialect.jsonArrayElements("?1", integers: false))))
               AND (?2 IS NULL OR p.code = ?2)
               AND (?3 IS NULL OR si.code = ?3)
               AND (?4 IS NULL OR s.type = ?4)
               AND (?5 = 1 OR s.retired_at IS NULL)
             ORDER BY t.id, p.code, s.code
            """, [treatmentsJSON, plotCode, siteCode, filter.type, filter.includeRetired])
            .map(Sample.init(row:))
    }
}
