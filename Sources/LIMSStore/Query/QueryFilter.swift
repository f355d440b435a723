/// What a technician asks for: filters that combine (all must hold). Empty means "any".
/// Codes and names are the lab's words; `LabStore.resolve` checks them against the database.
public struct QueryFilter: Sendable {
    public var treatments: [String] = []
    public var site: String?
    public var plots: [String] = []
    public var samples: [String] = []
    public var types: [String] = []
    /// Samples whose depth interval overlaps this one (cm).
    public var depth: DepthRange?
    /// Element names or groups (REE, LREE, HREE, REY).
    public var analytes: [String] = []
    /// `solid` or `solution`.
    public var matrix: String?
    /// Import batch ids or file names.
    public var batches: [String] = []
    /// Text contained in the method or instrument (e.g. "ICP-MS").
    public var method: String?
    /// Dates (YYYY-MM-DD), inclusive; what they apply to depends on the query.
    public var since: String?
    public var until: String?
    /// true: only censored values (<DL, >range, nd); false: only uncensored; nil: both.
    public var censored: Bool?
    /// Also superseded and retired values (history).
    public var allVersions = false
    public var includeRetired = false
    /// Soil properties (pH_H2O, CEC, TOC …) for the properties query.
    public var properties: [String] = []
    /// POI filters.
    public var phase: String?
    public var edge: String?
    public var oxidationState: String?
    public var thinSections: [String] = []
    /// Samples query: keep only samples with (true) or without (false) matching results.
    public var withResults: Bool?

    public init() {}

    /// True when a filter on measurements was given (analyte, matrix, batch, method, censoring).
    public var filtersMeasurements: Bool {
        !analytes.isEmpty || matrix != nil || !batches.isEmpty || method != nil || censored != nil
    }
}

/// A depth interval in cm, top < bottom, both ≥ 0.
public struct DepthRange: Sendable, Equatable {
    public let top: Double
    public let bottom: Double

    public init(top: Double, bottom: Double) throws {
        guard top.isFinite, bottom.isFinite, top >= 0, bottom > top else {
            throw StoreError.invalidValue(field: "depth", value: "\(Validate.format(top))-\(Validate.format(bottom))",
                                          expected: "FROM-TO in cm with 0 ≤ FROM < TO, e.g. 0-10")
        }
        self.top = top
        self.bottom = bottom
    }

    /// Parses "0-10" (cm); nil when the text is not of that shape or the interval is empty.
    public static func parse(_ text: String) -> DepthRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let top = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let bottom = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return try? DepthRange(top: top, bottom: bottom)
    }
}

/// A filter checked against the database: codes turned into ids, analyte groups expanded.
struct ResolvedFilter {
    var filter: QueryFilter
    var treatmentIDs: [Int64] = []
    var siteID: Int64?
    var plotIDs: [Int64] = []
    var sampleIDs: [Int64] = []
    var analytes: [String] = []
    var batchIDs: [Int64] = []
}

extension LabStore {
    /// Checks every name in the filter; an unknown one throws with suggestions.
    func resolve(_ filter: QueryFilter) throws -> ResolvedFilter {
        var resolved = ResolvedFilter(filter: filter)
        resolved.treatmentIDs = try filter.treatments.map { try requireTreatment(code: $0).id }
        resolved.siteID = try filter.site.map { try requireSite(code: $0).id }
        resolved.plotIDs = try filter.plots.map { try requirePlot(code: $0).id }
        resolved.sampleIDs = try filter.samples.map { try requireSample(code: $0).id }
        for type in filter.types { try requireSampleType(type) }
        if let matrix = filter.matrix, !["solid", "solution"].contains(matrix) {
            throw StoreError.invalidValue(field: "matrix", value: matrix, expected: "solid or solution")
        }
        resolved.analytes = try resolveAnalytes(filter.analytes)
        resolved.batchIDs = try filter.batches.flatMap { try resolveBatch($0) }
        if !filter.properties.isEmpty {
            let known = try db.rows("SELECT DISTINCT property FROM soil_property ORDER BY property")
                .compactMap { $0.string("property") }
            for property in filter.properties where !known.contains(property) {
                throw StoreError.notFound(kind: "soil property", key: property,
                                          suggestions: Suggestions.closest(to: property, among: known))
            }
        }
        for code in filter.thinSections where try db.scalar("SELECT id FROM thin_section WHERE code = ?", [code]) == nil {
            let known = try db.rows("SELECT code FROM thin_section").compactMap { $0.string("code") }
            throw StoreError.notFound(kind: "thin section", key: code, suggestions: Suggestions.closest(to: code, among: known))
        }
        return resolved
    }

    /// A batch given by id or by file name (a file imported again after a replace has several).
    func resolveBatch(_ text: String) throws -> [Int64] {
        if let id = Int64(text), try db.scalar("SELECT id FROM import_batch WHERE id = ?", [id]) != nil { return [id] }
        let ids = try db.rows("SELECT id FROM import_batch WHERE file_name = ? ORDER BY id", [text]).compactMap { $0.int64("id") }
        if !ids.isEmpty { return ids }
        let names = try db.rows("SELECT DISTINCT file_name FROM import_batch").compactMap { $0.string("file_name") }
        throw StoreError.notFound(kind: "import batch", key: text, suggestions: Suggestions.closest(to: text, among: names))
    }
}

/// SQL shared by the queries. Aliases: s sample, p plot, t treatment, si site,
/// ps/gs parent and grandparent (a fraction or extract takes its depth from them),
/// m measurement, b import_batch.
enum QuerySQL {
    static let depthTop = "COALESCE(s.depth_top_cm, ps.depth_top_cm, gs.depth_top_cm)"
    static let depthBottom = "COALESCE(s.depth_bottom_cm, ps.depth_bottom_cm, gs.depth_bottom_cm)"

    /// Joins from `s` to its plot, treatment, site and ancestors. Inner joins when the filter
    /// needs a plot (so the planner may start from treatment → plot → sample).
    static func isScopedToPlots(_ resolved: ResolvedFilter) -> Bool {
        !resolved.treatmentIDs.isEmpty || resolved.siteID != nil || !resolved.plotIDs.isEmpty
    }

    static func sampleJoins(_ resolved: ResolvedFilter) -> String {
        let join = isScopedToPlots(resolved) ? "JOIN" : "LEFT JOIN"
        return """
            \(join) plot p ON p.id = s.plot_id
            \(join) treatment t ON t.id = p.treatment_id
            \(join) site si ON si.id = t.site_id
            LEFT JOIN sample ps ON ps.id = s.parent_id
            LEFT JOIN sample gs ON gs.id = ps.parent_id
            """
    }

    /// Conditions on the sample `s` (treatment, site, plot, sample, type, depth, retired).
    static func sampleConditions(_ resolved: ResolvedFilter) -> SQLConditions {
        var conditions = SQLConditions()
        if !resolved.treatmentIDs.isEmpty { conditions.addIn("p.treatment_id", resolved.treatmentIDs) }
        if let site = resolved.siteID { conditions.add("t.site_id = ?", site) }
        if !resolved.plotIDs.isEmpty { conditions.addIn("s.plot_id", resolved.plotIDs) }
        if !resolved.sampleIDs.isEmpty { conditions.addIn("s.id", resolved.sampleIDs) }
        if !resolved.filter.types.isEmpty { conditions.addIn("s.type", resolved.filter.types) }
        if let depth = resolved.filter.depth {
            // Overlapping intervals: top above the range's bottom and bottom below its top.
            conditions.add("\(depthTop) < ?", depth.bottom)
            conditions.add("\(depthBottom) > ?", depth.top)
        }
        if !resolved.filter.includeRetired { conditions.add("s.retired_at IS NULL") }
        return conditions
    }

    /// The matrix of a value: its own, its batch's, or that of its canonical unit.
    static let matrix = """
        COALESCE(m.matrix, b.matrix, CASE m.unit WHEN 'mg/L' THEN 'solution' WHEN 'mg/kg' THEN 'solid' END)
        """
    static let censoredQualifiers = ["<", ">", "nd"]
    static let measurementDate = "substr(COALESCE(m.measured_at, b.imported_at, m.created_at), 1, 10)"

    /// Conditions on the measurement `m` (and its batch `b`).
    static func measurementConditions(_ resolved: ResolvedFilter, dates: Bool = true) -> SQLConditions {
        var conditions = SQLConditions()
        let filter = resolved.filter
        if !filter.allVersions { conditions.add("m.status = 'valid'") }
        if !resolved.analytes.isEmpty { conditions.addIn("m.analyte", resolved.analytes) }
        if let matrix = filter.matrix { conditions.add("\(Self.matrix) = ?", matrix) }
        if !resolved.batchIDs.isEmpty { conditions.addIn("m.batch_id", resolved.batchIDs) }
        if let method = filter.method {
            conditions.add("""
                (instr(lower(COALESCE(m.method, '')), lower(?)) > 0 OR instr(lower(COALESCE(b.method, '')), lower(?)) > 0
                 OR instr(lower(COALESCE(b.instrument, '')), lower(?)) > 0)
                """, method, method, method)
        }
        if let censored = filter.censored { conditions.addIn("m.qualifier", censoredQualifiers, negated: !censored) }
        if dates {
            if let since = filter.since { conditions.add("\(measurementDate) >= ?", since) }
            if let until = filter.until { conditions.add("\(measurementDate) <= ?", until) }
        }
        return conditions
    }

    /// `a-b` for a depth interval, or empty.
    static func depthText(_ row: Row) -> Cell {
        guard let top = row.double("depth_top_cm"), let bottom = row.double("depth_bottom_cm") else { return .null }
        return .text("\(Validate.format(top))-\(Validate.format(bottom))")
    }
}
