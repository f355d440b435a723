import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The typed binding of hot inserts (`Statement.bind(_:at:)` + `run()`) and the batches of
/// `BulkInsert`: every value comes back as it went in — NULL, integers, reals, text with
/// non-ASCII characters, the empty string (text, not NULL) — on SQLite and on PostgreSQL.
final class TypedBindingTests: XCTestCase {
    static let texts = ["La 139 [No Gas]", "Ce/Ce* é 漢 😇", "", "it's \"quoted\"; DROP TABLE t; --", String(repeating: "x", count: 5000)]

    func makeTable(_ db: Database) throws {
        try db.executeScript(db.engine == .sqlite
            ? "CREATE TABLE t (k INTEGER NOT NULL, i INTEGER, r REAL, s TEXT, n TEXT, c TEXT) STRICT"
            : "CREATE TABLE t (k bigint NOT NULL, i bigint, r double precision, s text, n text, c text)")
    }

    func rows(_ db: Database) throws -> [[SQLValue]] {
        try db.rows("SELECT k, i, r, s, n, c FROM t ORDER BY k").map(\.values)
    }

    // MARK: The checks, on either engine

    func checkTypedBinding(_ db: Database) throws {
        try makeTable(db)
        try db.writeTransaction {
            let insert = try db.prepare("INSERT INTO t (k, i, r, s, n, c) VALUES (?, ?, ?, ?, ?, ?)")
            try insert.bind("kept", at: 6)   // bound once: stays for every run below
            for (k, text) in Self.texts.enumerated() {
                try insert.bind(Int64(k), at: 1)
                try insert.bind(k == 0 ? Int64.max : Int64(-k), at: 2)
                try insert.bind(k == 1 ? Double.nan : Double(k) + 0.25, at: 3)   // NaN → NULL
                try insert.bind(text, at: 4)
                try insert.bind(k.isMultiple(of: 2) ? nil : text as String?, at: 5)
                try insert.run()
            }
            try insert.bindNull(at: 2)
            try insert.bind(Int64(99), at: 1)
            try insert.bind(Int?.none, at: 3)   // only some changed since the last run: the rest stay
            try insert.run()
        }
        let got = try rows(db)
        XCTAssertEqual(got.count, Self.texts.count + 1)
        for (k, text) in Self.texts.enumerated() {
            XCTAssertEqual(got[k], [.integer(Int64(k)), .integer(k == 0 ? Int64.max : Int64(-k)),
                                    k == 1 ? .null : .real(Double(k) + 0.25), .text(text),
                                    k.isMultiple(of: 2) ? .null : .text(text), .text("kept")], "row \(k)")
        }
        XCTAssertEqual(got.last, [.integer(99), .null, .null, .text(Self.texts.last!), .null, .text("kept")])
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t WHERE s = ''")?.int, 1, "the empty string is text, not NULL")
    }

    func checkBulkInsert(_ db: Database) throws {
        try makeTable(db)
        let count = 10_000
        try db.writeTransaction {
            let bulk = try BulkInsert(db: db, table: "t", columns: ["k", "i", "r", "s", "n"], constants: [("c", .text("const é"))])
            var batch = RowBatch(columns: 5)
            for k in 0..<count {
                batch.append(Int64(k))
                batch.append(k % 3 == 0 ? nil : Int64(k) * 1_000_000_007)
                batch.append(k % 5 == 0 ? nil : Double(k) / 7)
                batch.append(Self.texts[k % Self.texts.count])
                batch.appendNull()
                if batch.count == 999 {   // several batches, the last one short
                    try bulk.insert(batch)
                    batch.removeAll()
                }
            }
            try bulk.insert(batch)
            try bulk.insert(RowBatch(columns: 5))   // nothing to write
        }
        let got = try rows(db)
        XCTAssertEqual(got.count, count)
        for k in [0, 1, 2, 3, 4, 5, 998, 999, 1000, count - 1] {
            XCTAssertEqual(got[k], [.integer(Int64(k)), k % 3 == 0 ? .null : .integer(Int64(k) * 1_000_000_007),
                                    k % 5 == 0 ? .null : .real(Double(k) / 7), .text(Self.texts[k % Self.texts.count]),
                                    .null, .text("const é")], "row \(k)")
        }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t WHERE s = ''")?.int, count / Self.texts.count)
    }

    /// A row that breaks a constraint fails the batch with the engine's error; the transaction keeps nothing.
    func checkBulkInsertRefusesABadRow(_ db: Database) throws {
        try db.executeScript(db.engine == .sqlite
            ? "CREATE TABLE q (k INTEGER NOT NULL, qualifier TEXT NOT NULL CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na'))) STRICT"
            : "CREATE TABLE q (k bigint NOT NULL, qualifier text NOT NULL CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na')))")
        XCTAssertThrowsError(try db.writeTransaction {
            let bulk = try BulkInsert(db: db, table: "q", columns: ["k", "qualifier"])
            var batch = RowBatch(columns: 2)
            for (k, qualifier) in ["=", "<", "≤", "nd"].enumerated() { batch.append(k); batch.append(qualifier) }
            try bulk.insert(batch)
        }) { error in
            XCTAssertTrue((error as? DatabaseError)?.isConstraintViolation == true, "\(error)")
        }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM q")?.int, 0)
    }

    // MARK: SQLite

    func testTypedBindingRoundTripsOnSQLite() throws {
        try checkTypedBinding(try Database(path: ":memory:"))
    }

    func testBulkInsertRoundTripsOnSQLite() throws {
        try checkBulkInsert(try Database(path: ":memory:"))
    }

    func testBulkInsertRefusesABadRowOnSQLite() throws {
        try checkBulkInsertRefusesABadRow(try Database(path: ":memory:"))
    }

    /// Without a batch bound, lims_rows has no rows (what `lims sql` would see), and a batch's
    /// pointer cannot be made from SQL.
    func testRowsTableIsEmptyWithoutABatch() throws {
        let db = try Database(path: ":memory:")
        try db.registerRowsModule()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM lims_rows")?.int, 0)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM lims_rows(?)", [123])?.int, 0)
    }

    func testTypedBindingNeedsAValidIndex() throws {
        let db = try Database(path: ":memory:")
        try makeTable(db)
        let insert = try db.prepare("INSERT INTO t (k) VALUES (?)")
        XCTAssertThrowsError(try insert.bind(Int64(1), at: 2)) { error in
            XCTAssertEqual((error as? DatabaseError)?.resultCode, 25, "SQLITE_RANGE")
        }
    }

    // MARK: PostgreSQL (when LIMS_TEST_POSTGRES_URL is set)

    func withServer(_ body: (Database) throws -> Void) throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        try body(try Database(path: server.url))
    }

    func testTypedBindingRoundTripsOnPostgreSQL() throws {
        try withServer(checkTypedBinding)
    }

    func testBulkInsertRoundTripsOnPostgreSQL() throws {
        try withServer(checkBulkInsert)
    }

    func testBulkInsertRefusesABadRowOnPostgreSQL() throws {
        try withServer(checkBulkInsertRefusesABadRow)
    }
}
