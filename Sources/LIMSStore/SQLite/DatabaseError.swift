import CSQLite
import Foundation

/// An error reported by SQLite, with the (extended) result code, SQLite's message
/// and the SQL that was running, so that a failure can be explained and reproduced.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE).
    public let extendedResultCode: Int32
    /// SQLite's own message (`sqlite3_errmsg`).
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(extendedResultCode: Int32, message: String, sql: String? = nil) {
        self.extendedResultCode = extendedResultCode
        self.message = message
        self.sql = sql
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
        var text = "SQLite error \(extendedResultCode) (\(codeDescription)): \(message)"
        if let sql { text += " — while executing `\(sql.trimmingCharacters(in: .whitespacesAndNewlines))`" }
        return text
    }
}

