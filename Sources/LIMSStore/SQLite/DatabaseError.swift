import CSQLite
import Foundation

/// An error reported by the database engine, with its code (SQLite's extended result code,
/// PostgreSQL's SQLSTATE), the engine's message and the SQL that was running, so that a
/// failure can be explained and reproduced.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE); on PostgreSQL the
    /// SQLite code of the same kind (constraint, busy, read-only …) so the checks below hold for both.
    public let extendedResultCode: Int32
    /// PostgreSQL's SQLSTATE (e.g. 23505 unique_violation); nil on SQLite.
    public let sqlState: String?
    /// SQLite's own message (`sqlite3_errmsg`).
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(extendedResultCode: Int32, message: String, sql: String? = nil) {
        self.extendedResultCode = extendedResultCode
        self.sqlState = nil
        self.message = message
        self.sql = sql
    }

    /// A PostgreSQL error: the SQLSTATE is kept, and its class mapped onto the SQLite code of the same kind.
    public init(sqlState: String, message: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
        switch sqlState {
        case let s where s.hasPrefix("23"): extendedResultCode = SQLITE_CONSTRAINT
        case "40001", "40P01", "55P03", "57014": extendedResultCode = SQLITE_BUSY
        case "25006": extendedResultCode = SQLITE_READONLY
        case "53100": extendedResultCode = SQLITE_FULL
        case let s where s.hasPrefix("08"): extendedResultCode = SQLITE_CANTOPEN
        case "42601" where message.contains("multiple commands"): extendedResultCode = SQLITE_MISUSE
        default: extendedResultCode = SQLITE_ERROR
        }
    }

    /// An error found by the store itself, in the engine's own terms.
    init(engine: Database.Engine, message: String, sql: String? = nil) {
        if engine == .postgresql { self.init(sqlState: "XX000", message: message, sql: sql) } else {
            self.init(extendedResultCode: SQLITE_MISUSE, message: message, sql: sql)
        }
    }

    /// The primary result code (the low byte of the extended one).
    public var resultCode: Int32 { extendedResultCode & 0xFF }

    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }
    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }
    public var isNotADatabase: Bool { resultCode == SQLITE_NOTADB }
    public var isReadOnly: Bool { resultCode == SQLITE_READONLY }
    public var isDiskFull: Bool { resultCode == SQLITE_FULL }

    /// SQLite's name for the code, e.g. "constraint failed".
    public var codeDescription: String { String(cString: sqlite3_errstr(extendedResultCode)) }

    public var description: String {
        var text = sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "SQLite error \(extendedResultCode) (\(codeDescription)): \(message)"
        if let sql { text += " — while executing `\(sql.trimmingCharacters(in: .whitespacesAndNewlines))`" }
        return text
    }
}

