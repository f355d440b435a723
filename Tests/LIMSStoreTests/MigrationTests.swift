import XCTest
@testable import LIMSStore
import LIMSMigrations
import LIMSTestSupport

final class MigrationTests: XCTestCase {
    func testEmbeddedMigrationsEqualTheFilesInMigrationsFolder() throws {
        let folder = TestSupport.packageRoot.appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertEqual(EmbeddedMigrations.all.map(\.fileName), files, "every .sql file must be embedded, in order")
        for migration in EmbeddedMigrations.all {
            let text = try String(contentsOf: folder.appendingPathComponent(migration.fileName), encoding: .utf8)
            XCTAssertEqual(migration.sql, text, "\(migration.fileName) embedded text differs from the file")
            XCTAssertEqual(Int(migration.fileName.prefix(4)), migration.id)
        }
        XCTAssertEqual(Set(EmbeddedMigrations.all.map(\.id)).count, EmbeddedMigrations.all.count)
    }

    func testFreshDatabaseIsMigratedAndRecorded() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("lab.sqlite").path
        let db = try Database(path: path)
        let migrator = DatabaseMigrator()
        let applied = try migrator.migrate(db)
        XCTAssertEqual(applied.count, EmbeddedMigrations.all.count)
        XCTAssertEqual(try migrator.currentVersion(of: db), migrator.latestVersion)
        XCTAssertEqual(try db.scalar("PRAGMA user_version")?.int, migrator.latestVersion)
        let recorded = try migrator.applied(in: db)
        XCTAssertEqual(recorded.map(\.id), EmbeddedMigrations.all.map(\.id))
        XCTAssertEqual(recorded.first?.sha256.count, 64)
        XCTAssertEqual(try db.rows("PRAGMA integrity_check").first?.string("integrity_check"), "ok")
        // Every table of the lab is STRICT.
        let nonStrict = try db.rows("""
            SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
              AND name NOT LIKE 'sqlite_%' AND strict = 0
            """).compactMap { $0.string("name") }
        XCTAssertEqual(nonStrict, [])
    }

    func testMigratingTwiceChangesNothing() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("lab.sqlite").path
        _ = try LabStore.create(path: path)
        let db = try Database(path: path)
        let before = try db.rows("SELECT * FROM schema_migration").map(\.description)
        XCTAssertEqual(try DatabaseMigrator().migrate(db).count, 0)
        XCTAssertEqual(try db.rows("SELECT * FROM schema_migration").map(\.description), before)
    }

    func testNewerSchemaIsRefusedAndFileUntouched() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("lab.sqlite").path
        _ = try LabStore.create(path: path)
        do {
            let db = try Database(path: path)
            try db.execute("INSERT INTO schema_migration (id, name, sha256) VALUES (?, ?, ?)",
                           [9999, "9999_future.sql", String(repeating: "0", count: 64)])
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LabStore.create(path: path)) { error in
            guard case StoreError.newerSchema(_, 9999, DatabaseMigrator().latestVersion) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertTrue("\(error)".contains("newer Tailings LIMS"))
        }
        XCTAssertThrowsError(try LabStore.open(path: path))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testFailingMigrationLeavesNoTrace() throws {
        let db = try Database(path: ":memory:")
        let broken = DatabaseMigrator(migrations: EmbeddedMigrations.all + [
            EmbeddedMigration(id: 9000, fileName: "9000_broken.sql",
                              sql: "CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);"),
        ])
        XCTAssertThrowsError(try broken.migrate(db))
        XCTAssertEqual(try DatabaseMigrator().currentVersion(of: db), DatabaseMigrator().latestVersion)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'")?.int, 0)
    }

    func testMigrationWithForeignKeyViolationIsRolledBack() throws {
        let db = try Database(path: ":memory:")
        let migrator = DatabaseMigrator(migrations: EmbeddedMigrations.all + [
            EmbeddedMigration(id: 9001, fileName: "9001_orphan.sql", sql: """
                PRAGMA defer_foreign_keys = ON;
                INSERT INTO plot (treatment_id, code) VALUES (424242, 'orphan');
                """),
        ])
        XCTAssertThrowsError(try migrator.migrate(db))
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM plot")?.int, 0)
    }

    func testReferenceCompositionsAreSeededFromSharedCSV() throws {
        let store = try TestSupport.makeStore()
        let rows = try store.db.rows("""
            SELECT c.code, v.element, v.value FROM reference_value v JOIN reference_composition c ON c.id = v.reference_id
            """)
        XCTAssertEqual(rows.count, 45)
        guard let shared = TestSupport.sharedDirectory else {
            throw XCTSkip("../shared is absent: cannot compare with reference/compositions.csv")
        }
        let csv = try String(contentsOf: shared.appendingPathComponent("reference/compositions.csv"), encoding: .utf8)
        var expected: [String: Double] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
            expected["\(fields[0])/\(fields[1])"] = Double(fields[2])
        }
        XCTAssertEqual(expected.count, 45)
        for row in rows {
            let key = "\(row.string("code")!)/\(row.string("element")!)"
            XCTAssertEqual(row.double("value"), expected[key], key)
        }
    }
}
