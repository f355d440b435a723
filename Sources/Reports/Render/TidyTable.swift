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

    public init(columns: [Column], rows: [[Cell]] = []) { self.columns = columns; self.rows = rows }

    /// RFC 4180 CSV. Text cells that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`)
    /// get a leading apostrophe, as `lims export` does (`CSVField`); numbers are never touched.
    public func renderCSV() -> String {
        func esc(_ f: String) -> String { CSVText.escape(f) }
        func text(_ cell: Cell) -> String {
            switch cell {
            case .text(let s): return CSVField.csv(s)
            case .number(let d):
                guard let d, d.isFinite else { return "" }
                if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
                return "\(d)"
            }
        }
        return ([columns.map { esc($0.name) }] + rows.map { $0.map(text) }).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
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
