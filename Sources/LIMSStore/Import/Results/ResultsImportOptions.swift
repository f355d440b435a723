/// How `ResultsImport` reads and stores a file (the options of `lims import results`).
public struct ResultsImportOptions: Sendable {
    /// nil = detect from the first rows.
    public var format: ResultsFormat?
    /// nil = detect `,` `;` or tab.
    public var delimiter: Character?
    /// Solid or solution; nil = from the unit (µg/L, ppb, mg/L → solution; mg/kg, µg/g → solid),
    /// and extracts are always solutions. Needed for ppm.
    public var matrix: UnitConversion.Matrix?
    public var instrument: String?
    /// Multiplies values and detection limits (kept in `dilution_factor`).
    public var dilution: Double?
    public var dateOrder: InstrumentDate.Order = .dmy
    /// The order was given (--date-order): a contradicting date is an error. When false, a date
    /// whose day is > 12 decides between dmy and mdy (the import starts over in that order).
    public var dateOrderIsExplicit = false
    /// `--unit`: the unit of the values when the file carries none (WinLab32 without a unit column).
    public var unit: String?
    /// `--istd Sc,Y`: elements whose lines are internal standards in this run.
    public var internalStandards: Set<String> = []
    /// `--sheet NAME|N` for an .xlsx workbook (nil = the sheet that holds concentrations).
    public var sheet: String?
    /// Keep names that match no registered sample as unmatched records instead of stopping.
    public var allowUnmatched = false
    /// Replace the active batch of the same file (or, for a corrected file, of the same file name).
    public var replace = false
    /// The name shown in diagnostics (default: the path as given).
    public var displayName: String?
    /// A saved import profile (`lims import-profile`): read the file with it instead of detecting the format.
    public var profile: String?
    /// Multiply values by a dilution suffix of the instrument name (`X x10`); by default it is only flagged.
    public var applyNameDilution = false
    /// Called now and then with (bytes read, file size), for a progress line.
    public var progress: (@Sendable (Int, Int64) -> Void)?

    public init(format: ResultsFormat? = nil, delimiter: Character? = nil, matrix: UnitConversion.Matrix? = nil,
                instrument: String? = nil, dilution: Double? = nil, dateOrder: InstrumentDate.Order = .dmy,
                allowUnmatched: Bool = false, replace: Bool = false, displayName: String? = nil) {
        self.format = format; self.delimiter = delimiter; self.matrix = matrix; self.instrument = instrument
        self.dilution = dilution; self.dateOrder = dateOrder; self.allowUnmatched = allowUnmatched
        self.replace = replace; self.displayName = displayName
    }
}
