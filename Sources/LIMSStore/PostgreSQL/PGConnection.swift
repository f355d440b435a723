import CLibPQ
import Foundation

/// One libpq connection to the lab's PostgreSQL database.
///
/// Configured once: notices stay on the server (libpq would print them on stderr), and a
/// read-only connection makes every transaction READ ONLY, so the server refuses a write.
final class PGConnection {
    let connection: OpaquePointer
    /// The URL without its password, for messages.
    let displayName: String
    private var statementCounter = 0

    /// - Parameter lockTimeoutMilliseconds: how long a writer waits for another one (SQLite's busy timeout).
    init(url: String, readOnly: Bool, lockTimeoutMilliseconds: Int32) throws {
        displayName = DatabaseLocation.redacted(url)
        guard let connection = PQconnectdb(url) else {
            throw DatabaseError(sqlState: "08001", message: "cannot connect to \(displayName): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw DatabaseError(sqlState: "08001", message: "cannot connect to \(displayName): \(message)")
        }
        self.connection = connection
        try run("SET client_min_messages TO warning")
        // A writer waits for the writer lock as long as SQLite's busy timeout, then says the database is busy.
        try run("SET lock_timeout TO \(max(0, lockTimeoutMilliseconds))")
        if readOnly { try run("SET default_transaction_read_only TO on") }
    }

    deinit { PQfinish(connection) }

    /// Runs SQL over the simple protocol: several statements, no parameters (migrations, BEGIN/COMMIT).
    func run(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Throws unless `result` is a success.
    func check(_ result: OpaquePointer?, sql: String?) throws {
        guard let result else { throw error(nil, sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE, PGRES_EMPTY_QUERY: return
        default: throw error(result, sql: sql)
        }
    }

    /// The server's SQLSTATE, message and detail of a failed result (or the connection's message).
    func error(_ result: OpaquePointer?, sql: String?) -> DatabaseError {
        func field(_ code: UInt8) -> String? {
            guard let result, let text = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: text)
        }
        if PQstatus(connection) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            return DatabaseError(sqlState: "08006", message: "lost the connection to \(displayName): \(message)", sql: sql)
        }
        var message = field(UInt8(ascii: "M"))
            ?? String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        if let detail = field(UInt8(ascii: "D")) { message += " (\(detail))" }
        return DatabaseError(sqlState: field(UInt8(ascii: "C")) ?? "XX000", message: message, sql: sql)
    }

    var isInTransaction: Bool { PQtransactionStatus(connection) != PQTRANS_IDLE }

    /// True when the open transaction failed and only a ROLLBACK is accepted.
    var transactionFailed: Bool { PQtransactionStatus(connection) == PQTRANS_INERROR }

    /// A fresh name for a server-side prepared statement.
    func nextStatementName() -> String {
        statementCounter += 1
        return "lims_\(statementCounter)"
    }

    /// The number of rows the last command changed (PQcmdTuples), kept by the statements.
    var changes = 0
}
