/// How a measured value is shown: censored values as the lab writes them (`<0.01`,
/// `>500`, `nd`), never as a bare number, so nobody copies a detection limit as a result.
public enum ReportedValue {
    /// True for values below detection or over range (they have no plain number).
    public static func isCensored(_ qualifier: String) -> Bool {
        qualifier == "<" || qualifier == ">" || qualifier == "nd"
    }

    /// The text to print for a value with its qualifier and detection limit.
    public static func text(value: Double?, qualifier: String, detectionLimit: Double?) -> String {
        switch qualifier {
        case "=": return value.map(Validate.format) ?? ""
        case "<":
            if let limit = detectionLimit ?? value { return "<" + Validate.format(limit) }
            return "<DL"
        case ">": return value.map { ">" + Validate.format($0) } ?? ">"
        case "nd": return detectionLimit.map { "<" + Validate.format($0) } ?? "nd"
        default: return qualifier
        }
    }

    /// A table cell: a number when uncensored, the censored text otherwise (JSON keeps it as text).
    public static func cell(value: Double?, qualifier: String, detectionLimit: Double?) -> Cell {
        let display = text(value: value, qualifier: qualifier, detectionLimit: detectionLimit)
        if qualifier == "=", let value { return .number(value, display: display) }
        return display.isEmpty ? .null : .text(display)
    }

    static func cell(_ row: Row, value: String = "value", qualifier: String = "qualifier",
                     detectionLimit: String = "detection_limit") -> Cell {
        cell(value: row.double(value), qualifier: row.string(qualifier) ?? "=", detectionLimit: row.double(detectionLimit))
    }
}

extension Cell {
    /// A computed figure (extractable amount, percentage) to 6 significant digits.
    static func computed(_ value: Double?) -> Cell {
        guard let value, value.isFinite else { return .null }
        let text = String(format: "%.6g", value)
        return .number(value, display: text.contains("e") ? text : Validate.format(Double(text) ?? value))
    }
}

/// The rows of a query, produced on demand: a CSV export streams them, a table collects them.
public struct QueryRows {
    public let columns: [String]
    private let producer: (([Cell]) throws -> Void) throws -> Void

    init(columns: [String], producer: @escaping (([Cell]) throws -> Void) throws -> Void) {
        self.columns = columns
        self.producer = producer
    }

    /// Calls `body` for every row, one at a time (rows are not kept in memory).
    public func forEachRow(_ body: ([Cell]) throws -> Void) throws {
        try withoutActuallyEscaping(body) { try producer($0) }
    }

    public func collect() throws -> ResultTable {
        var table = ResultTable(columns: columns)
        try forEachRow { table.rows.append($0) }
        return table
    }
}

extension LabStore {
    /// Runs `sql` and maps each row to cells, streaming.
    func queryRows(columns: [String], sql: String, arguments: [any SQLValueConvertible],
                   cells: @escaping (Row) -> [Cell]) -> QueryRows {
        QueryRows(columns: columns) { body in
            // A fresh statement: a cached one could be re-entered by `body`.
            let statement = try self.db.prepare(sql)
            try statement.forEachRow(arguments) { try body(cells($0)) }
        }
    }
}
