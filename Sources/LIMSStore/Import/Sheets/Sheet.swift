import Foundation

/// A column of a lab sheet template.
public struct SheetColumn: Sendable {
    public let name: String
    public let required: Bool
    /// What goes there, with the unit (shown by `lims template KIND`).
    public let help: String
    public let example: String

    public init(_ name: String, required: Bool = false, help: String, example: String = "") {
        self.name = name
        self.required = required
        self.help = help
        self.example = example
    }
}

/// A lab sheet read from CSV: a header row naming the columns, then one record per row.
/// Columns are found by name (case and surrounding spaces ignored), in any order.
public struct Sheet {
    public let fileName: String
    public let header: CSVRecord
    public let rows: [SheetRow]

    /// Reads a sheet and checks its header against the template's columns:
    /// unknown columns and missing required columns are errors naming them.
    public init(reader: any RecordReading, columns: [SheetColumn]) throws {
        fileName = reader.fileName
        var records = try reader.readAll()
        records.removeAll { $0.isBlank }
        guard let header = records.first else {
            throw ImportDiagnostic(file: reader.fileName, line: 1, column: 1,
                                   message: "the file is empty; expected a header row with the columns "
                                       + columns.map(\.name).joined(separator: ","))
        }
        self.header = header
        var index: [String: Int] = [:]
        var problems: [ImportDiagnostic] = []
        if let hint = Sheet.wrongDelimiterHint(header: header, delimiter: reader.delimiter, columns: columns) {
            throw ImportDiagnostics([ImportDiagnostic(file: fileName, line: header.line, column: 1, message: hint)])
        }
        let known = Set(columns.map(\.name))
        for (i, raw) in header.fields.enumerated() {
            let name = Sheet.normalize(raw)
            if name.isEmpty && i == header.fields.count - 1 { continue } // trailing delimiter
            if !known.contains(name) {
                let hint = Suggestions.closest(to: name, among: Array(known)).first.map { "; did you mean \"\($0)\"?" } ?? ""
                problems.append(ImportDiagnostic(file: fileName, line: header.line, column: i + 1,
                                                 message: "unknown column \"\(raw)\"\(hint) (expected columns: \(columns.map(\.name).joined(separator: ",")))"))
            } else if index[name] != nil {
                problems.append(ImportDiagnostic(file: fileName, line: header.line, column: i + 1,
                                                 message: "column \"\(raw)\" appears twice"))
            } else {
                index[name] = i
            }
        }
        for column in columns where column.required && index[column.name] == nil {
            problems.append(ImportDiagnostic(file: fileName, line: header.line, column: nil,
                                             message: "the required column \"\(column.name)\" is missing (\(column.help))"))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        let width = header.fields.count
        // A trailing delimiter on the header makes an empty last name; rows may omit that field.
        let minimumWidth = header.fields.last.map { Sheet.normalize($0).isEmpty } == true ? width - 1 : width
        let info = SheetRow.Layout(fileName: fileName, columnIndex: index,
                                   decimalComma: reader.delimiter != UInt8(ascii: ","))
        var rows: [SheetRow] = []
        for record in records.dropFirst() {
            let extra = record.fields.count - width
            if extra > 0, record.fields.suffix(extra).contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(ImportDiagnostic(file: fileName, line: record.line, column: width + 1,
                                                 message: "this row has \(record.fields.count) fields but the header has \(width); expected \(width) (wrong delimiter or an unquoted comma?)"))
                continue
            }
            if record.fields.count < minimumWidth {
                problems.append(ImportDiagnostic(file: fileName, line: record.line, column: record.fields.count + 1,
                                                 message: "this row has \(record.fields.count) field(s) but the header has \(minimumWidth); expected \(minimumWidth) (a truncated row, or a wrong delimiter?)"))
                continue
            }
            rows.append(SheetRow(layout: info, record: record))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        self.rows = rows
    }

    /// A header read as one column that holds another separator (`code;name;…` read with `,`):
    /// the file uses a different delimiter than the one in force.
    static func wrongDelimiterHint(header: CSVRecord, delimiter: UInt8, columns: [SheetColumn]) -> String? {
        guard header.fields.count == 1, columns.count > 1 else { return nil }
        let text = header.fields[0]
        let used = String(UnicodeScalar(delimiter) == "\t" ? "tab" : String(UnicodeScalar(delimiter)))
        for (candidate, name) in [(",", ","), (";", ";"), ("\t", "tab"), ("|", "|")] where text.contains(candidate) {
            let parts = text.components(separatedBy: candidate).map(normalize)
            let known = Set(columns.map(\.name))
            guard parts.contains(where: known.contains) else { continue }
            return "the header \"\(text)\" is one column when split on '\(used)'; the file seems to use '\(name)' "
                + "as delimiter (wrong delimiter? try --delimiter '\(name)'); expected the columns "
                + columns.map(\.name).joined(separator: ",")
        }
        return nil
    }

    static func normalize(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// One row of a sheet with typed access; every failure names file, line, column, value and expectation.
public struct SheetRow {
    public struct Layout: Sendable {
        public let fileName: String
        public let columnIndex: [String: Int]
        /// The file is not comma-delimited, so `4,52` is a decimal comma (French/German Excel).
        public var decimalComma = false
    }

    public let layout: Layout
    public let record: CSVRecord
    /// Where a cell that cannot be read is noted, when the sheet runner asks for every bad cell of
    /// a row (`CellProblems`); nil (anyone else reading rows): the first bad cell throws.
    var cellProblems: CellProblems?

    public var line: Int { record.line }

    /// The trimmed text of a column; nil when the column is absent or the cell empty.
    public func text(_ column: String) -> String? {
        guard let index = layout.columnIndex[column] else { return nil }
        let value = Self.trimmed(record[index])
        return value.isEmpty ? nil : value
    }

    /// The text without surrounding spaces and tabs (`.whitespaces`): ASCII ones are cut here,
    /// anything else at the ends goes to Foundation.
    static func trimmedSpaces(_ text: String) -> String {
        let bytes = text.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start, bytes[bytes.index(before: end)] == 0x20 || bytes[bytes.index(before: end)] == 0x09 { end = bytes.index(before: end) }
        guard start < end else { return "" }
        let first = bytes[start], last = bytes[bytes.index(before: end)]
        guard first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F else { return text.trimmingCharacters(in: .whitespaces) }
        return String(text[start..<end])
    }

    /// The text without surrounding white space and newlines. A cell that starts and ends with a
    /// printable ASCII character (nearly every cell) is returned as it is, without Foundation.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        if first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func requiredText(_ column: String) throws -> String {
        guard let value = text(column) else { throw error(column, value: "", expected: "a value (this column is required)") }
        return value
    }

    /// A number; accepts a decimal comma only when the file is not comma-delimited.
    public func number(_ column: String, unit: String = "", minimum: Double? = nil, exclusiveMinimum: Bool = false,
                       maximum: Double? = nil) throws -> Double? {
        do {
            return try checkedNumber(column, unit: unit, minimum: minimum, exclusiveMinimum: exclusiveMinimum, maximum: maximum)
        } catch let diagnostic as ImportDiagnostic {
            try refuse(diagnostic)
            return nil
        }
    }

    private func checkedNumber(_ column: String, unit: String, minimum: Double?, exclusiveMinimum: Bool,
                               maximum: Double?) throws -> Double? {
        guard let raw = text(column) else { return nil }
        let value: Double
        switch DecimalNumber.parse(raw, decimalComma: layout.decimalComma) {
        case .success(let number): value = number
        case .failure(let failure):
            throw error(column, value: raw, expected: "a number" + (unit.isEmpty ? "" : " in \(unit)")
                        + (failure == .notDecimal ? "" : " (\(failure.reason))"))
        }
        if let minimum, exclusiveMinimum ? value <= minimum : value < minimum {
            throw error(column, value: raw, expected: "a number \(exclusiveMinimum ? ">" : "≥") \(Validate.format(minimum))" + (unit.isEmpty ? "" : " \(unit)"))
        }
        if let maximum, value > maximum {
            throw error(column, value: raw, expected: "a number ≤ \(Validate.format(maximum))" + (unit.isEmpty ? "" : " \(unit)"))
        }
        return value
    }

    public func requiredNumber(_ column: String, unit: String = "", minimum: Double? = nil,
                               exclusiveMinimum: Bool = false, maximum: Double? = nil) throws -> Double {
        guard let value = try checkedNumber(column, unit: unit, minimum: minimum, exclusiveMinimum: exclusiveMinimum,
                                            maximum: maximum) else {
            throw error(column, value: "", expected: "a number" + (unit.isEmpty ? "" : " in \(unit)") + " (this column is required)")
        }
        return value
    }

    /// A decimal number; `4,52` too when the file's delimiter is not a comma.
    public func parseNumber(_ raw: String) -> Double? {
        DecimalNumber.double(raw, decimalComma: layout.decimalComma)
    }

    public func integer(_ column: String, minimum: Int? = nil) throws -> Int? {
        guard let raw = text(column) else { return nil }
        guard let value = Int(raw) else {
            try refuse(error(column, value: raw, expected: "a whole number"))
            return nil
        }
        if let minimum, value < minimum {
            try refuse(error(column, value: raw, expected: "a whole number ≥ \(minimum)"))
            return nil
        }
        return value
    }

    /// A date written YYYY-MM-DD.
    public func date(_ column: String) throws -> String? {
        guard let raw = text(column) else { return nil }
        guard Validate.isISODate(raw) else {
            try refuse(error(column, value: raw, expected: Validate.expectedDate(raw)))
            return nil
        }
        return raw
    }

    /// One of a fixed set of words.
    public func choice(_ column: String, _ allowed: [String]) throws -> String? {
        guard let raw = text(column) else { return nil }
        guard allowed.contains(raw) else {
            try refuse(error(column, value: raw, expected: "one of " + allowed.joined(separator: ", ")))
            return nil
        }
        return raw
    }

    /// A cell that cannot be read: noted, and read as empty, when the runner collects every bad
    /// cell of the row (it refuses the row afterwards); thrown otherwise.
    func refuse(_ diagnostic: ImportDiagnostic) throws {
        guard let cellProblems else { throw diagnostic }
        cellProblems.diagnostics.append(diagnostic)
    }

    /// Refuses the row now if a bad cell was noted: for importers that check a whole row before
    /// their first write (`SheetImporter.checksRowsBeforeWriting`).
    func throwCellProblems() throws {
        try cellProblems?.throwIfAny()
    }

    /// A diagnostic at this row and column.
    public func error(_ column: String, value: String, expected: String) -> ImportDiagnostic {
        let index = layout.columnIndex[column]
        let shown = value.isEmpty ? "an empty cell" : "\"\(value)\""
        return ImportDiagnostic(file: layout.fileName, line: record.line, column: index.map { $0 + 1 },
                                message: "\(column): \(shown) is not valid; expected \(expected)")
    }

    /// A diagnostic for a whole row (e.g. a record that refers to something missing).
    public func error(_ column: String, _ message: String) -> ImportDiagnostic {
        ImportDiagnostic(file: layout.fileName, line: record.line,
                         column: layout.columnIndex[column].map { $0 + 1 }, message: "\(column): \(message)")
    }
}
