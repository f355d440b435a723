import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// `IntegrityCheck`, `DatabaseBackup` and `DatabaseRestore` on real files: each kind of
/// damage is made by hand (with the safety catches of SQLite switched off, as another
/// tool could) and must be found; backups and restores stay consistent while a writer works.
final class ReliabilityMaintenanceTests: XCTestCase {
    // MARK: Helpers

    /// A lab with `extra` more samples, each with its audit row (bulk, one transaction).
    func makeLab(extra: Int = 0) throws -> LabStore {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        if extra > 0 {
            let plot = try store.requirePlot(code: "C1")
            try store.write {
                for i in 0..<extra {
                    try store.db.execute("INSERT INTO sample (code, plot_id, type, description) VALUES (?, ?, 'bulk', ?)",
                                         ["B\(i)", plot.id, String(repeating: "tailings ", count: 20)])
                    try store.audit(action: "insert", table: "sample", recordID: store.db.lastInsertRowID,
                                    summary: "sample B\(i) registered")
                }
            }
        }
        return store
    }

    /// A second connection that can write what lims never would (FKs and CHECKs off).
    func tamper(_ path: String, _ statements: [String]) throws {
        let db = try Database(path: path)
        try db.execute("PRAGMA foreign_keys = OFF")
        try db.execute("PRAGMA ignore_check_constraints = ON")
        for sql in statements { try db.executeScript(sql) }
    }

    func count(_ db: Database, _ sql: String, _ arguments: [any SQLValueConvertible] = []) throws -> Int {
        try db.scalar(sql, arguments)?.int ?? -1
    }

    func sha(_ path: String) throws -> String { try FileFingerprint.of(URL(fileURLWithPath: path)).sha256 }

    /// Samples written by the concurrent writer and their audit rows: always equal in a consistent copy.
    func writerConsistency(_ db: Database) throws -> (samples: Int, audits: Int) {
        (try count(db, "SELECT count(*) FROM sample WHERE code LIKE 'W%'"),
         try count(db, "SELECT count(*) FROM audit_log WHERE summary LIKE 'sample W% registered'"))
    }

    /// A thread adding samples W0, W1 … through its own connection until stopped.
    final class Writer: @unchecked Sendable {
        let path: String
        private let lock = NSLock()
        private var stopped = false
        private(set) var written = 0
        private(set) var errors: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init(path: String) { self.path = path }

        func start() {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                do {
                    let store = try LabStore.open(path: path, operatorName: "writer")
                    var i = 0
                    while !isStopped {
                        try store.addSample(Sample(code: "W\(i)", plotCode: "M1"))
                        i += 1
                        lock.lock(); written = i; lock.unlock()
                    }
                } catch {
                    lock.lock(); errors.append("\(error)"); lock.unlock()
                }
            }
        }

        private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

        func stop() -> (written: Int, errors: [String]) {
            lock.lock(); stopped = true; lock.unlock()
            done.wait()
            lock.lock(); defer { lock.unlock() }
            return (written, errors)
        }
    }

    // MARK: IntegrityCheck

    func testHealthyLabHasNoProblems() throws {
        let store = try makeLab()
        let report = try IntegrityCheck().run(on: store.db)
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(report.schemaVersion, DatabaseMigrator().latestVersion)
    }

    func testEachKindOfDamageIsFound() throws {
        let store = try makeLab()
        let path = store.path
        try tamper(path, [
            // A measurement of a sample that does not exist (foreign key).
            "INSERT INTO measurement (id, sample_id, analyte, value, raw_text, unit) VALUES (900, 999, 'La', 1, '1', 'mg/kg')",
            // Values no sample can have.
            "INSERT INTO measurement (id, sample_id, analyte, value, raw_text, unit) VALUES (901, 1, 'Ce', 2500000, '2.5e6', 'mg/kg')",
            "INSERT INTO soil_property (id, sample_id, property, value, raw_text, unit) VALUES (902, 1, 'pH_H2O', 15.2, '15.2', 'pH')",
            // A lineage loop between two samples.
            "UPDATE sample SET parent_id = 2 WHERE id = 1", "UPDATE sample SET parent_id = 1 WHERE id = 2",
            // A batch marked replaced with no successor.
            """
            INSERT INTO import_batch (id, kind, file_name, sha256, file_size, format, operator, status)
            VALUES (7, 'results', 'run.csv', '\(String(repeating: "a", count: 64))', 10, 'long', 'x', 'replaced')
            """,
            // A newer migration recorded by some future lims.
            "INSERT INTO schema_migration (id, name, sha256) VALUES (99, '0099_future.sql', 'x')",
        ])
        let report = try IntegrityCheck().run(on: try Database(path: path, mode: .readOnly))
        XCTAssertFalse(report.isHealthy)
        XCTAssertEqual(report.problems(of: .foreignKeys).map(\.message), ["measurement row 900 refers to a missing sample record"])
        XCTAssertEqual(report.problems(of: .ranges).map(\.message), [
            "measurement 901 (Ce): concentration 2500000 mg/kg is outside the physical range; expected at most 1 000 000 mg/kg (100 % of the sample) or mg/L",
            "soil_property 902 (pH_H2O): pH 15.2 pH is outside the physical range; expected from 0 to 14",
        ])
        let orphans = report.problems(of: .orphans).map(\.message)
        XCTAssertTrue(orphans.contains("sample C1-S is its own ancestor (a loop in the parent chain)"), "\(orphans)")
        XCTAssertTrue(orphans.contains("sample C2-S is its own ancestor (a loop in the parent chain)"), "\(orphans)")
        XCTAssertTrue(orphans.contains("import batch 7 (run.csv) is marked replaced but no batch replaces it"), "\(orphans)")
        XCTAssertEqual(report.problems(of: .schema).map(\.message), [
            "schema version 99 is newer than this lims knows (\(DatabaseMigrator().latestVersion)); check it with a newer lims",
            "PRAGMA user_version is \(DatabaseMigrator().latestVersion) but the last recorded migration is 99",
        ])
        XCTAssertEqual(report.problems(of: .integrity), [], "the pages themselves are sound")
    }

    func testDamagedPagesAreFoundByTheIntegrityCheck() throws {
        let store = try makeLab(extra: 2000)
        let path = store.path
        let root = try XCTUnwrap(store.db.scalar("SELECT rootpage FROM sqlite_schema WHERE name = 'sample_type_idx'")?.int)
        let pageSize = try XCTUnwrap(store.db.scalar("PRAGMA page_size")?.int)
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        // Overwrite the cell content at the end of the index's root page (its keys), as a bad sector would.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(root * pageSize - 40))
        handle.write(Data(repeating: 0x7A, count: 30))
        try handle.close()
        let fresh = try Database(path: path, mode: .readOnly)
        let problems = try IntegrityCheck().run(on: fresh).problems(of: .integrity)
        XCTAssertFalse(problems.isEmpty, "a damaged index page must be reported")
        XCTAssertTrue(problems.allSatisfy { $0.message.hasPrefix("SQLite integrity check") }, "\(problems)")
    }

    func testImportedFilesAreComparedByContent() throws {
        let store = try makeLab()
        let folder = TestSupport.temporaryDirectory()
        let kept = folder.appendingPathComponent("icpms-2019-03-14.csv")
        let edited = folder.appendingPathComponent("icpms-2019-03-15.csv")
        let stranger = folder.appendingPathComponent("never-imported.csv")
        try Data("Sample,La\nC1-S,12.5\n".utf8).write(to: kept)
        try Data("Sample,La\nC2-S,11.0\n".utf8).write(to: edited)
        try Data("Sample,La\n".utf8).write(to: stranger)
        for file in [kept, edited] {
            let print = try FileFingerprint.of(file)
            try store.write {
                _ = try store.insertBatch(ImportBatch(kind: "results", fileName: file.lastPathComponent, filePath: file.path,
                                                      sha256: print.sha256, fileSize: print.size, format: "long"))
            }
        }
        let original = try FileFingerprint.of(edited).sha256
        try Data("Sample,La\nC2-S,110.0\n".utf8).write(to: edited) // someone "corrected" the file afterwards
        let now = try FileFingerprint.of(edited).sha256
        let report = try IntegrityCheck(files: [kept, edited, stranger]).run(on: store.db)
        XCTAssertEqual(report.problems.map(\.description), [
            "[files] \(edited.path): import batch 2 (imported \(try XCTUnwrap(store.batch(id: 2)?.importedAt))) has SHA-256 \(original) but the file now has \(now): it changed after it was imported",
            "[files] \(stranger.path): no import batch has this file's name or content (SHA-256 \(try FileFingerprint.of(stranger).sha256))",
        ])
        XCTAssertEqual(report.notes[.files], "3 file(s) given, 1 match their import batch")
    }

    // MARK: Backup

    func testBackupWhileAWriterWorksIsConsistent() throws {
        let store = try makeLab(extra: 3000)
        let writer = Writer(path: store.path)
        writer.start()
        Thread.sleep(forTimeInterval: 0.2)
        let target = TestSupport.temporaryDirectory().appendingPathComponent("backup.sqlite").path
        // Small steps with pauses, so the writer commits between them and forces restarts.
        let summary = try DatabaseBackup(pagesPerStep: 8, pauseBetweenSteps: 0.002).backup(from: store.db, to: target)
        let (written, errors) = writer.stop()
        XCTAssertEqual(errors, [], "the writer never failed while the backup ran")
        XCTAssertGreaterThan(written, 0)
        let copy = try Database(path: target, mode: .readOnly)
        XCTAssertEqual(try IntegrityCheck().run(on: copy).problems, [])
        let (samples, audits) = try writerConsistency(copy)
        XCTAssertEqual(samples, audits, "every copied sample has its audit row: one consistent moment")
        XCTAssertLessThanOrEqual(samples, written)
        XCTAssertEqual(try count(copy, "SELECT count(*) FROM sample WHERE code LIKE 'B%'"), 3000)
        XCTAssertEqual(try copy.scalar("PRAGMA journal_mode")?.string, "delete", "a backup is one self-contained file")
        XCTAssertEqual(summary.schemaVersion, DatabaseMigrator().latestVersion)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (target as NSString).deletingLastPathComponent)
        XCTAssertEqual(leftovers.sorted(), ["backup.sqlite", "backup.sqlite.manifest.json"],
                       "no temporary file is left beside the backup (only its manifest)")
    }

    func testBackupRefusesToOverwriteOrToCopyOntoItself() throws {
        let store = try makeLab()
        let target = TestSupport.temporaryDirectory().appendingPathComponent("b.sqlite")
        try Data("keep me".utf8).write(to: target)
        XCTAssertThrowsError(try DatabaseBackup().backup(from: store.db, to: target.path)) { error in
            XCTAssertEqual(error as? MaintenanceError, .destinationExists(path: target.path))
        }
        XCTAssertEqual(try Data(contentsOf: target), Data("keep me".utf8))
        XCTAssertThrowsError(try DatabaseBackup(overwrite: true).backup(from: store.db, to: store.path)) { error in
            XCTAssertEqual(error as? MaintenanceError, .sameFile(path: store.path))
        }
        try DatabaseBackup(overwrite: true).backup(from: store.db, to: target.path)
        XCTAssertEqual(try count(Database(path: target.path, mode: .readOnly), "SELECT count(*) FROM sample"), 9)
    }

    // MARK: Restore

    func testRestoreWhileAWriterWorksLeavesOneConsistentDatabase() throws {
        let store = try makeLab(extra: 3000)
        let backup = TestSupport.temporaryDirectory().appendingPathComponent("b.sqlite").path
        try DatabaseBackup().backup(from: store.db, to: backup)
        try store.write { try store.db.execute("DELETE FROM sample WHERE code LIKE 'B1%'") } // a mistake to undo
        XCTAssertEqual(try count(store.db, "SELECT count(*) FROM sample WHERE code LIKE 'B%'"), 1889)
        let writer = Writer(path: store.path)
        writer.start()
        Thread.sleep(forTimeInterval: 0.2)
        try DatabaseRestore(overwrite: true).restore(from: backup, to: store.path)
        Thread.sleep(forTimeInterval: 0.2)
        let (written, errors) = writer.stop()
        XCTAssertEqual(errors, [], "the writer waited for the restore instead of failing")
        XCTAssertGreaterThan(written, 0)
        let after = try Database(path: store.path, mode: .readOnly)
        XCTAssertEqual(try IntegrityCheck().run(on: after).problems, [])
        XCTAssertEqual(try count(after, "SELECT count(*) FROM sample WHERE code LIKE 'B%'"), 3000, "the deleted samples are back")
        let (samples, audits) = try writerConsistency(after)
        XCTAssertEqual(samples, audits)
        XCTAssertLessThan(samples, written, "writes before the restore were replaced by the backup's state")
    }

    func testRestoreRefusesBadBackupsAndLeavesTheDatabaseAlone() throws {
        let store = try makeLab()
        let folder = TestSupport.temporaryDirectory()
        let good = folder.appendingPathComponent("good.sqlite").path
        try DatabaseBackup().backup(from: store.db, to: good)
        try store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try sha(store.path)

        XCTAssertThrowsError(try DatabaseRestore().restore(from: good, to: store.path)) { error in
            XCTAssertEqual(error as? MaintenanceError, .destinationExists(path: store.path))
        }
        let notSQLite = folder.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "Sample;La\n", count: 500).utf8).write(to: URL(fileURLWithPath: notSQLite))
        XCTAssertThrowsError(try DatabaseRestore(overwrite: true).restore(from: notSQLite, to: store.path)) { error in
            XCTAssertTrue((error as? DatabaseError)?.isNotADatabase == true, "\(error)")
        }
        let newer = folder.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: good, toPath: newer)
        try tamper(newer, ["INSERT INTO schema_migration (id, name, sha256) VALUES (99, '0099_future.sql', 'x')",
                           "PRAGMA user_version = 99"])
        XCTAssertThrowsError(try DatabaseRestore(overwrite: true).restore(from: newer, to: store.path)) { error in
            XCTAssertTrue("\(error)".contains("schema version 99 is newer than this lims knows"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was restored and the database was not changed"), "\(error)")
        }
        let broken = folder.appendingPathComponent("broken.sqlite").path
        try FileManager.default.copyItem(atPath: good, toPath: broken)
        try tamper(broken, ["INSERT INTO measurement (sample_id, analyte, value, raw_text, unit) VALUES (999, 'La', 1, '1', 'mg/kg')"])
        XCTAssertThrowsError(try DatabaseRestore(overwrite: true).restore(from: broken, to: store.path)) { error in
            XCTAssertTrue("\(error)".contains("[foreign-keys] measurement row 1 refers to a missing sample record"), "\(error)")
        }
        XCTAssertThrowsError(try DatabaseRestore(overwrite: true).restore(from: folder.appendingPathComponent("none").path,
                                                                        to: store.path))
        XCTAssertEqual(try sha(store.path), before, "no refused restore touched the database")
        XCTAssertEqual(try IntegrityCheck().run(on: store.db).problems, [])
    }

    // MARK: Full disk

    /// An importer that records a row's error and goes on to the next row (as the sheet
    /// importer does) must not write anything after the disk fills up: SQLite rolls the whole
    /// transaction back on SQLITE_FULL, and statements after that would otherwise run outside
    /// any transaction and be committed one by one.
    func testNothingIsCommittedAfterSQLiteRolledTheTransactionBackOnAFullDisk() throws {
        let store = try makeLab()
        let pages = try XCTUnwrap(store.db.scalar("PRAGMA page_count")?.int)
        _ = try store.db.scalar("PRAGMA max_page_count = \(pages + 3)")
        let plot = try store.requirePlot(code: "R1")
        var rowErrors: [Error] = []
        XCTAssertThrowsError(try store.write {
            for i in 0..<3000 {
                do {
                    try store.write { // one savepoint per row
                        try store.db.execute("INSERT INTO sample (code, plot_id, type, description) VALUES (?, ?, 'bulk', ?)",
                                             ["F\(i)", plot.id, String(repeating: "x", count: 300)])
                        try store.audit(action: "insert", table: "sample", recordID: store.db.lastInsertRowID,
                                        summary: "sample F\(i) registered")
                    }
                } catch {
                    rowErrors.append(error) // noted; the next row is tried
                }
            }
        }) { error in
            XCTAssertTrue((error as? DatabaseError)?.isDiskFull == true, "\(error)")
        }
        XCTAssertFalse(rowErrors.isEmpty)
        XCTAssertTrue(rowErrors.allSatisfy { ($0 as? DatabaseError)?.isDiskFull == true }, "\(rowErrors.prefix(3))")
        XCTAssertFalse(store.db.isInTransaction)
        XCTAssertEqual(try count(store.db, "SELECT count(*) FROM sample WHERE code LIKE 'F%'"), 0, "nothing half-written")
        XCTAssertEqual(try count(store.db, "SELECT count(*) FROM audit_log WHERE summary LIKE 'sample F%'"), 0)
        XCTAssertEqual(try IntegrityCheck().run(on: store.db).problems, [])
    }

    /// `PRAGMA max_page_count` limits the file like a full disk does (SQLITE_FULL), deterministically.
    func testAFullDiskFailsTheWholeWriteAndKeepsTheFileConsistent() throws {
        let store = try makeLab()
        let pages = try XCTUnwrap(store.db.scalar("PRAGMA page_count")?.int)
        _ = try store.db.scalar("PRAGMA max_page_count = \(pages + 3)")
        let plot = try store.requirePlot(code: "R1")
        XCTAssertThrowsError(try store.write {
            for i in 0..<5000 {
                try store.db.execute("INSERT INTO sample (code, plot_id, type, description) VALUES (?, ?, 'bulk', ?)",
                                     ["F\(i)", plot.id, String(repeating: "x", count: 300)])
            }
        }) { error in
            XCTAssertTrue((error as? DatabaseError)?.isDiskFull == true, "\(error)")
        }
        XCTAssertFalse(store.db.isInTransaction)
        XCTAssertEqual(try count(store.db, "SELECT count(*) FROM sample"), 9, "nothing of the failed write is kept")
        XCTAssertEqual(try IntegrityCheck().run(on: store.db).problems, [])
        _ = try store.db.scalar("PRAGMA max_page_count = 1073741823")
        try store.addSample(Sample(code: "after-space-was-freed", plotCode: "R1"))
        XCTAssertEqual(try count(store.db, "SELECT count(*) FROM sample"), 10)
    }
}
