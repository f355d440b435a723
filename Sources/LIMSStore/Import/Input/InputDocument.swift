import Foundation

/// The one way importers open an input file, whatever it is: an .xlsx workbook (found by its ZIP
/// signature, not its extension) or text in UTF-8, UTF-16 or Windows-1252 (`CSVReader`).
///
///     let records = try InputDocument.open(url: url, displayName: "run.xlsx", sheet: "Concentrations")
///     while let record = try records.next() { … }   // record.line = sheet row; diagnostics say run.xlsx:Concentrations!B7
public enum InputDocument {
    /// True when the file is a ZIP archive (an .xlsx workbook, whatever its name).
    public static func isWorkbook(_ url: URL) -> Bool { ZipArchive.hasSignature(url) }

    /// Opens records of a text file or of one sheet of a workbook.
    /// - `delimiter`: for text; nil = detect `,` `;` or tab (ignored for a workbook).
    /// - `sheet`: a sheet name, or a 1-based number when no sheet has that name; nil = the first
    ///   sheet that has any cell. Giving a sheet for a text file is an error.
    public static func open(url: URL, displayName: String? = nil, delimiter: Character? = nil,
                            sheet: String? = nil) throws -> any RecordReading {
        let name = displayName ?? url.path
        guard isWorkbook(url) else {
            if let sheet {
                throw ImportDiagnostic(file: name, line: 1, column: 1,
                                       message: "--sheet \(sheet) was given but this is a text file, not an .xlsx workbook; expected a workbook or no --sheet")
            }
            return try CSVReader(url: url, delimiter: delimiter, displayName: name)
        }
        let workbook = try XLSXWorkbook(url: url, displayName: name)
        if let sheet { return try workbook.sheet(sheet) }
        return try firstSheetWithData(workbook)
    }

    /// The worksheet names of a workbook in tab order; [] for a text file.
    public static func sheetNames(_ url: URL, displayName: String? = nil) throws -> [String] {
        guard isWorkbook(url) else { return [] }
        return try XLSXWorkbook(url: url, displayName: displayName).sheetNames
    }

    /// The workbook itself, to look at every sheet (e.g. pick the one whose header an importer
    /// recognises: `book.sheetNames.indices.map { try book.sheet(at: $0) }`); nil for a text file.
    public static func workbook(_ url: URL, displayName: String? = nil) throws -> XLSXWorkbook? {
        guard isWorkbook(url) else { return nil }
        return try XLSXWorkbook(url: url, displayName: displayName)
    }

    static func firstSheetWithData(_ workbook: XLSXWorkbook) throws -> XLSXSheetReader {
        guard !workbook.sheetNames.isEmpty else {
            throw ImportDiagnostic(file: workbook.fileName, line: 0, message: "the workbook has no worksheets")
        }
        for index in workbook.sheetNames.indices {
            let probe = try workbook.sheet(at: index)
            while let record = try probe.next() {
                if !record.isBlank { return try workbook.sheet(at: index) }
            }
        }
        return try workbook.sheet(at: 0)
    }
}
