import XCTest
@testable import LIMSStore
import LIMSTestSupport

final class DatabaseTests: XCTestCase {
    func testBindsEveryTypeAndReadsItBack() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT) STRICT")
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                       [42, 2.5, "it's \"quoted\"; DROP TABLE t; --", SQLValue.blob([0, 1, 255]), String?.none])
        let row = try XCTUnwrap(db.firstRow("SELECT * FROM t"))
        XCTAssertEqual(row.int("i"), 42)
        XCTAssertEqual(row.double("r"), 2.5)
        XCTAssertEqual(row.string("s"), "it's \"quoted\"; DROP TABLE t; --")
        XCTAssertEqual(row["b"], .blob([0, 1, 255]))
        XCTAssertEqual(row["n"], .null)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t")?.int, 1, "the injected text was bound, not executed")
    }

    func testCursorTextBytesAreTheStringsBytesAndNilForNull() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)")
        for (i, text) in ["La", "", "ünï ½", nil].enumerated() { try db.execute("INSERT INTO t VALUES (?, ?)", [i, text]) }
        var read: [[UInt8]?] = [], strings: [String?] = []
        try db.prepare("SELECT s FROM t ORDER BY id").forEachCursor { row in
            read.append(row.withTextBytes(0) { $0.map(Array.init) })
            strings.append(row[0].string)
        }
        XCTAssertEqual(read, [Array("La".utf8), [], Array("ünï ½".utf8), nil])
        XCTAssertEqual(read.map { $0.map { String(decoding: $0, as: UTF8.self) } }, strings)
    }

    func testErrorCarriesExtendedCodeMessageAndSQL() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (code TEXT UNIQUE)")
        try db.execute("INSERT INTO t VALUES (?)", ["A"])
        XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (?)", ["A"])) { error in
            let error = error as! DatabaseError
            XCTAssertEqual(error.extendedResultCode, 2067, "SQLITE_CONSTRAINT_UNIQUE")
            XCTAssertTrue(error.isConstraintViolation)
            XCTAssertTrue(error.message.contains("UNIQUE constraint failed: t.code"), error.message)
            XCTAssertEqual(error.sql, "INSERT INTO t VALUES (?)")
        }
        XCTAssertThrowsError(try db.execute("SELEC 1")) { error in
            XCTAssertEqual((error as! DatabaseError).resultCode, 1)
        }
    }

    func testDoubleQuotedStringLiteralsAreRefused() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a TEXT)")
        XCTAssertThrowsError(try db.execute("SELECT * FROM t WHERE a = \"x\"")) { error in
            XCTAssertTrue((error as! DatabaseError).message.contains("no such column"), "\(error)")
        }
    }

    func testForeignKeysAreEnforced() throws {
        let db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id));")
        XCTAssertEqual(try db.scalar("PRAGMA foreign_keys")?.int, 1)
        XCTAssertThrowsError(try db.execute("INSERT INTO c VALUES (?)", [7])) { error in
            XCTAssertEqual((error as! DatabaseError).extendedResultCode, 787, "SQLITE_CONSTRAINT_FOREIGNKEY")
        }
    }

    func testWriteTransactionRollsBackOnError() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("t.sqlite").path
        let db = try Database(path: path)
        XCTAssertEqual(try db.scalar("PRAGMA journal_mode")?.string, "wal")
        try db.execute("CREATE TABLE t (a INTEGER NOT NULL)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.writeTransaction {
            try db.execute("INSERT INTO t VALUES (?)", [1])
            try db.execute("INSERT INTO t VALUES (?)", [2])
            throw Boom()
        })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t")?.int, 0)
        XCTAssertFalse(db.isInTransaction)
        // A failing statement half-way also leaves nothing.
        XCTAssertThrowsError(try db.writeTransaction {
            try db.execute("INSERT INTO t VALUES (?)", [1])
            try db.execute("INSERT INTO t VALUES (?)", [String?.none])
        })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t")?.int, 0)
        try db.writeTransaction { try db.execute("INSERT INTO t VALUES (?)", [3]) }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t")?.int, 1)
    }

    func testNestedTransactionUsesSavepoint() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (a INTEGER)")
        try db.writeTransaction {
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.writeTransaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw DatabaseError(extendedResultCode: 1, message: "inner")
            }
        }
        XCTAssertEqual(try db.rows("SELECT a FROM t").compactMap { $0.int("a") }, [1])
    }

    func testNonSQLiteFileIsRefusedEarlyAndLeftIntact() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("notes.sqlite")
        let content = Data(String(repeating: "Sample;La;Ce\n", count: 100).utf8)
        try content.write(to: url)
        XCTAssertThrowsError(try Database(path: url.path)) { error in
            let error = error as! DatabaseError
            XCTAssertTrue(error.isNotADatabase)
            XCTAssertTrue(error.message.contains("is not a SQLite database"), error.message)
        }
        XCTAssertEqual(try Data(contentsOf: url), content)
    }

    func testPreparedStatementHoldsOneStatement() throws {
        let db = try Database(path: ":memory:")
        XCTAssertThrowsError(try db.prepare("SELECT 1; SELECT 2"))
        XCTAssertTrue(try db.prepare("SELECT 1").isReadOnly)
    }

    func testSHA256MatchesKnownDigests() {
        // Digests from `python3 -c "import hashlib; print(hashlib.sha256(b'...').hexdigest())"`.
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        var streamed = SHA256()
        streamed.update(Array("ab".utf8)); streamed.update(Array("c".utf8))
        XCTAssertEqual(SHA256.hexString(streamed.finalize()), SHA256.hex(Array("abc".utf8)))
    }

    /// The CPU's SHA instructions (where present) and the Swift compression give the same digests,
    /// whatever the length (padding in one or two blocks) and however the bytes arrive.
    func testSHA256HardwareAndSwiftAgree() {
        var random = SeededRandom(seed: 256)
        for length in Array(0...200) + [255, 256, 257, 1000, 4095, 4096, 65_537] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var inSwift = SHA256(inSwift: true)
            var chosen = SHA256()
            var offset = 0
            while offset < length {   // the chosen hasher is fed in uneven pieces
                let piece = min(length - offset, 1 + Int(random.next() % 97))
                chosen.update(bytes[offset..<offset + piece])
                offset += piece
            }
            inSwift.update(bytes)
            XCTAssertEqual(SHA256.hexString(chosen.finalize()), SHA256.hexString(inSwift.finalize()), "length \(length)")
        }
        // 56 bytes: the length no longer fits the first padding block (python3 hashlib).
        XCTAssertEqual(SHA256.hex(Array(String(repeating: "b", count: 56).utf8)),
                       "a5fc6e203a4c2b657d0d153885932414b2ffc6a93f0f8bf8b3183315e5a7212c")
    }
}
