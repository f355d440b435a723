import CLibPQ
import Foundation

/// The PostgreSQL side of a `Statement`: the rewritten SQL, prepared on the server once per
/// combination of argument types, run with bound parameters (PQexecPrepared), never interpolated.
final class PGStatement {
    let sql: String
    let parameterCount: Int
    /// Strong: a statement may outlive its `Database` (a QueryRows closure), and closing it needs
    /// the connection — which, like sqlite3_close_v2, stays open until its last statement is gone.
    let connection: PGConnection
    /// Server statement names by the argument types they were prepared for.
    private var prepared: [[Oid]: String] = [:]

    init(connection: PGConnection, sql: String) {
        self.connection = connection
        let rewritten = PlaceholderRewriter.rewrite(sql)
        self.sql = rewritten.sql
        self.parameterCount = rewritten.parameterCount
    }

    deinit {
        // Closing server statements needs a round trip each; a lost connection has nothing to close.
        for name in prepared.values where PQstatus(connection.connection) == CONNECTION_OK
            && PQtransactionStatus(connection.connection) != PQTRANS_ACTIVE {
            PQclear(PQexec(connection.connection, "DEALLOCATE \(name)"))
        }
    }

    // MARK: Types

    static let int8: Oid = 20, float8: Oid = 701, text: Oid = 25, bytea: Oid = 17, unknown: Oid = 0

    /// The first choice: integers int8, reals float8, blobs bytea, text and NULL left for the server to infer
    /// (so a text value fits a date, a number or a text column as SQLite's dynamic typing would).
    private static func preferredTypes(_ values: [SQLValue]) -> [Oid] {
        values.map {
            switch $0 {
            case .integer: return int8
            case .real: return float8
            case .blob: return bytea
            case .text, .null: return unknown
            }
        }
    }

    /// Fallbacks when the server cannot resolve the first choice: all inferred
    /// (an integer compared with a text column), then undeterminable ones as text (`? IS NULL`).
    private static func alternatives(_ preferred: [Oid]) -> [[Oid]] {
        let inferred = preferred.map { $0 == bytea ? bytea : unknown }
        let textual = preferred.map { $0 == unknown ? text : $0 }
        let inferredTextual = preferred.map { $0 == bytea ? bytea : ($0 == unknown ? text : unknown) }
        var seen: Set<[Oid]> = [preferred]
        return [inferred, textual, inferredTextual].filter { seen.insert($0).inserted }
    }

    /// SQLSTATEs of type resolution failures worth another set of parameter types.
    private static let typeResolutionStates: Set<String> = ["42P18", "42883", "42804", "42846", "42725", "42P08"]

    /// The server statement for these arguments, prepared on first use.
    private func statementName(for values: [SQLValue]) throws -> String {
        let preferred = Self.preferredTypes(values)
        if let name = prepared[preferred] { return name }
        var firstError: DatabaseError?
        for types in [preferred] + Self.alternatives(preferred) {
            do {
                let name = try prepare(types)
                prepared[preferred] = name
                return name
            } catch let error as DatabaseError where error.sqlState.map(Self.typeResolutionStates.contains) == true {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError!
    }

    /// PQprepare; inside a transaction under a savepoint, because a failed prepare would abort the transaction.
    private func prepare(_ types: [Oid]) throws -> String {
        let name = connection.nextStatementName()
        let guarded = connection.isInTransaction
        if guarded { try connection.run("SAVEPOINT lims_prepare") }
        let result = types.withUnsafeBufferPointer { PQprepare(connection.connection, name, sql, Int32(types.count), $0.baseAddress) }
        defer { PQclear(result) }
        do {
            try connection.check(result, sql: sql)
        } catch {
            if guarded { try? connection.run("ROLLBACK TO SAVEPOINT lims_prepare; RELEASE SAVEPOINT lims_prepare") }
            throw error
        }
        if guarded { try connection.run("RELEASE SAVEPOINT lims_prepare") }
        return name
    }

    /// Column names, from the server's description of the statement (before it runs).
    func columnNames() throws -> [String] {
        let name = try statementName(for: Array(repeating: .null, count: parameterCount))
        let description = PQdescribePrepared(connection.connection, name)
        defer { PQclear(description) }
        try connection.check(description, sql: sql)
        return (0..<PQnfields(description)).map { String(cString: PQfname(description, $0)) }
    }

    // MARK: Running

    /// Calls `body` with libpq's parameter arrays for `values` (text format, bytea binary).
    private func withParameters<T>(_ values: [SQLValue],
                                   _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> T) rethrows -> T {
        var buffers: [[CChar]?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        buffers.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null: buffers.append(nil); lengths.append(0); formats.append(0)
            case .integer(let v): buffers.append(Array(String(v).utf8CString)); lengths.append(0); formats.append(0)
            case .real(let v): buffers.append(Array(Self.text(of: v).utf8CString)); lengths.append(0); formats.append(0)
            case .text(let v): buffers.append(Array(v.utf8CString)); lengths.append(0); formats.append(0)
            case .blob(let v):
                buffers.append(v.map { CChar(bitPattern: $0) } + [0]); lengths.append(Int32(v.count)); formats.append(1)
            }
        }
        // Pointers into the buffers are valid only inside nested closures: pin them all at once.
        let pinned = buffers.map { buffer -> UnsafeMutablePointer<CChar>? in
            guard let buffer else { return nil }
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: buffer.count)
            copy.initialize(from: buffer, count: buffer.count)
            return copy
        }
        defer { pinned.forEach { $0?.deallocate() } }
        let pointers = pinned.map { UnsafePointer($0) }
        return try pointers.withUnsafeBufferPointer { p in
            try lengths.withUnsafeBufferPointer { l in
                try formats.withUnsafeBufferPointer { f in try body(p.baseAddress, l.baseAddress, f.baseAddress) }
            }
        }
    }

    private static func text(of value: Double) -> String {
        if value == .infinity { return "Infinity" }
        if value == -.infinity { return "-Infinity" }
        return "\(value)"
    }

    /// Runs the statement to completion; the caller owns (PQclear) the result.
    func run(_ values: [SQLValue]) throws -> OpaquePointer {
        let name = try statementName(for: values)
        let result = withParameters(values) { p, l, f in
            PQexecPrepared(connection.connection, name, Int32(values.count), p, l, f, 0)
        }
        do {
            try connection.check(result, sql: sql)
        } catch {
            PQclear(result)
            throw error
        }
        connection.changes = Int(String(cString: PQcmdTuples(result!))) ?? 0
        return result!
    }

    /// Runs the statement in single-row mode: `body` sees one row at a time (memory stays flat),
    /// and must not use the connection meanwhile.
    func stream(_ values: [SQLValue], _ body: (OpaquePointer) throws -> Void) throws {
        let name = try statementName(for: values)
        let sent = withParameters(values) { p, l, f in
            PQsendQueryPrepared(connection.connection, name, Int32(values.count), p, l, f, 0)
        }
        guard sent == 1 else { throw connection.error(nil, sql: sql) }
        PQsetSingleRowMode(connection.connection)
        var failure: (any Error)?
        while let result = PQgetResult(connection.connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard failure == nil else { continue }
                do { try body(result) } catch {
                    failure = error
                    cancel()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK: break
            default:
                if failure == nil { failure = connection.error(result, sql: sql) }
            }
        }
        if let failure { throw failure }
    }

    /// Asks the server to stop sending rows nobody reads any more.
    private func cancel() {
        guard let handle = PQgetCancel(connection.connection) else { return }
        defer { PQfreeCancel(handle) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &buffer, Int32(buffer.count))
    }

    // MARK: Values

    /// A result value as the store sees it: integers → .integer, float/numeric → .real
    /// (a whole numeric, e.g. sum of integers, → .integer as on SQLite), bytea → .blob, bool → 0/1.
    static func value(_ result: OpaquePointer, row: Int32, column: Int32) -> SQLValue {
        if PQgetisnull(result, row, column) == 1 { return .null }
        guard let pointer = PQgetvalue(result, row, column) else { return .null }
        switch PQftype(result, column) {
        case 20, 21, 23, 26:
            return Int64(String(cString: pointer)).map(SQLValue.integer) ?? .text(String(cString: pointer))
        case 16:
            return .integer(pointer.pointee == CChar(UInt8(ascii: "t")) ? 1 : 0)
        case 700, 701:
            return .real(double(String(cString: pointer)))
        case 1700:
            let text = String(cString: pointer)
            if !text.contains("."), !text.contains("e"), !text.contains("N"), let whole = Int64(text) { return .integer(whole) }
            return .real(double(text))
        case 17:
            return .blob(bytea(pointer, count: Int(PQgetlength(result, row, column))))
        default:
            return .text(String(cString: pointer))
        }
    }

    private static func double(_ text: String) -> Double {
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text) ?? .nan
        }
    }

    /// bytea in text format is `\x` followed by hex digits.
    private static func bytea(_ pointer: UnsafePointer<CChar>, count: Int) -> [UInt8] {
        let raw = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
        guard count >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") else {
            return Array(UnsafeBufferPointer(start: raw, count: count))
        }
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return c - UInt8(ascii: "A") + 10
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((count - 2) / 2)
        var i = 2
        while i + 1 < count { bytes.append(nibble(raw[i]) << 4 | nibble(raw[i + 1])); i += 2 }
        return bytes
    }
}
