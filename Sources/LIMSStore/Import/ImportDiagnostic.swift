/// An error that prints as compiler-style diagnostics, one per line
/// (`file:line:col: error: message`), as swift-format does.
public protocol DiagnosticError: Error {
    var diagnosticLines: [String] { get }
}

/// One problem in an input file, located by line and column (1-based).
/// `column` is the field number of a CSV record (the first field is column 1).
public struct ImportDiagnostic: DiagnosticError, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int?
    public var message: String

    public init(file: String, line: Int, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column.map(String.init) ?? "1"): error: \(message)"
    }

    public var diagnosticLines: [String] { [description] }
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
}
