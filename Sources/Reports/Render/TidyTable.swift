import Foundation
import LIMSStore

/// A table for machines (`--format csv`): one observation per row, numbers in numeric columns
/// (full precision, empty when missing), qualifiers, marks and letters in their own text columns.
public struct TidyTable: Sendable {
    public enum Column: Sendable {
        case text(String), number(String)
        public var name: String { switch self { case .text(let n), .number(let n): return n } }
        public var isNumber: Bool { if case .number = self { return true }; return false }
    }

    public enum Cell: Sendable {
        case text(String), number(Double?)
        public static func int(_ i: Int) -> Cell { .number(Double(i)) }
    }

    public var columns: [Column]
    public var rows: [[Cell]] = []
    /// Rows made on demand, after `rows`: a per-sample table of a large study is written straight to its
    /// file row by row and never held (10⁵ samples × 17 elements are 1.7 × 10⁶ rows).
    public var rowSource: (@Sendable (_ emit: ([Cell]) -> Void) -> Void)?

    public init(columns: [Column], rows: [[Cell]] = []) { self.columns = columns; self.rows = rows }

    /// A table whose rows are produced when it is written (`rowSource`).
    public init(columns: [Column], rowSource: @escaping @Sendable (_ emit: ([Cell]) -> Void) -> Void) {
        self.columns = columns; self.rowSource = rowSource
    }

    /// Every row: the held ones, then the produced ones.
    public func forEachRow(_ body: ([Cell]) -> Void) {
        for row in rows { body(row) }
        rowSource?(body)
    }

    /// RFC 4180 CSV. Text cells that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`)
    /// get a leading apostrophe, as `lims export` does (`CSVField`); numbers are never touched.
    public func renderCSV() -> String {
        var out = ""
        writeCSV { out += $0 }
        return out
    }

    /// The CSV in pieces of about 64 kB (`renderCSV` joined), for writing a large table to a file.
    public func writeCSV(_ write: (String) -> Void) {
        writeCSVBytes { write(String(decoding: $0, as: UTF8.self)) }
    }

    /// Writes the CSV to a file, streamed (the table is never rendered whole).
    public func writeCSV(to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var failure: Error?
        writeCSVBytes { piece in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(piece)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The CSV as UTF-8 bytes in pieces of about 64 kB. Cells are appended to one byte buffer (no String
    /// per cell): a per-sample table of 10⁵ samples is ~10⁷ cells.
    func writeCSVBytes(_ write: ([UInt8]) -> Void) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16 + 4096)
        buffer.append(contentsOf: columns.map { CSVText.escape($0.name) }.joined(separator: ",").utf8)
        buffer.append(0x0A)
        forEachRow { row in
            var first = true
            for cell in row {
                if !first { buffer.append(0x2C) }
                first = false
                Self.appendCSV(cell, to: &buffer)
            }
            buffer.append(0x0A)
            if buffer.count >= 1 << 16 { write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        if !buffer.isEmpty { write(buffer) }
    }

    static func csvText(_ cell: Cell) -> String {
        var bytes: [UInt8] = []
        appendCSV(cell, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One cell's CSV text appended to `buffer`: the same text as `CSVField.csv` (text) and
    /// `String(Int64(d))` / `"\(d)"` (numbers), without building a String in the common cases.
    static func appendCSV(_ cell: Cell, to buffer: inout [UInt8]) {
        switch cell {
        case .text(let s):
            // Plain text (no quote, comma, line break, no formula lead) is written as it is.
            var plain = true
            var count = 0
            for byte in s.utf8 {
                if count == 0 {   // the formula leads of `CSVField`: = + - @ tab CR
                    switch byte { case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: plain = false; default: break }
                    if !plain { break }
                }
                if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { plain = false; break }
                count += 1
            }
            if plain { buffer.append(contentsOf: s.utf8) } else { buffer.append(contentsOf: CSVField.csv(s).utf8) }
        case .number(let d):
            guard let d, d.isFinite else { return }
            if d == d.rounded(), abs(d) < 1e15 { appendInteger(Int64(d), to: &buffer); return }
            buffer.append(contentsOf: d.description.utf8)
        }
    }

    /// Decimal digits of `value` (what `String(value)` prints).
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value == 0 { buffer.append(0x30); return }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 { raw[n] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30; magnitude /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(raw[i]) }
        }
    }

    /// Frictionless Table Schema fields (`number` / `string`), written beside the CSVs.
    public var schemaFields: JSONValue {
        .array(columns.map { .object([("name", .string($0.name)), ("type", .string($0.isNumber ? "number" : "string"))]) })
    }

    /// A tidy version of a display table: a column whose cells are all numbers, optionally with a leading
    /// `<`/`>` or trailing marks († ‡ § ⚠ …), becomes a number column plus `<name>_qualifier`; "–", "n.c."
    /// and empty cells are missing numbers; anything else stays text.
    public init(display table: MarkdownTable) {
        var columns: [Column] = [], cellsByColumn: [[Cell]] = []
        for (index, name) in table.columns.enumerated() {
            let raw = table.rows.map { index < $0.count ? $0[index] : "" }
            let parsed = raw.map(Self.parseDisplayNumber)
            let numeric = raw.contains { !Self.isMissing($0) } && parsed.allSatisfy { $0 != nil }
            if numeric {
                columns.append(.number(name)); cellsByColumn.append(parsed.map { .number($0!.value) })
                if parsed.contains(where: { !$0!.qualifier.isEmpty }) {
                    columns.append(.text(name + " qualifier")); cellsByColumn.append(parsed.map { .text($0!.qualifier) })
                }
            } else {
                columns.append(.text(name)); cellsByColumn.append(raw.map { .text($0) })
            }
        }
        self.columns = columns
        rows = table.rows.indices.map { r in cellsByColumn.map { $0[r] } }
    }

    static func isMissing(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        return t.isEmpty || t.hasPrefix("–") || t.hasPrefix("n.c.")
    }

    /// (number, qualifier) of a display cell, or nil when it is not a (qualified) number.
    static func parseDisplayNumber(_ s: String) -> (value: Double?, qualifier: String)? {
        var t = s.trimmingCharacters(in: .whitespaces)
        if isMissing(t) {
            let marks = t.filter { "†‡§⚠".contains($0) }
            return (nil, t.hasPrefix("n.c.") ? "n.c." + marks : String(marks))
        }
        var qualifier = ""
        if t.hasPrefix("<") || t.hasPrefix(">") { qualifier = String(t.removeFirst()); t = t.trimmingCharacters(in: .whitespaces) }
        var marks = ""
        while let last = t.last, "†‡§⚠ ".contains(last) { if last != " " { marks.append(last) }; t.removeLast() }
        guard let value = Double(t) else { return nil }
        return (value, qualifier + String(marks.reversed()))
    }
}
