import CSQLite
import Foundation

/// One connection to the lab's SQLite file.
///
/// Every connection is configured the same way: foreign keys on, double-quoted string
/// literals off, extended result codes, WAL journal (read-write), a busy timeout, and an
/// early check that the file really is a SQLite database.
public final class Database {
    public enum Mode: Sendable { case readWrite, readOnly }

    public let path: String
    public let mode: Mode
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]
    private var transactionDepth = 0

    /// Opens (and, read-write, creates) the database at `path`.
    /// - Parameter busyTimeoutMilliseconds: how long a writer waits for another one.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 60_000) throws {
        self.path = path
        self.mode = mode
        var db: OpaquePointer?
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(extendedResultCode: code, message: "cannot open \(path): \(message)")
        }
        self.handle = db
        do {
            try configure(busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    private func configure(busyTimeoutMilliseconds: Int32) throws {
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        // Double-quoted strings are identifiers only: "x" never silently becomes 'x'.
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_DQS_DML, 0, nil)
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_DQS_DDL, 0, nil)
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_ENABLE_FKEY, 1, nil)
        // Reading the schema fails at once with SQLITE_NOTADB on a file that is not SQLite.
        do {
            _ = try scalar("SELECT count(*) FROM sqlite_schema")
        } catch let error as DatabaseError where error.isNotADatabase {
            throw DatabaseError(extendedResultCode: error.extendedResultCode,
                                message: "\(path) is not a SQLite database (\(error.message))")
        }
        try execute("PRAGMA foreign_keys = ON")
        if mode == .readWrite {
            let journal = try scalar("PRAGMA journal_mode = WAL")?.string
            if journal?.lowercased() != "wal" && path != ":memory:" && !path.isEmpty {
                throw DatabaseError(extendedResultCode: SQLITE_ERROR,
                                    message: "could not switch \(path) to WAL journal mode (got \(journal ?? "nothing"))")
            }
            // FULL: a committed import survives a power cut, not only a crash.
            try execute("PRAGMA synchronous = FULL")
        } else {
            try execute("PRAGMA query_only = ON")
        }
    }

    // MARK: - Statements

    /// A new prepared statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// A prepared statement kept for reuse (imports run the same INSERT thousands of times).
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs one statement with bound arguments.
    public func execute(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws {
        try cachedStatement(sql).execute(arguments)
    }

    /// Runs several statements without arguments (migrations, scripts written by us).
    public func executeScript(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw DatabaseError(extendedResultCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    public func rows(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> [Row] {
        try cachedStatement(sql).rows(arguments)
    }

    public func firstRow(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Row? {
        var first: Row?
        try cachedStatement(sql).forEachRow(arguments) { row in
            if first == nil { first = row }
        }
        return first
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> SQLValue? {
        try firstRow(sql, arguments)?.values.first
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: - Transactions

    /// Runs `body` in a write transaction started with `BEGIN IMMEDIATE` (so a second
    /// writer waits for the lock up front instead of failing half-way). Commits when
    /// `body` returns, rolls back when it throws. Nested calls use savepoints.
    @discardableResult
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            return try savepoint(body)
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        let name = "lims_sp_\(transactionDepth)"
        try executeScript("SAVEPOINT \(name)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try executeScript("RELEASE \(name)")
            return result
        } catch {
            try? executeScript("ROLLBACK TO \(name); RELEASE \(name)")
            throw error
        }
    }

    /// Runs `body` in a read transaction: a consistent snapshot that never blocks writers (WAL).
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try body() }
        try execute("BEGIN DEFERRED")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Errors

    func error(code: Int32, sql: String?) -> DatabaseError {
        let extended = sqlite3_extended_errcode(handle)
        return DatabaseError(extendedResultCode: extended != 0 ? extended : code,
                             message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
