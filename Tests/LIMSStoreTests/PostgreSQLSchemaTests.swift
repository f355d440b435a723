import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The two spellings of the migrations give the same schema: after migrating a SQLite file and a
/// PostgreSQL database, every table has the same columns (name, type, NOT NULL, whether it has a
/// default), primary key, foreign keys (with ON DELETE), unique keys and indexes, and the audit
/// log the same append-only triggers. Plus the PostgreSQL driver's own pieces, with a server.
final class PostgreSQLSchemaTests: XCTestCase {
    /// One table as both engines can describe it.
    struct TableShape: Equatable, CustomStringConvertible {
        var columns: [String] = []
        var primaryKey: [String] = []
        var foreignKeys: Set<String> = []
        var uniqueKeys: Set<String> = []
        var indexes: Set<String> = []
        var description: String {
            "columns \(columns)\n  pk \(primaryKey)\n  fks \(foreignKeys.sorted())\n  unique \(uniqueKeys.sorted())\n  indexes \(indexes.sorted())"
        }
    }

    static func normalizedType(_ type: String) -> String {
        switch type.lowercased() {
        case "integer", "bigint": return "integer"
        case "real", "double precision": return "real"
        case "text": return "text"
        case "blob", "bytea": return "blob"
        default: return "other:" + type
        }
    }

    func sqliteShapes(_ db: Database) throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        for table in try db.tableNames() {
            var shape = TableShape()
            let columns = try db.rows("SELECT name, type, \"notnull\" AS nn, dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", [table])
            shape.columns = columns.map { row in
                let notNull = row.int("nn") == 1 || (row.int("pk") ?? 0) > 0
                return "\(row.string("name")!) \(Self.normalizedType(row.string("type")!))\(notNull ? " not null" : "")"
                    + (row["dflt_value"].isNull ? "" : " default")
            }
            shape.primaryKey = columns.filter { ($0.int("pk") ?? 0) > 0 }.sorted { $0.int("pk")! < $1.int("pk")! }.map { $0.string("name")! }
            for fk in try db.rows("SELECT \"from\" AS c, \"table\" AS p, \"to\" AS t, on_delete FROM pragma_foreign_key_list(?)", [table]) {
                let onDelete = fk.string("on_delete")!.uppercased()
                shape.foreignKeys.insert("\(fk.string("c")!) -> \(fk.string("p")!)(\(fk.string("t") ?? "?")) on delete \(onDelete)")
            }
            for index in try db.rows("SELECT name, \"unique\" AS u, origin, partial FROM pragma_index_list(?)", [table]) {
                let name = index.string("name")!
                if index.string("origin") == "pk" { continue }
                let keys = try db.rows("SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [name]).map { key in
                    // An expression key (`lower(code)`) has no column name: read it from the index's SQL.
                    guard let column = key.string("name") else { return try Self.expressionKey(of: name, db) }
                    return key.string("coll")?.uppercased() == "NOCASE" ? "lower(\(column))" : column
                }
                let key = keys.joined(separator: ", ") + (index.int("partial") == 1 ? " where …" : "")
                if index.int("u") == 1 { shape.uniqueKeys.insert(key) } else { shape.indexes.insert("\(name)(\(key))") }
            }
            shapes[table] = shape
        }
        return shapes
    }

    /// `lower(code)` of `CREATE INDEX x ON sample (lower(code))`: the text between the outer parentheses.
    static func expressionKey(of index: String, _ db: Database) throws -> String {
        let sql = try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", [index])?.string ?? ""
        guard let open = sql.firstIndex(of: "("), let close = sql.lastIndex(of: ")"), open < close else { return "?" }
        return String(sql[sql.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
    }

    func postgresqlShapes(_ db: Database) throws -> [String: TableShape] {
        var shapes: [String: TableShape] = [:]
        for table in try db.tableNames() {
            var shape = TableShape()
            shape.columns = try db.rows("""
                SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
                """, [table]).map { row in
                "\(row.string("column_name")!) \(Self.normalizedType(row.string("data_type")!))"
                    + (row.string("is_nullable") == "NO" ? " not null" : "") + (row["column_default"].isNull ? "" : " default")
            }
            let indexes = try db.rows("""
                SELECT i.indexrelid AS oid, c.relname AS name, i.indisprimary AS pk, i.indisunique AS u,
                       i.indpred IS NOT NULL AS partial, i.indnkeyatts AS n
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ? AND t.relnamespace = CAST(current_schema() AS regnamespace)
                """, [table])
            for index in indexes {
                let keys = try (1...(index.int("n") ?? 1)).map { k in
                    // pg_get_indexdef quotes names that are keywords ("position"); SQLite's pragma does not.
                    try db.scalar("SELECT pg_get_indexdef(CAST(? AS oid), CAST(? AS integer), true)", [index.int64("oid")!, k])!.string!
                        .replacingOccurrences(of: "\"", with: "")
                }
                if index.int("pk") == 1 { shape.primaryKey = keys; continue }
                let key = keys.joined(separator: ", ") + (index.int("partial") == 1 ? " where …" : "")
                if index.int("u") == 1 { shape.uniqueKeys.insert(key) } else { shape.indexes.insert("\(index.string("name")!)(\(key))") }
            }
            for fk in try db.rows("""
                SELECT a.attname AS c, p.relname AS p, pa.attname AS t, c.confdeltype AS d
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
                WHERE c.contype = 'f' AND t.relname = ? AND t.relnamespace = CAST(current_schema() AS regnamespace)
                """, [table]) {
                let onDelete = ["a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"][fk.string("d")!]!
                shape.foreignKeys.insert("\(fk.string("c")!) -> \(fk.string("p")!)(\(fk.string("t")!)) on delete \(onDelete)")
            }
            shapes[table] = shape
        }
        return shapes
    }

    func testBothEnginesMigrateToTheSameSchema() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let directory = TestSupport.temporaryDirectory("lims-schema")
        defer { TemporaryDirectories.shared.remove(directory) }
        let sqlite = try Database(path: directory.appendingPathComponent("lab.sqlite").path)
        let pg = try Database(path: server.url)
        try DatabaseMigrator().migrate(sqlite)
        try DatabaseMigrator().migrate(pg)
        XCTAssertEqual(try DatabaseMigrator().currentVersion(of: pg), DatabaseMigrator().latestVersion)
        XCTAssertEqual(try DatabaseMigrator().applied(in: pg).map(\.id), try DatabaseMigrator().applied(in: sqlite).map(\.id))

        let sqliteShapes = try sqliteShapes(sqlite), pgShapes = try postgresqlShapes(pg)
        XCTAssertEqual(sqliteShapes.keys.sorted(), pgShapes.keys.sorted(), "the same tables")
        XCTAssertGreaterThan(sqliteShapes.count, 30)
        for (table, shape) in sqliteShapes.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(pgShapes[table], shape, "table \(table):\nSQLite     \(shape)\nPostgreSQL \(pgShapes[table].map(\.description) ?? "missing")")
        }
        XCTAssertEqual(Set(try sqlite.triggers(on: "audit_log").keys), Set(AuditChain.triggers))
        XCTAssertEqual(Set(try pg.triggers(on: "audit_log").keys), Set(AuditChain.triggers))
        XCTAssertEqual(try AuditChain.missingTriggers(pg), [])
        // The rows the migrations seed are the same on both.
        for table in DatabaseCopy.seededTables.sorted() {
            XCTAssertEqual(try pg.scalar("SELECT count(*) FROM \(table)")?.int, try sqlite.scalar("SELECT count(*) FROM \(table)")?.int, table)
            XCTAssertGreaterThan(try pg.scalar("SELECT count(*) FROM \(table)")?.int ?? 0, 0, "\(table) is seeded")
        }
        // Every other table starts empty (what `lims copy` relies on to call a target empty).
        for table in try pg.tableNames() where !DatabaseCopy.seededTables.contains(table) && table != "schema_migration" {
            XCTAssertEqual(try sqlite.scalar("SELECT count(*) FROM \(table)")?.int, 0, table)
        }
    }

    /// The append-only audit log and the constraints hold on the server, and errors carry the SQLSTATE.
    func testAuditLogIsAppendOnlyAndConstraintsHoldOnPostgreSQL() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let store = try LabStore.create(path: server.url, operatorName: "tester")
        _ = try TestSupport.seedSmallLab(store)
        XCTAssertGreaterThan(try store.db.scalar("SELECT count(*) FROM audit_log")?.int ?? 0, 0)
        for sql in ["UPDATE audit_log SET summary = 'x'", "DELETE FROM audit_log"] {
            XCTAssertThrowsError(try store.db.execute(sql)) { error in
                let error = error as! DatabaseError
                XCTAssertEqual(error.sqlState, "23001", "\(error)")
                XCTAssertTrue(error.message.contains("append-only"), error.message)
                XCTAssertTrue(error.description.hasPrefix("PostgreSQL error 23001"), error.description)
            }
        }
        XCTAssertThrowsError(try store.db.execute("INSERT INTO sample (code, plot_id, type) VALUES (?, ?, 'bulk')", ["C1-S", 1])) {
            XCTAssertEqual(($0 as! DatabaseError).sqlState, "23505")
            XCTAssertTrue(($0 as! DatabaseError).isConstraintViolation)
        }
        XCTAssertThrowsError(try store.db.execute("INSERT INTO sample (code, plot_id, type) VALUES (?, ?, 'bulk')", ["X-1", 9999])) {
            XCTAssertEqual(($0 as! DatabaseError).sqlState, "23503")
        }
        XCTAssertThrowsError(try store.db.execute("INSERT INTO treatment (site_id, code, amended_on) VALUES (1, 'T9', ?)", ["2019-02-30"])) {
            XCTAssertEqual(($0 as! DatabaseError).sqlState, "23514", "a CHECK of the date, as date() on SQLite")
        }
        XCTAssertEqual(try AuditChain.verify(store.db), [])
        XCTAssertEqual(try IntegrityCheck().run(on: store.db).problems, [])
    }

    /// Values round-trip through bound parameters with their types; `?` inside quotes is no placeholder.
    func testValuesAndPlaceholdersOnPostgreSQL() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let db = try Database(path: server.url)
        try db.executeScript("CREATE TABLE v (id bigint PRIMARY KEY, i bigint, r double precision, t text, b bytea)")
        let blob: [UInt8] = [0, 1, 0x7f, 0x80, 0xff]
        try db.execute("INSERT INTO v VALUES (?, ?, ?, ?, ?)", [1, Int64.max, 0.1 + 0.2, "it's ? \"quoted\" ünï", SQLValue.blob(blob)])
        try db.execute("INSERT INTO v VALUES (?, ?, ?, ?, ?)", [2, SQLValue.null, SQLValue.null, SQLValue.null, SQLValue.null])
        let row = try XCTUnwrap(db.firstRow("SELECT i, r, t, b, '?' AS q, count(*) OVER () AS n FROM v WHERE id = ?1 AND t = ?", [1, "it's ? \"quoted\" ünï"]))
        XCTAssertEqual(row["i"], .integer(Int64.max))
        XCTAssertEqual(row["r"], .real(0.1 + 0.2))
        XCTAssertEqual(row["t"], .text("it's ? \"quoted\" ünï"))
        XCTAssertEqual(row["b"], .blob(blob))
        XCTAssertEqual(row["q"], .text("?"))
        XCTAssertEqual(row["n"], .integer(1))
        XCTAssertEqual(try db.firstRow("SELECT i, r, t, b FROM v WHERE id = 2")?.values, [.null, .null, .null, .null])
        XCTAssertEqual(try db.scalar("SELECT sum(i) FROM v WHERE id = ? OR ? IS NULL", [1, SQLValue.null]), .integer(Int64.max))
        XCTAssertEqual(try db.scalar("SELECT 1 < 2"), .integer(1), "booleans read as 0/1 as on SQLite")
        // A read-only connection's transactions refuse writes on the server.
        let reader = try Database(path: server.url, mode: .readOnly)
        XCTAssertThrowsError(try reader.execute("DELETE FROM v")) { XCTAssertTrue(($0 as! DatabaseError).isReadOnly) }
        // A failed statement inside a write transaction rolls the whole transaction back.
        XCTAssertThrowsError(try db.writeTransaction {
            try db.execute("INSERT INTO v (id, i) VALUES (3, 3)")
            try db.execute("INSERT INTO v (id, i) VALUES (1, 1)")
        })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM v"), .integer(2))
        // Streamed rows (single-row mode) give what buffered ones give.
        var streamed: [SQLValue] = []
        try db.prepare("SELECT id FROM v ORDER BY id").forEachCursor { streamed.append($0[0]) }
        XCTAssertEqual(streamed, [.integer(1), .integer(2)])
        // Text read as bytes (the report's load) is the text's UTF-8, and nil for NULL.
        var bytes: [[UInt8]?] = []
        try db.prepare("SELECT t FROM v ORDER BY id").forEachCursor { row in bytes.append(row.withTextBytes(0) { $0.map(Array.init) }) }
        XCTAssertEqual(bytes, [Array("it's ? \"quoted\" ünï".utf8), nil])
    }
}

/// The driver's pieces that need no server.
final class PostgreSQLDriverTests: XCTestCase {
    func testPlaceholdersAreRewrittenOutsideQuotesAndComments() {
        let (sql, count) = PlaceholderRewriter.rewrite("""
            SELECT '?', "a?b", x FROM t -- what?
            WHERE a = ? AND b = ?3 /* ? */ AND c = ? AND d = 'it''s ?' AND e = ?1
            """)
        XCTAssertEqual(sql, """
            SELECT '?', "a?b", x FROM t -- what?
            WHERE a = $1 AND b = $3 /* ? */ AND c = $4 AND d = 'it''s ?' AND e = $1
            """)
        XCTAssertEqual(count, 4)
    }

    func testURLsAreRecognisedAndPasswordsNeverShown() {
        XCTAssertTrue(DatabaseLocation.isServerURL("postgresql://lims@host/db"))
        XCTAssertTrue(DatabaseLocation.isServerURL("postgres://lims@host/db"))
        XCTAssertFalse(DatabaseLocation.isServerURL("/data/postgresql/lab.sqlite"))
        XCTAssertFalse(DatabaseLocation.isServerURL("lab.sqlite"))
        XCTAssertEqual(DatabaseLocation.redacted("postgresql://lims:s3cret@lab.example:5433/tailings"),
                       "postgresql://lims:***@lab.example:5433/tailings")
        XCTAssertEqual(DatabaseLocation.redacted("postgresql://lims@lab/tailings?sslmode=require&password=s3cret"),
                       "postgresql://lims@lab/tailings?sslmode=require&password=***")
        XCTAssertEqual(DatabaseLocation.redacted("postgresql://lab/tailings"), "postgresql://lab/tailings")
        XCTAssertEqual(DatabaseLocation.redacted("/tmp/lab.sqlite"), "/tmp/lab.sqlite")
    }

    func testTimestampsHaveSQLitesFormat() {
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_551_778_200.25)), "2019-03-05T09:30:00.250Z")
        XCTAssertEqual(LabStore.dayAfter("2019-02-28"), "2019-03-01")
        XCTAssertEqual(LabStore.dayAfter("2020-02-28"), "2020-02-29")
        XCTAssertEqual(LabStore.dayAfter("2019-12-31"), "2020-01-01")
    }
}
