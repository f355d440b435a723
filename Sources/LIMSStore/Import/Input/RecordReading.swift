/// What the importers read records from: a text file (`CSVReader`) or one sheet of a workbook
/// (`XLSXSheetReader`). Open one with `InputDocument.open`.
public protocol RecordReading: AnyObject {
    /// The name shown in diagnostics.
    var fileName: String { get }
    /// The field delimiter of a text file; "," for a workbook (so a comma is never a decimal mark there).
    var delimiter: UInt8 { get }
    /// Bytes of the file consumed so far (for progress lines).
    var bytesRead: Int { get }
    /// The sheet being read, for a workbook; nil for a text file. Diagnostics carry it
    /// (`ImportDiagnostic(…, sheet:)`) so they print `file:Sheet!B7`.
    var sheetName: String? { get }
    /// The next record, or nil at the end.
    func next() throws -> CSVRecord?
}

extension RecordReading {
    /// All remaining records (small files and tests; importers stream with `next()`).
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// A located error in this input: `file:line:col` for text, `file:Sheet!B7` for a sheet.
    public func diagnostic(line: Int, column: Int?, _ message: String) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: line, column: column, message: message, sheet: sheetName)
    }
}
