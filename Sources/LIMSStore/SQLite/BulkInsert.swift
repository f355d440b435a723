import CSQLite

/// Writes `RowBatch`es into one table, for imports of millions of rows.
///
/// SQLite: one `INSERT INTO t (…) SELECT c0, c1, … FROM lims_rows(?)` per batch, the batch bound
/// as a pointer (CSQLite's `lims_rows`). Every row gets the same checks as through a one-row
/// INSERT — NOT NULL, CHECKs, foreign keys, every index — but the statement's set-up (the VDBE
/// start and halt, cursors on the table, its indexes and its keys' parents, the lookup tables of
/// `IN (…)` CHECKs, opened anew per step otherwise) is paid once per batch instead of once per
/// row, which was half of the time of a large import.
/// PostgreSQL: one prepared INSERT per row, bound typed (the server checks each as always).
///
/// `constants` are columns with one value for every row (a batch id, a timestamp): bound once,
/// not stored in each row of the batch.
public final class BulkInsert {
    public let table: String
    public let columns: [String]
    private let statement: Statement
    private let database: Database

    /// `table`, `columns` and the constants' names are the caller's identifiers, never user text.
    public init(db: Database, table: String, columns: [String], constants: [(column: String, value: SQLValue)] = []) throws {
        precondition(!columns.isEmpty && columns.count <= Int(LIMS_ROWS_COLUMNS), "1…\(LIMS_ROWS_COLUMNS) batch columns")
        self.table = table
        self.columns = columns
        database = db
        let names = (columns + constants.map(\.column)).joined(separator: ", ")
        if db.engine == .sqlite {
            try db.registerRowsModule()
            // ?1 is the batch; the constants follow as ?2, ?3, …
            let selected = columns.indices.map { "c\($0)" } + constants.indices.map { "?\($0 + 2)" }
            statement = try db.cachedStatement("INSERT INTO \(table) (\(names)) SELECT \(selected.joined(separator: ", ")) FROM lims_rows(?1)")
            for (offset, constant) in constants.enumerated() { try statement.bind(constant.value, at: offset + 2) }
        } else {
            let placeholders = Array(repeating: "?", count: columns.count + constants.count).joined(separator: ", ")
            statement = try db.cachedStatement("INSERT INTO \(table) (\(names)) VALUES (\(placeholders))")
            for (offset, constant) in constants.enumerated() { try statement.bind(constant.value, at: columns.count + offset + 1) }
        }
    }

    /// Writes every row of `batch` (which must have this insert's columns), in order.
    public func insert(_ batch: RowBatch) throws {
        guard !batch.isEmpty else { return }
        precondition(batch.columns == columns.count && batch.rowsAreComplete, "a batch of \(columns.count) complete columns per row")
        if database.engine == .sqlite { return try statement.run(rows: batch) }
        for row in 0..<batch.count {
            for column in 0..<batch.columns { try statement.bind(batch[row, column], at: column + 1) }
            try statement.run()
        }
    }
}

extension Statement {
    /// Binds one `SQLValue` at a 1-based index (typed binding).
    public func bind(_ value: SQLValue, at index: Int) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try bind(v, at: index)
        case .text(let v): try bind(v, at: index)
        case .blob:
            // No blob column is bulk-written; the array API binds blobs.
            throw DatabaseError(engine: database.engine, message: "typed binding has no blob values", sql: sql)
        }
    }
}
