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
    /// Results query: at most this many rows, after skipping `offset` rows (paging in SQL).
    public var limit: Int?
    public var offset: Int?

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
              let top = DecimalNumber.double(parts[0].trimmingCharacters(in: .whitespaces)),
              let bottom = DecimalNumber.double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return try? DepthRange(top: top, bottom: bottom)
    }
}
