/// One value read from an instrument export or results sheet, before it is matched and stored.
/// Readers yield these one at a time (streaming); `run` groups the values of one measured row
/// (a sample or QC solution measured once), so the importer can make one QC record per run.
public struct ResultCell: Sendable {
    /// Increases when a new run (row of a wide table, group of rows of a long table) starts.
    public var run: Int
    /// The sample label as written (padding removed).
    public var label: String
    /// The instrument's sample type (`Sample`, `CalBlk`, `Samp`, `Std` …), if the file has one.
    public var sampleType: String?
    public var analyte: AnalyteName
    public var value: MeasuredValue
    /// Unit from the header, the unit column, or the analyte label.
    public var unit: String?
    public var method: String?
    /// ISO 8601 date or date-time.
    public var measuredAt: String?
    public var line: Int
    /// Field number (1-based) of the value; of the label and of the unit when the file has such columns.
    public var column: Int
    public var labelColumn: Int? = nil
    public var unitColumn: Int? = nil
    /// What the value is: a concentration of the solution (stored as a result or QC value), or an
    /// internal-standard reading of the run (recovery % or intensity), stored as QC data only.
    public var role: Role = .concentration

    public enum Role: Sendable, Equatable {
        case concentration
        case internalStandard(quantity: String)
    }

    /// This row's dilution factor (an import profile's dilution column), multiplied like --dilution.
    public var dilution: Double? = nil
}
