import Foundation
/// An error that prints as compiler-style diagnostics, one per line
/// (`file:line:col: error: message`), as swift-format does.
public protocol DiagnosticError: Error {
    var diagnosticLines: [String] { get }
}

/// One problem in an input file, located by line and column (1-based).
/// `column` is the field number of a CSV record (the first field is column 1).
/// In a workbook, `sheet` names the sheet, `line` is the sheet's row number and `column` its
/// column number, printed the way Excel names a cell: `file:'Raw Data'!B7: error: …`.
/// `line` 0 means the whole file (a damaged archive): `file: error: …`.
public struct ImportDiagnostic: DiagnosticError, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int?
    public var message: String
    /// The workbook sheet the row and column belong to; nil for text files.
    public var sheet: String?

    public init(file: String, line: Int, column: Int? = nil, message: String, sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sheet = sheet
    }

    public var description: String { "\(location): error: \(message)" }

    /// `file:line:col`, `file:Sheet!B7` (a cell), `file:Sheet!7:7` (a whole row) or `file`.
    public var location: String {
        if let sheet {
            let name = CellReference.quotedSheetName(sheet)
            guard line > 0 else { return "\(file):\(name)" }
            if let column, column > 0 { return "\(file):\(name)!\(CellReference.columnLetters(column))\(line)" }
            return "\(file):\(name)!\(line):\(line)"
        }
        guard line > 0 else { return file }
        return "\(file):\(line):\(column.map(String.init) ?? "1")"
    }

    public var diagnosticLines: [String] { [description] }

    /// The same diagnostic placed in a workbook sheet, unless it already names one or another file
    /// (for readers that build diagnostics from a file name alone).
    public func placed(inSheet sheet: String?, of file: String) -> ImportDiagnostic {
        guard let sheet, self.sheet == nil, self.file == file else { return self }
        var copy = self
        copy.sheet = sheet
        return copy
    }
}

/// Several problems found in one file; nothing was written.
public struct ImportDiagnostics: DiagnosticError, CustomStringConvertible, Sendable {
    public var diagnostics: [ImportDiagnostic]
    /// Which reader read the file and why (instrument imports), printed after the errors.
    public var readerNote: String?
    public init(_ diagnostics: [ImportDiagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnosticLines.joined(separator: "\n") }
    public var diagnosticLines: [String] {
        diagnostics.map(\.description) + (readerNote.map { ["note: \($0)"] } ?? [])
            + ["\(diagnostics.count) error(s); nothing was written"]
    }

    public func placed(inSheet sheet: String?, of file: String) -> ImportDiagnostics {
        ImportDiagnostics(diagnostics.map { $0.placed(inSheet: sheet, of: file) })
    }
}
