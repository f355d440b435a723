import Foundation

/// A cell of a result table: kept typed so JSON gets numbers and CSV/table get text.
public enum Cell: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int64)
    /// A number and the text to show for it (e.g. "<0.01" for a censored value, or a rounded figure).
    case number(Double, display: String)

    public static func number(_ value: Double?) -> Cell {
        guard let value else { return .null }
        return .number(value, display: Validate.format(value))
    }

    public static func optionalText(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }

    public var display: String {
        switch self {
        case .null: return ""
        case .text(let v): return v
        case .integer(let v): return String(v)
        case .number(_, let display): return display
        }
    }
}

/// Rows and named columns: what list and query commands print as table, CSV or JSON.
public struct ResultTable: Sendable {
    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// Aligned plain-text columns for a terminal.
    public func renderText() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.display.count)
            }
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map { line($0.map(\.display)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header row. `guardingFormulas`: text cells that a spreadsheet would run
    /// as formulas get a leading apostrophe (see `CSVField`).
    public func renderCSV(guardingFormulas: Bool = false) -> String {
        var text = columns.map(CSVText.escape).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map { cell -> String in
                if guardingFormulas, case .text(let value) = cell { return CSVField.csv(value) }
                return CSVText.escape(cell.display)
            }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// A JSON array of objects, one per row; numbers stay numbers, censored values keep their text.
    public func renderJSON() -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [:]
            for (name, cell) in zip(columns, row) {
                switch cell {
                case .null: object[name] = NSNull()
                case .text(let v): object[name] = v
                case .integer(let v): object[name] = v
                case .number(let v, let display):
                    object[name] = (Double(display) != nil || display.isEmpty) ? v as Any : display as Any
                }
            }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

public enum CSVText {
    /// Quotes a field when it holds a comma, quote, or line break.
    public static func escape(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}
