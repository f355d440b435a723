/// One row of the results query, read by position (the SELECT list of `resultQuerySQL` in
/// this order): looking columns up by name cost more than SQLite itself on million-row exports.
public struct ResultRecord: Sendable {
    public var id: Int64
    public var sample: String?
    public var sampleType: String?
    public var treatment: String?
    public var plot: String?
    public var site: String?
    public var depthTopCm: Double?
    public var depthBottomCm: Double?
    public var analyte: String
    public var value: Double?
    public var rawText: String
    public var unit: String?
    public var originalValue: Double?
    public var originalUnit: String?
    public var qualifier: String
    public var detectionLimit: Double?
    public var method: String?
    public var matrix: String?
    public var batchID: Int64?
    public var file: String?
    public var instrument: String?
    public var measuredAt: String?
    public var status: String
    public var supersededBy: Int64?

    init(row: Row) {
        let v = row.values
        id = v[0].int64 ?? 0
        sample = v[1].string
        sampleType = v[2].string
        treatment = v[3].string
        plot = v[4].string
        site = v[5].string
        depthTopCm = v[6].double
        depthBottomCm = v[7].double
        analyte = v[8].string ?? ""
        value = v[9].double
        rawText = v[10].string ?? ""
        unit = v[11].string
        originalValue = v[12].double
        originalUnit = v[13].string
        qualifier = v[14].string ?? "="
        detectionLimit = v[15].double
        method = v[16].string
        matrix = v[17].string
        batchID = v[18].int64
        file = v[19].string
        instrument = v[20].string
        measuredAt = v[21].string
        status = v[22].string ?? ""
        supersededBy = v[23].int64
    }

    /// The value as the lab writes it (`<0.01` when censored).
    public var reported: Cell { ReportedValue.cell(value: value, qualifier: qualifier, detectionLimit: detectionLimit) }

    var depthCell: Cell { depthText.map(Cell.text) ?? .null }

    /// The depth interval as the lab writes it, `0-10` (cm).
    public var depthText: String? {
        guard let top = depthTopCm, let bottom = depthBottomCm else { return nil }
        return "\(Validate.format(top))-\(Validate.format(bottom))"
    }
}
