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
            // A fresh statement: a cached one could be re-entered by `body`. Streamed: on PostgreSQL
            // one row at a time (memory stays flat), so `body` only writes output, never queries.
            let statement = try self.db.prepare(sql)
            try statement.forEachStreamedRow(arguments) { try body(cells($0)) }
        }
    }
}
