/// Text cells of CSV exports, made safe for spreadsheets: Excel, LibreOffice and Google Sheets
/// run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as
/// a formula, so a sample name such as `=cmd|' /C calc'!A0` copied from an instrument file would
/// execute when the export is opened (CSV/formula injection, OWASP). Such a cell gets a leading
/// apostrophe, which spreadsheets show as text and hide. Numbers are left alone: `-0.5` and
/// `+3e-2` are values, not formulas. `--raw` writes cells as stored.
public enum CSVField {
    /// The characters that make a spreadsheet read a cell as a formula.
    static let formulaLeads: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]   // = + - @ tab CR

    /// `text` with an apostrophe before it when it would start a formula; otherwise unchanged.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.utf8.first, formulaLeads.contains(first) else { return text }
        // One character is no formula: the qualifier `=` and the dash `-` of an export stay as they are.
        if text.utf8.count == 1 { return text }
        if DecimalNumber.double(text) != nil { return text }
        return "'" + text
    }

    /// A text cell for a CSV line: neutralised (unless `raw`), then quoted as RFC 4180 needs.
    public static func csv(_ text: String, raw: Bool = false) -> String {
        CSVText.escape(raw ? text : neutralised(text))
    }
}
