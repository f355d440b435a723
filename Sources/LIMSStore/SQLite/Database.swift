import CSQLite
import Foundation

/// One connection to the lab's database: a SQLite file, or a PostgreSQL server when `path`
/// is a `postgresql://` URL (see `DatabaseLocation`). The store talks to both through this API;
/// the SQL is written once (with `?` placeholders) and `engine` tells the few places that differ.
///
/// Every SQLite connection is configured the same way: foreign keys on, double-quoted string
/// literals off, extended result codes, WAL journal (read-write), a busy timeout, and an
/// early check that the file really is a SQLite database.
public final class Database {
    public enum Mode: Sendable { case readWrite, readOnly }
    public enum Engine: Sendable { case sqlite, postgresql }

    /// The file path, or for PostgreSQL the URL without its password.
    public let path: String
    public let mode: Mode
    public let engine: Engine
    /// The SQLite handle (nil on PostgreSQL).
    let handle: OpaquePointer!
    /// The PostgreSQL connection (nil on SQLite).
    let pg: PGConnection?
    private var statementCache: [String: Statement] = [:]
    private var transactionDepth = 0
    /// Changes whenever a transaction begins or ends, a savepoint is rolled back or a script runs:
    /// something read from the database and kept by the caller stays what the database holds
    /// while the epoch is the same, provided only the caller writes it meanwhile (see `LabStore.audit`).
    public private(set) var writeEpoch = 0
    /// The error after which SQLite rolled back our open transaction by itself (it does so on
    /// a full disk, an I/O error, out of memory): nothing may run in that transaction's name after it.
    private var transactionLostTo: DatabaseError?

    /// Process-wide SQLite settings, applied once before the first connection.
    private static let configured: Bool = lims_config_memstatus_off() == SQLITE_OK

    /// Opens (and, read-write, creates) the database at `path`.
    /// - Parameter busyTimeoutMilliseconds: how long a writer waits for another one.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 60_000) throws {
        _ = Database.configured
        self.mode = mode
        if DatabaseLocation.isServerURL(path) {
            let connection = try PGConnection(url: path, readOnly: mode == .readOnly,
                                              lockTimeoutMilliseconds: busyTimeoutMilliseconds)
            self.path = connection.displayName
            self.engine = .postgresql
            self.pg = connection
            self.handle = nil
            return
        }
        self.path = path
        self.engine = .sqlite
        self.pg = nil
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer
        do {
            db = try Database.openHandle(path, flags: flags)
        } catch let error as DatabaseError where error.resultCode == SQLITE_CANTOPEN && mode == .readWrite
                    && !FileManager.default.fileExists(atPath: path) && Database.folderIsReadOnly(path) {
            throw DatabaseError(extendedResultCode: SQLITE_READONLY,
                                message: "cannot create \(path): its folder is missing, read-only or not writable")
        }
        do {
            try Database.refuseSilentReadOnly(db, path: path, mode: mode)
            try Database.configure(db, path: path, mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch let error as DatabaseError where error.resultCode == SQLITE_CANTOPEN && Database.onReadOnlyMedia(path) {
            sqlite3_close_v2(db)
            // A WAL database needs its -shm file beside it. On read-only media (a write-protected
            // share, a mounted archive) it cannot be created, so a reader opens the file as
            // immutable instead: safe there, because nothing can change it. A writer is told why.
            guard mode == .readOnly else {
                throw DatabaseError(extendedResultCode: SQLITE_READONLY,
                                    message: "\(path) is on a read-only file system or in a folder that cannot be written")
            }
            db = try Database.openHandle(Database.immutableURI(path), flags: flags | SQLITE_OPEN_URI)
            do {
                try Database.configure(db, path: path, mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            } catch {
                sqlite3_close_v2(db)
                throw error
            }
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
        self.handle = db
    }

    private static func openHandle(_ name: String, flags: Int32) throws -> OpaquePointer {
        var db: OpaquePointer?
        let code = sqlite3_open_v2(name, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(extendedResultCode: code, message: "cannot open \(name): \(message)")
        }
        return db
    }

    /// SQLite quietly opens a file it cannot write read-only; a writer must hear it at once, not half-way.
    private static func refuseSilentReadOnly(_ db: OpaquePointer, path: String, mode: Mode) throws {
        if mode == .readWrite, sqlite3_db_readonly(db, "main") == 1 {
            throw DatabaseError(extendedResultCode: SQLITE_READONLY,
                                message: "\(path) cannot be opened for writing (read-only file or file system)")
        }
    }

    /// True when the file exists but its folder cannot be written (read-only mount, no permission).
    static func onReadOnlyMedia(_ path: String) -> Bool {
        guard path != ":memory:", !path.isEmpty, FileManager.default.fileExists(atPath: path) else { return false }
        return folderIsReadOnly(path)
    }

    static func folderIsReadOnly(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return access(folder.isEmpty ? "." : folder, W_OK) != 0
    }

    /// `file:` URI of a path with `immutable=1` (percent-encoding what a URI would misread).
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    deinit {
        statementCache.removeAll()
        insertStatementCache.removeAll()
        if pg == nil { sqlite3_close_v2(handle) }
    }

    /// Runs on a fresh handle before any `Database` owns it (statements here are not cached).
    private static func configure(_ handle: OpaquePointer, path: String, mode: Mode, busyTimeoutMilliseconds: Int32) throws {
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        // Double-quoted strings are identifiers only: "x" never silently becomes 'x'.
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_DQS_DML, 0, nil)
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_DQS_DDL, 0, nil)
        _ = lims_db_config_int(handle, SQLITE_DBCONFIG_ENABLE_FKEY, 1, nil)
        // Reading the schema fails at once with SQLITE_NOTADB on a file that is not SQLite.
        do {
            _ = try rawScalar(handle, "SELECT count(*) FROM sqlite_schema")
        } catch let error as DatabaseError where error.isNotADatabase {
            throw DatabaseError(extendedResultCode: error.extendedResultCode,
                                message: "\(path) is not a SQLite database (\(error.message))")
        }
        _ = try rawScalar(handle, "PRAGMA foreign_keys = ON")
        if mode == .readWrite {
            let journal = try rawScalar(handle, "PRAGMA journal_mode = WAL")
            if journal?.lowercased() != "wal" && path != ":memory:" && !path.isEmpty {
                throw DatabaseError(extendedResultCode: SQLITE_ERROR,
                                    message: "could not switch \(path) to WAL journal mode (got \(journal ?? "nothing"))")
            }
            // FULL: a committed import survives a power cut, not only a crash.
            _ = try rawScalar(handle, "PRAGMA synchronous = FULL")
            // 32 MB of page cache (default 2 MB): index upkeep of large imports stays in memory.
            _ = try rawScalar(handle, "PRAGMA cache_size = -32768")
        } else {
            _ = try rawScalar(handle, "PRAGMA query_only = ON")
        }
    }

    /// The first column of the first row as text, on a bare handle.
    private static func rawScalar(_ handle: OpaquePointer, _ sql: String) throws -> String? {
        var statement: OpaquePointer?
        var code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        if code == SQLITE_OK {
            code = sqlite3_step(statement)
            if code == SQLITE_ROW {
                return sqlite3_column_text(statement, 0).map { String(cString: $0) }
            }
            if code == SQLITE_DONE { return nil }
        }
        let extended = sqlite3_extended_errcode(handle)
        throw DatabaseError(extendedResultCode: extended != 0 ? extended : code,
                            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    // MARK: - Statements

    /// A new prepared statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// `lims_rows`, the table of in-memory rows that `BulkInsert` reads, on this SQLite connection.
    func registerRowsModule() throws {
        guard pg == nil, !rowsModuleRegistered else { return }
        let code = lims_register_rows_module(handle)
        guard code == SQLITE_OK else { throw error(code: code, sql: nil) }
        rowsModuleRegistered = true
    }
    private var rowsModuleRegistered = false

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
        writeEpoch &+= 1
        try requireOpenTransaction(sql: sql)
        if let pg { return try pg.run(sql) }
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw noteLostTransaction(DatabaseError(extendedResultCode: sqlite3_extended_errcode(handle), message: message, sql: sql))
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

    /// Runs an `INSERT … RETURNING id` and returns the new row's id (both engines).
    @discardableResult
    public func insert(_ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Int64 {
        guard let id = try scalar(sql, arguments)?.int64 else {
            throw DatabaseError(engine: engine, message: "the INSERT returned no id (it needs RETURNING id)", sql: sql)
        }
        return id
    }

    /// Inserts one row into `table` (whose `id` is its INTEGER PRIMARY KEY) and returns its id.
    /// Table and column names come from our code, never from input; every value is bound.
    ///
    /// On SQLite the id is read first — the largest id + 1, the rowid SQLite itself would give (no
    /// table uses AUTOINCREMENT) — and written in the INSERT: an `INSERT … RETURNING` runs as a
    /// statement with a trigger, for which SQLite keeps a statement journal (a copy of every page
    /// the INSERT changes, spilled to a temporary file), which was the largest cost of a samples
    /// sheet of 10⁵ rows. Call inside the write transaction, which keeps other writers out between
    /// the two statements. On PostgreSQL the identity gives the id (`RETURNING id`).
    @discardableResult
    public func insertRow(into table: String, columns: [String], values: [SQLValue]) throws -> Int64 {
        let statements = try insertStatements(table: table, columns: columns)
        guard let nextID = statements.nextID else { return try statements.insert.insert(values: values) }
        guard let id = try nextID.scalarValue()?.int64 else {
            throw DatabaseError(engine: engine, message: "no next id for \(table)", sql: nextID.sql)
        }
        try statements.insert.execute(values: [SQLValue.integer(id)] + values)
        return id
    }

    private struct InsertStatements { let columns: [String]; let nextID: Statement?; let insert: Statement }
    private var insertStatementCache: [String: InsertStatements] = [:]

    private func insertStatements(table: String, columns: [String]) throws -> InsertStatements {
        if let known = insertStatementCache[table], known.columns == columns { return known }
        let placeholders = Array(repeating: "?", count: columns.count)
        let statements: InsertStatements
        if pg == nil {
            statements = InsertStatements(
                columns: columns, nextID: try prepare("SELECT coalesce(max(id), 0) + 1 FROM \(table)"),
                insert: try prepare("INSERT INTO \(table) (id, " + columns.joined(separator: ", ") + ") VALUES (?, "
                                    + placeholders.joined(separator: ", ") + ")"))
        } else {
            statements = InsertStatements(
                columns: columns, nextID: nil,
                insert: try prepare("INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES ("
                                    + placeholders.joined(separator: ", ") + ") RETURNING id"))
        }
        insertStatementCache[table] = statements
        return statements
    }

    /// The id of the last inserted row (SQLite's rowid; PostgreSQL's `lastval()` of the identity).
    /// Prefer `insert(_:_:)` with `RETURNING id`, which says which row it means on both engines.
    public var lastInsertRowID: Int64 {
        guard pg != nil else { return sqlite3_last_insert_rowid(handle) }
        return (try? scalar("SELECT lastval()"))??.int64 ?? 0
    }

    public var changes: Int { pg?.changes ?? Int(sqlite3_changes(handle)) }
    public var isInTransaction: Bool { pg?.isInTransaction ?? (sqlite3_get_autocommit(handle) == 0) }

    // MARK: - Transactions

    /// Runs `body` in a write transaction started with `BEGIN IMMEDIATE` (so a second
    /// writer waits for the lock up front instead of failing half-way). Commits when
    /// `body` returns, rolls back when it throws. Nested calls use savepoints.
    @discardableResult
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            return try savepoint(body)
        }
        // PostgreSQL: writers queue on one advisory lock, as SQLite's BEGIN IMMEDIATE makes them.
        return try transaction(begin: pg == nil ? "BEGIN IMMEDIATE"
                                    : "BEGIN; SELECT pg_advisory_xact_lock(\(Database.writerLockKey))", body)
    }

    /// The advisory lock key every `lims` writer takes on PostgreSQL (an arbitrary constant: "LIMS").
    static let writerLockKey: Int64 = 0x4C494D53

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        let name = "lims_sp_\(transactionDepth)"
        // Cached statements: a sheet import opens one savepoint per row.
        try execute("SAVEPOINT \(name)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            writeEpoch &+= 1
            try? executeScript("ROLLBACK TO \(name); RELEASE \(name)")
            throw error
        }
    }

    /// Runs `body` in a read transaction: a consistent snapshot that never blocks writers (WAL).
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try body() }
        return try transaction(begin: pg == nil ? "BEGIN DEFERRED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// BEGIN …, body, COMMIT; ROLLBACK when the body or the commit throws.
    private func transaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        transactionLostTo = nil
        writeEpoch &+= 1
        if let pg { try pg.run(begin) } else { try execute(begin) }
        transactionDepth += 1
        defer { transactionDepth -= 1; writeEpoch &+= 1 }
        do {
            let result = try body()
            if let pg { try pg.run("COMMIT") } else { try execute("COMMIT") }
            return result
        } catch {
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Errors

    func error(code: Int32, sql: String?) -> DatabaseError {
        let extended = sqlite3_extended_errcode(handle)
        return noteLostTransaction(DatabaseError(extendedResultCode: extended != 0 ? extended : code,
                                                 message: String(cString: sqlite3_errmsg(handle)), sql: sql))
    }

    /// Remembers the error that made SQLite roll back our transaction (the first one only).
    private func noteLostTransaction(_ error: DatabaseError) -> DatabaseError {
        if pg != nil { return error }
        if transactionDepth > 0, !isInTransaction, transactionLostTo == nil { transactionLostTo = error }
        return error
    }

    /// Refuses to run a statement when our transaction is open in name but SQLite has rolled it
    /// back: run now, the statement would be committed on its own — half an import, kept.
    func requireOpenTransaction(sql: String?) throws {
        guard transactionDepth > 0, pg == nil, !isInTransaction else { return }
        let cause = transactionLostTo
        throw DatabaseError(extendedResultCode: cause?.extendedResultCode ?? SQLITE_ABORT,
                            message: "the transaction was rolled back after an earlier error"
                                + (cause.map { " (\($0.message))" } ?? "") + "; nothing of it was written",
                            sql: sql)
    }
}
