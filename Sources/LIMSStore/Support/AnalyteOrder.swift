/// The one order in which analytes are listed everywhere — query output, wide columns, reports,
/// QC tables, completion: atomic number of the element (an oxide such as `Fe2O3` or a line such as
/// `Ce 413.765` sorts with its element), then the full name; names that are not an element
/// (`LOI`, `TOC` …) come last, alphabetically. Figures that follow ionic radius (Y between Dy
/// and Ho) are the one deliberate exception, drawn by the chart code.
public enum AnalyteOrder {
    public static func key(_ analyte: String) -> (Int, String) {
        (element(of: analyte).flatMap(PeriodicTable.atomicNumber) ?? Int.max, analyte)
    }

    public static func sorted(_ analytes: some Sequence<String>) -> [String] {
        analytes.sorted { areInOrder($0, $1) }
    }

    public static func areInOrder(_ a: String, _ b: String) -> Bool { key(a) < key(b) }

    /// The element an analyte name stands for: `La` → La, `Fe2O3` → Fe, `139La` → La,
    /// `Ce 413.765` → Ce, `LOI` → nil. A two-letter symbol wins over a one-letter one (`Co`, not `C`).
    public static func element(of analyte: String) -> String? {
        if let oxide = OxideStoichiometry.element(ofOxide: analyte) { return oxide }
        let letters = analyte.drop(while: { $0.isNumber })
        guard let first = letters.first, first.isUppercase, first.isASCII else { return nil }
        let second = letters.dropFirst().first
        if let second, second.isLowercase, second.isASCII, PeriodicTable.isElement(String([first, second])) {
            let rest = letters.dropFirst(2).first
            return rest.map { !$0.isLetter || $0.isUppercase } ?? true ? String([first, second]) : nil
        }
        guard PeriodicTable.isElement(String(first)) else { return nil }
        let rest = letters.dropFirst().first
        return rest.map { !$0.isLowercase } ?? true ? String(first) : nil
    }
}
