/// The project's own instrument-neutral results sheet: one value per row.
/// `lims template results` prints it; `lims import results --format long` reads it.
public enum LongResultsTemplate {
    public static let columns: [SheetColumn] = [
        SheetColumn("sample", required: true, help: "sample or extract code as registered", example: "C1-S"),
        SheetColumn("analyte", required: true, help: "element symbol (La), isotope or line (139La, Ce 413.380), or oxide (Fe2O3)", example: "La"),
        SheetColumn("value", required: true, help: "the number as measured; <DL, n.d., N/A and empty are kept as qualifiers", example: "45.2"),
        SheetColumn("unit", required: true, help: "mg/kg, ug/g, ppm, ppb, ug/L, mg/L, wt%, % or g/kg", example: "mg/kg"),
        SheetColumn("qualifier", help: "< (below DL), > (over range), nd, nm, na; empty = as measured", example: ""),
        SheetColumn("detection_limit", help: "detection limit in the same unit as the value", example: "0.05"),
        SheetColumn("method", help: "ICP-MS, ICP-OES, XRF, combustion ...", example: "ICP-MS"),
        SheetColumn("measured_on", help: "date of measurement, YYYY-MM-DD", example: "2019-03-14"),
    ]
}
