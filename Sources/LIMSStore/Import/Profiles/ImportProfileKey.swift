/// The settings of an import profile sheet (`key,value` rows), in the order `show` prints them.
/// The same list drives validation, `lims template import-profile` and `--describe`.
public struct ImportProfileKey: Sendable {
    public let name: String
    public let help: String
    public let example: String

    public static let all: [ImportProfileKey] = [
        .init(name: "description", help: "What the profile reads (instrument, software, lab PC).", example: "Horiba Ultima Expert, wide export"),
        .init(name: "layout", help: "wide (one row per sample, one column per analyte) or long (one row per sample × analyte). Default wide.", example: "wide"),
        .init(name: "delimiter", help: "Field delimiter: comma, semicolon, tab, pipe (or , ; |). Default: detected.", example: "semicolon"),
        .init(name: "decimal", help: "Decimal mark of the numbers: point or comma. Default: comma when the delimiter is not a comma.", example: "comma"),
        .init(name: "header_row", help: "Row number (as a spreadsheet shows it, blank rows counted) of the column names; 1-2 for a header of two rows (a group name over each measure), joined per column. Required.", example: "2"),
        .init(name: "unit_row", help: "Row number of a row of units under the column names (optional).", example: "3"),
        .init(name: "data_starts", help: "Row number of the first data row. Default: the row after the header (and unit) row.", example: "4"),
        .init(name: "sample_column", help: "Column of the sample names: a header name, a number (3) or a letter (C; a header of that name wins, e.g. ID). Required.", example: "Sample"),
        .init(name: "type_column", help: "Column of the instrument's sample type (Sample, Blank, Std …), used to tell QC rows.", example: "Type"),
        .init(name: "analyte_pattern", help: "How analyte headers are written: text with {element} and optionally {mass}, {wavelength}, {unit}, {mode}, {any}. Wide: every header that matches is an analyte column; long: read from the analyte column.", example: "{element} {wavelength}"),
        .init(name: "analyte_columns", help: "Wide layout: the analyte columns listed instead of (or with) a pattern, separated by |.", example: "La 408.672|Ce 413.380"),
        .init(name: "analyte_column", help: "Long layout: the column naming the analyte (La, 139La, Ce 413.380). Required for long.", example: "Element"),
        .init(name: "value_column", help: "Long layout: the column of the concentration. Required for long.", example: "Conc"),
        .init(name: "unit_column", help: "Long layout: the column of the unit.", example: "Unit"),
        .init(name: "unit", help: "The unit when the file carries none (mg/L, µg/L, ppb, mg/kg …).", example: "mg/L"),
        .init(name: "dl_pattern", help: "Wide layout: how detection-limit headers are written; a DL column belongs to the analyte with the same element and line.", example: "{element} {wavelength} LOD"),
        .init(name: "dl_column", help: "Long layout: the column of the detection limit.", example: "LOD"),
        .init(name: "dilution_column", help: "Column of a dilution factor per row.", example: "Dil"),
        .init(name: "dilution", help: "multiply (values and detection limits × the factor, stored in dilution_factor) or record (kept in flags only, when the instrument already applied it). Default multiply.", example: "multiply"),
        .init(name: "reject_column", help: "Column marking rejected rows (MassHunter Rjct): such rows become QC rows of type dnu, never results.", example: "Rjct"),
        .init(name: "reject_values", help: "Cells of reject_column that mean rejected, separated by |. Default TRUE|VRAI|YES|X|1.", example: "TRUE|VRAI"),
        .init(name: "date_column", help: "Column of the measurement date (may carry the time).", example: "Date"),
        .init(name: "time_column", help: "Column of the measurement time.", example: "Time"),
        .init(name: "date_order", help: "Order of dates like 08/02/2016: dmy, mdy or ymd. Default: --date-order.", example: "dmy"),
        .init(name: "skip_labels", help: "Sample names of rows that are not measurements (Mean, SD …), separated by |.", example: "Mean|SD|%RSD"),
        .init(name: "ignore_columns", help: "Columns not to import and not to warn about, separated by |.", example: "Operator|Rack"),
        .init(name: "method", help: "Method stored with every value (default: ICP-OES for lines in nm, ICP-MS for masses).", example: "ICP-OES"),
    ]

    public static let names = all.map(\.name)
}
