import CLibPQ
import CSQLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A prepared statement. Arguments are always bound (`?` or `?NNN` placeholders);
/// a statement can be reused with new arguments, which imports rely on for speed.
/// On PostgreSQL the work is done by `pg` (prepared on the server, `?` rewritten to `$n`).
public final class Statement {
    public let sql: String
    /// The SQLite statement (nil on PostgreSQL).
    let handle: OpaquePointer!
    let pg: PGStatement?
    unowned let database: Database
    /// PostgreSQL: the arguments of the next run, and the result whose row a cursor reads.
    private var pgArguments: [SQLValue] = []
    private var pgResult: OpaquePointer?
    private var pgRow: Int32 = 0

    init(database: Database, sql: String) throws {
        self.database = database
        self.sql = sql
        if let connection = database.pg {
            pg = PGStatement(connection: connection, sql: sql)
            handle = nil
            return
        }
        pg = nil
        var stmt: OpaquePointer?
        // The tail pointer points into the C string, so read it while that string is alive.
        var remainder = ""
        let code = sql.withCString { cSQL -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(database.handle, cSQL, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, &tail)
            if let tail { remainder = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
        guard let stmt else {
            throw DatabaseError(extendedResultCode: SQLITE_MISUSE, message: "the SQL holds no statement", sql: sql)
        }
        if !remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            sqlite3_finalize(stmt)
            throw DatabaseError(extendedResultCode: SQLITE_MISUSE,
                                message: "a prepared statement must hold exactly one SQL statement", sql: sql)
        }
        self.handle = stmt
    }

    deinit { if pg == nil { sqlite3_finalize(handle) } }

    /// Names of the result columns.
    public var columnNames: [String] {
        if let pg { return (try? pg.columnNames()) ?? [] }
        return (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// True when the statement does not write (used by the read-only `lims sql`). On PostgreSQL
    /// judged by its first word; the read-only connection makes the server refuse any write anyway.
    public var isReadOnly: Bool {
        guard pg != nil else { return sqlite3_stmt_readonly(handle) != 0 }
        let first = sql.drop { !$0.isLetter }.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW"].contains(first)
    }

    public var parameterCount: Int { pg?.parameterCount ?? Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds positional arguments, replacing any earlier ones.
    public func bind(_ arguments: [any SQLValueConvertible]) throws {
        try bind(count: arguments.count) { arguments[$0].sqlValue }
    }

    /// Binds values, replacing any earlier ones (without boxing each one as `any SQLValueConvertible`).
    public func bind(values: [SQLValue]) throws {
        try bind(count: values.count) { values[$0] }
    }

    private func bind(count: Int, _ argument: (Int) -> SQLValue) throws {
        try database.requireOpenTransaction(sql: sql)
        if let pg {
            guard count == pg.parameterCount else {
                throw DatabaseError(sqlState: "08P01",
                                    message: "statement expects \(pg.parameterCount) arguments, got \(count)", sql: sql)
            }
            pgArguments = (0..<count).map(argument)
            return
        }
        sqlite3_reset(handle)
        // Every parameter is bound again below, so the old values need no sqlite3_clear_bindings
        // (which frees their buffers only for the next bind to allocate them again).
        guard count == parameterCount else {
            throw DatabaseError(extendedResultCode: SQLITE_RANGE,
                                message: "statement expects \(parameterCount) arguments, got \(count)", sql: sql)
        }
        for offset in 0..<count {
            try bind(argument(offset), at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = sqlite3_bind_double(handle, index, v)
        case .text(let v): code = bindText(v, at: index)
        case .blob(let v):
            code = v.withUnsafeBytes { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), lims_sqlite_transient())
            }
        }
        guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
    }

    /// Text with its UTF-8 length (no strlen), copied by SQLite into the parameter's buffer,
    /// which it keeps for the next value bound there. Up to a NUL, as SQLite read the C string
    /// this bound before (a NUL in a cell never reaches the database).
    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(handle, index, "", 0, lims_sqlite_transient())  // '' is text, not NULL
            }
            let length = memchr(base, 0, bytes.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
            return base.withMemoryRebound(to: CChar.self, capacity: length) {
                sqlite3_bind_text(handle, index, $0, Int32(length), lims_sqlite_transient())
            }
        }
    }

    // MARK: Typed binding, for hot inserts

    // One value at a 1-based parameter index, without an array of existentials per row. Values
    // stay bound until replaced, also across `run()`, so a loop binds only what changed since the
    // last row (a batch id, a unit, an analyte stay). The statement must not be mid-query.

    public func bind(_ value: Int64?, at index: Int) throws {
        guard let value else { return try bindNull(at: index) }
        if pg != nil { return try setPG(.integer(value), at: index) }
        try check(sqlite3_bind_int64(handle, Int32(index), value))
    }

    public func bind(_ value: Int?, at index: Int) throws {
        try bind(value.map { Int64($0) }, at: index)
    }

    /// NaN is bound as NULL, as `Double.sqlValue` does.
    public func bind(_ value: Double?, at index: Int) throws {
        guard let value, !value.isNaN else { return try bindNull(at: index) }
        if pg != nil { return try setPG(.real(value), at: index) }
        try check(sqlite3_bind_double(handle, Int32(index), value))
    }

    public func bind(_ value: String?, at index: Int) throws {
        guard let value else { return try bindNull(at: index) }
        if pg != nil { return try setPG(.text(value), at: index) }
        try check(bindText(value, at: Int32(index)))
    }

    public func bindNull(at index: Int) throws {
        if pg != nil { return try setPG(.null, at: index) }
        try check(sqlite3_bind_null(handle, Int32(index)))
    }

    /// Runs the statement with the values bound now (rows it returns are ignored); they stay bound.
    public func run() throws {
        try database.requireOpenTransaction(sql: sql)
        if let pg {
            if pgArguments.count != pg.parameterCount {
                throw DatabaseError(sqlState: "08P01", message: "statement expects \(pg.parameterCount) arguments, "
                                    + "\(pgArguments.count) were bound", sql: sql)
            }
            return PQclear(try pg.run(pgArguments))
        }
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// SQLite: runs an `INSERT … SELECT … FROM lims_rows(?1)` over `batch` (see `BulkInsert`).
    func run(rows batch: RowBatch) throws {
        try database.requireOpenTransaction(sql: sql)
        sqlite3_reset(handle)
        try batch.withCBatch { pointer in
            try check(lims_bind_row_batch(handle, 1, pointer))
            // The pointer is valid only here: unbound again before it dangles.
            defer { sqlite3_reset(handle); sqlite3_bind_null(handle, 1) }
            while try step() {}
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
    }

    private func setPG(_ value: SQLValue, at index: Int) throws {
        guard let pg, index >= 1, index <= pg.parameterCount else {
            throw DatabaseError(sqlState: "08P01", message: "no parameter \(index): the statement has \(parameterCount)", sql: sql)
        }
        if pgArguments.count != pg.parameterCount { pgArguments = Array(repeating: .null, count: pg.parameterCount) }
        pgArguments[index - 1] = value
    }

    /// Runs a statement that returns no rows (or ignores them).
    public func execute(_ arguments: [any SQLValueConvertible] = []) throws {
        try bind(arguments)
        try run()
    }

    /// `execute` with values (see `bind(values:)`).
    public func execute(values: [SQLValue]) throws {
        try bind(values: values)
        try run()
    }

    /// Runs a query and calls `body` for each row without collecting them all in memory.
    public func forEachRow(_ arguments: [any SQLValueConvertible] = [], _ body: (Row) throws -> Void) throws {
        try bind(arguments)
        try forEachBoundRow(body)
    }

    /// `forEachRow` with values (see `bind(values:)`).
    public func forEachRow(values: [SQLValue], _ body: (Row) throws -> Void) throws {
        try bind(values: values)
        try forEachBoundRow(body)
    }

    private func forEachBoundRow(_ body: (Row) throws -> Void) throws {
        if pg != nil { return try pgForEachRow(streaming: false, body) }
        defer { sqlite3_reset(handle) }
        // Names are read at the first row: a lookup that finds nothing builds no strings.
        var names: [String]?
        while try step() {
            if names == nil { names = columnNames }
            try body(Row(columns: names!, values: currentValues()))
        }
    }

    /// The current row of `forEachCursor`, read column by column: the same `SQLValue`s a `Row` holds,
    /// without building an array and a `Row` per row (loads of 10⁶ rows spend a third of their time there).
    public struct Cursor {
        fileprivate let statement: Statement
        public subscript(_ index: Int) -> SQLValue { statement.column(at: Int32(index)) }

        /// The UTF-8 bytes of a column as text (nil for NULL), valid only during `body`: a load of 10⁷
        /// values compares and interns its repeated texts (analyte, unit, method) without making a
        /// `String` per value. For a TEXT column, the bytes `self[index].string` decodes.
        public func withTextBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
            try statement.withTextBytes(at: Int32(index), body)
        }
    }

    /// Runs a query and calls `body` with a cursor on each row (valid only during the call).
    /// On PostgreSQL the rows are streamed one at a time (single-row mode): `body` must not use the database.
    public func forEachCursor(_ arguments: [any SQLValueConvertible] = [], _ body: (Cursor) throws -> Void) throws {
        try bind(arguments)
        if let pg {
            let cursor = Cursor(statement: self)
            defer { pgResult = nil }
            return try pg.stream(pgArguments) { result in
                pgResult = result
                pgRow = 0
                try body(cursor)
            }
        }
        defer { sqlite3_reset(handle) }
        let cursor = Cursor(statement: self)
        while try step() { try body(cursor) }
    }

    /// Like `forEachRow`, but on PostgreSQL streamed one row at a time (memory stays flat on a
    /// large export); `body` must not use the database meanwhile. On SQLite the same as `forEachRow`.
    public func forEachStreamedRow(_ arguments: [any SQLValueConvertible] = [], _ body: (Row) throws -> Void) throws {
        guard pg != nil else { return try forEachRow(arguments, body) }
        try bind(arguments)
        try pgForEachRow(streaming: true, body)
    }

    /// PostgreSQL rows, buffered by libpq (the body may run other statements) or streamed.
    private func pgForEachRow(streaming: Bool, _ body: (Row) throws -> Void) throws {
        guard let pg else { return }
        func rows(of result: OpaquePointer) throws {
            let count = PQnfields(result)
            let names = (0..<count).map { String(cString: PQfname(result, $0)) }
            for row in 0..<PQntuples(result) {
                var values: [SQLValue] = []
                values.reserveCapacity(Int(count))
                for column in 0..<count { values.append(PGStatement.value(result, row: row, column: column)) }
                try body(Row(columns: names, values: values))
            }
        }
        if streaming { return try pg.stream(pgArguments, rows) }
        let result = try pg.run(pgArguments)
        defer { PQclear(result) }
        try rows(of: result)
    }

    /// Runs an `INSERT … RETURNING id` and returns the new row's id.
    public func insert(_ arguments: [any SQLValueConvertible]) throws -> Int64 {
        try insert(values: arguments.map(\.sqlValue))
    }

    /// `insert` with values (see `bind(values:)`).
    public func insert(values: [SQLValue]) throws -> Int64 {
        var id: Int64?
        try forEachRow(values: values) { row in if id == nil { id = row.values.first?.int64 } }
        guard let id else {
            throw DatabaseError(engine: database.engine, message: "the INSERT returned no id (it needs RETURNING id)", sql: sql)
        }
        return id
    }

    /// The first column of the first row (nil when there is none), without building a `Row`.
    public func scalarValue(_ arguments: [any SQLValueConvertible] = []) throws -> SQLValue? {
        var value: SQLValue?
        try forEachCursor(arguments) { cursor in if value == nil { value = cursor[0] } }
        return value
    }

    /// Runs a query and returns all its rows.
    public func rows(_ arguments: [any SQLValueConvertible] = []) throws -> [Row] {
        var result: [Row] = []
        try forEachRow(arguments) { result.append($0) }
        return result
    }

    /// `rows` with values (see `bind(values:)`).
    public func rows(values: [SQLValue]) throws -> [Row] {
        var result: [Row] = []
        try forEachRow(values: values) { result.append($0) }
        return result
    }

    /// Steps once; true while there is a row.
    private func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(code: code, sql: sql)
        }
    }

    private func currentValues() -> [SQLValue] {
        // A plain loop: the generic `map` over a range was a third of the time of a big export.
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        var index: Int32 = 0
        while index < count {
            values.append(column(at: index))
            index += 1
        }
        return values
    }

    fileprivate func withTextBytes<R>(at index: Int32, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        if let pgResult {
            guard PQgetisnull(pgResult, pgRow, index) == 0, let pointer = PQgetvalue(pgResult, pgRow, index) else { return try body(nil) }
            let count = Int(PQgetlength(pgResult, pgRow, index))
            return try pointer.withMemoryRebound(to: UInt8.self, capacity: count) { try body(UnsafeBufferPointer(start: $0, count: count)) }
        }
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let text = sqlite3_column_text(handle, index) else { return try body(nil) }
        // Called after sqlite3_column_text, so the count is of the UTF-8 text (SQLite's documented order).
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeBufferPointer(start: text, count: count))
    }

    fileprivate func column(at index: Int32) -> SQLValue {
        if let pgResult { return PGStatement.value(pgResult, row: pgRow, column: index) }
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default:
            return .text(String(cString: sqlite3_column_text(handle, index)))
        }
    }
}
