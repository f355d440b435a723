/// SQL typed by a power user (`lims sql`) and whole-table exports. The connection should be
/// opened read-only (SQLITE_OPEN_READONLY + `PRAGMA query_only`); on top of that a statement
/// that would write is refused before it runs.
public enum ReadOnlySQLError: Error, CustomStringConvertible, Equatable {
    case writes(String)
    case notOneStatement(String)

    public var description: String {
        switch self {
        case .writes(let sql):
            return "lims sql only reads; this statement would change the database: \(sql). "
                + "Make changes with the lims commands, which keep the audit log"
        case .notOneStatement(let message):
            return "lims sql runs exactly one statement: \(message)"
        }
    }
}

extension LabStore {
    /// Prepares `sql` and refuses it unless it only reads.
    public func readOnlyQuery(_ sql: String) throws -> QueryRows {
        let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        let statement: Statement
        do {
            statement = try db.prepare(trimmed)
        } catch let error as DatabaseError where error.extendedResultCode == 21 {  // SQLITE_MISUSE: several statements
            throw ReadOnlySQLError.notOneStatement(error.message)
        }
        // ATTACH/DETACH count as read-only to SQLite but change what the connection sees.
        let firstWord = trimmed.prefix { $0.isLetter }.uppercased()
        guard statement.isReadOnly, !["ATTACH", "DETACH"].contains(firstWord) else {
            throw ReadOnlySQLError.writes(trimmed)
        }
        return QueryRows(columns: statement.columnNames) { body in
            try statement.forEachRow { row in
                try body(row.values.map(Self.cell))
            }
        }
    }

    /// Every row of one of the lab's tables (names checked against the schema).
    public func tableRows(_ name: String) throws -> QueryRows {
        let tables = try tableNames()
        guard tables.contains(name) else {
            throw StoreError.notFound(kind: "table", key: name, suggestions: Suggestions.closest(to: name, among: tables))
        }
        // The name is one of the schema's own table names, quoted as an identifier.
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        // SQLite: in rowid order; PostgreSQL has no rowid, every lab table's first column is its key.
        return try readOnlyQuery("SELECT * FROM \(quoted) ORDER BY " + (db.engine == .sqlite ? "rowid" : "1"))
    }

    public func tableNames() throws -> [String] {
        try db.tableNames()
    }

    static func cell(_ value: SQLValue) -> Cell {
        switch value {
        case .null: return .null
        case .integer(let v): return .integer(v)
        case .real(let v): return .number(v, display: Validate.format(v))
        case .text(let v): return .text(v)
        case .blob(let v): return .text("<\(v.count) bytes>")
        }
    }
}
