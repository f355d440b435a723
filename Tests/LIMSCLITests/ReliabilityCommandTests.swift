import Foundation
import XCTest
@testable import LIMSCLI
import LIMSStore
import LIMSTestSupport

/// `lims check`, `lims backup`, `lims restore` end to end, and the failure modes of the
/// README's table: read-only file system, full disk, newer schema, a file that is not SQLite.
/// The schema version this lims writes (messages name it).
private let latest = DatabaseMigrator().latestVersion

final class ReliabilityCommandTests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("lims.sqlite").path }

    override func setUp() { dir = TestSupport.temporaryDirectory("lims-reliability") }

    @discardableResult
    func lims(_ arguments: String..., env: [String: String] = [:]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: env)
    }

    func makeLab(extra: Int = 0) throws {
        let store = try LabStore.create(path: db, operatorName: "tester")
        try TestSupport.seedSmallLab(store)
        if extra > 0 {
            let plot = try store.requirePlot(code: "C2")
            try store.write {
                for i in 0..<extra {
                    try store.db.execute("INSERT INTO sample (code, plot_id, type, description) VALUES (?, ?, 'bulk', ?)",
                                         ["X\(i)", plot.id, String(repeating: "tailings ", count: 30)])
                }
            }
        }
    }

    func tamper(_ path: String, _ statements: [String]) throws {
        let db = try Database(path: path)
        try db.execute("PRAGMA foreign_keys = OFF")
        try db.execute("PRAGMA ignore_check_constraints = ON")
        for sql in statements { try db.executeScript(sql) }
    }

    func sha(_ path: String) throws -> String { try FileFingerprint.of(URL(fileURLWithPath: path)).sha256 }

    /// A tmpfs of `size` at a new folder, unmounted after the test; skips where mounting is not allowed.
    func mountTmpfs(size: String) throws -> URL {
        let point = TestSupport.temporaryDirectory("lims-tmpfs")
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point.path]
        mount.standardError = FileHandle.nullDevice
        mount.standardOutput = FileHandle.nullDevice
        do { try mount.run() } catch { throw XCTSkip("cannot run mount: \(error)") }
        mount.waitUntilExit()
        if mount.terminationStatus != 0 {
            throw XCTSkip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); exit \(mount.terminationStatus)")
        }
        addTeardownBlock { Self.run("/bin/umount", [point.path]) }
        return point
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    // MARK: lims check

    func testCheckPassesAHealthyDatabaseAndListsDamage() throws {
        try makeLab()
        let healthy = try lims("check")
        XCTAssertEqual(healthy.exitCode, 0, healthy.stderr)
        XCTAssertEqual(healthy.stderr, "")
        XCTAssertTrue(healthy.stdout.hasPrefix("database: \(db)\nschema version: \(latest)\n"), healthy.stdout)
        for check in ["integrity", "foreign-keys", "schema", "orphans", "ranges"] {
            XCTAssertNotNil(healthy.stdout.range(of: "\n\(check) +ok ", options: .regularExpression), "\(check): \(healthy.stdout)")
        }
        XCTAssertTrue(healthy.stdout.hasSuffix("No problems found.\n"))

        try tamper(db, [
            "INSERT INTO measurement (id, sample_id, analyte, value, raw_text, unit) VALUES (41, 999, 'La', 1, '1', 'mg/kg')",
            "INSERT INTO measurement (id, sample_id, analyte, value, raw_text, unit) VALUES (42, 1, 'Fe', 140, '140', '%')",
        ])
        let damaged = try lims("check")
        XCTAssertEqual(damaged.exitCode, 1)
        XCTAssertEqual(damaged.stderr, "Error: 2 problem(s) found in \(db)\n")
        XCTAssertTrue(damaged.stdout.contains("""
            Problems:
              [foreign-keys] measurement row 41 refers to a missing sample record
              [ranges] measurement 42 (Fe): mass fraction 140 % is outside the physical range; expected at most 100 %

            """), damaged.stdout)
        XCTAssertNotNil(damaged.stdout.range(of: "\nforeign-keys +1 problem ", options: .regularExpression), damaged.stdout)
    }

    func testCheckComparesImportedFilesWithTheirBatches() throws {
        try makeLab()
        let file = dir.appendingPathComponent("icpms.csv")
        try Data("sample,analyte,value,unit\nC1-S,La,45.2,mg/kg\n".utf8).write(to: file)
        let print = try FileFingerprint.of(file)
        do {
            let store = try LabStore.open(path: db, operatorName: "tester")
            try store.write {
                _ = try store.insertBatch(ImportBatch(kind: "results", fileName: "icpms.csv", filePath: file.path,
                                                      sha256: print.sha256, fileSize: print.size, format: "long"))
            }
        }
        let same = try lims("check", "--file", "icpms.csv")
        XCTAssertEqual(same.exitCode, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("1 file(s) given, 1 match their import batch"), same.stdout)
        try Data("sample,analyte,value,unit\nC1-S,La,452,mg/kg\n".utf8).write(to: file)
        let changed = try lims("check", "--file", "icpms.csv")
        XCTAssertEqual(changed.exitCode, 1)
        XCTAssertTrue(changed.stdout.contains("[files] \(file.path): import batch 1 "), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("has SHA-256 \(print.sha256) but the file now has "), changed.stdout)
    }

    // MARK: lims backup / restore

    func testBackupAndRestoreWhileAnotherLimsKeepsWriting() throws {
        try makeLab(extra: 4000)
        final class Writer: @unchecked Sendable {
            let lock = NSLock()
            var stop = false
            var failures: [String] = []
            var added = 0
        }
        let writer = Writer()
        let done = DispatchSemaphore(value: 0)
        let directory = dir!
        Thread.detachNewThread {
            defer { done.signal() }
            var i = 0
            while true {
                writer.lock.lock(); let stop = writer.stop; writer.lock.unlock()
                if stop { break }
                do {
                    let result = try TestSupport.runLIMS(["sample", "add", "--code", "W\(i)", "--plot", "M1"], in: directory)
                    writer.lock.lock()
                    if result.exitCode == 0 { writer.added += 1 } else { writer.failures.append(result.stderr) }
                    writer.lock.unlock()
                } catch {
                    writer.lock.lock(); writer.failures.append("\(error)"); writer.lock.unlock()
                }
                i += 1
            }
        }
        Thread.sleep(forTimeInterval: 0.3)
        let backup = try lims("backup", "backups/first.sqlite")
        XCTAssertEqual(backup.exitCode, 1, "the backups folder does not exist yet")
        XCTAssertTrue(backup.stderr.contains("cannot write in \(dir.path)/backups"), backup.stderr)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("backups"), withIntermediateDirectories: true)
        let made = try lims("backup", "backups/first.sqlite")
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        XCTAssertTrue(made.stdout.hasPrefix("Backed up \(db) to \(dir.path)/backups/first.sqlite: "), made.stdout)
        Thread.sleep(forTimeInterval: 0.3)
        let restored = try lims("restore", "backups/first.sqlite", "--force")
        Thread.sleep(forTimeInterval: 0.3)
        writer.lock.lock(); writer.stop = true; writer.lock.unlock()
        done.wait()
        XCTAssertEqual(restored.exitCode, 0, restored.stderr)
        XCTAssertTrue(restored.stdout.hasPrefix("Restored \(db) from \(dir.path)/backups/first.sqlite: "), restored.stdout)
        XCTAssertEqual(writer.failures, [], "the writing lims waited for backup and restore, never failed")
        XCTAssertGreaterThan(writer.added, 2)
        for path in [db, dir.appendingPathComponent("backups/first.sqlite").path] {
            let check = try TestSupport.runLIMS(["--db", path, "check"], in: dir)
            XCTAssertEqual(check.exitCode, 0, "\(path): \(check.stdout)")
            // Each `sample add` writes the sample and its audit row in one transaction: a
            // consistent copy has exactly as many of one as of the other.
            let copy = try Database(path: path, mode: .readOnly)
            XCTAssertEqual(try copy.scalar("SELECT count(*) FROM sample WHERE code LIKE 'W%'")?.int,
                           try copy.scalar("SELECT count(*) FROM audit_log WHERE summary LIKE 'sample W% registered'")?.int)
            XCTAssertEqual(try copy.scalar("SELECT count(*) FROM sample WHERE code LIKE 'X%'")?.int, 4000)
        }
    }

    func testRestoreRefusesWithoutForceAndRefusesBadBackups() throws {
        try makeLab()
        XCTAssertEqual(try lims("backup", "good.sqlite").exitCode, 0)
        let before = try sha(db)
        let refused = try lims("restore", "good.sqlite")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stderr, "Error: \(db) already exists; add --force to replace it (it was not changed)\n")
        let again = try lims("backup", "good.sqlite")
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertEqual(again.stderr, "Error: \(dir.path)/good.sqlite already exists; add --force to replace it (it was not changed)\n")

        try Data("Sample;La\nA;1\n".utf8).write(to: dir.appendingPathComponent("notes.sqlite"))
        let notSQLite = try lims("restore", "notes.sqlite", "--force")
        XCTAssertEqual(notSQLite.exitCode, 1)
        XCTAssertEqual(notSQLite.stderr, "Error: \(dir.path)/notes.sqlite is not a SQLite database (file is not a database)\n")

        try FileManager.default.copyItem(at: dir.appendingPathComponent("good.sqlite"), to: dir.appendingPathComponent("newer.sqlite"))
        try tamper(dir.appendingPathComponent("newer.sqlite").path,
                   ["INSERT INTO schema_migration (id, name, sha256) VALUES (99, '0099_future.sql', 'x')", "PRAGMA user_version = 99"])
        let newer = try lims("restore", "newer.sqlite", "--force")
        XCTAssertEqual(newer.exitCode, 1)
        XCTAssertTrue(newer.stderr.hasPrefix("Error: the backup \(dir.path)/newer.sqlite failed verification, so nothing was restored and the database was not changed:\n  [schema] schema version 99 is newer than this lims knows (\(latest))"), newer.stderr)
        let nowhere = try lims("--db", "no/such/folder/lims.sqlite", "restore", "good.sqlite")
        XCTAssertEqual(nowhere.exitCode, 1)
        XCTAssertEqual(nowhere.stderr, "Error: cannot write in \(dir.path)/no/such/folder (missing folder, read-only file system or no permission); nothing was written\n")
        let missing = try lims("restore", "nothing-here.sqlite", "--force")
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertEqual(missing.stderr, "Error: no backup file at \(dir.path)/nothing-here.sqlite\n")
        XCTAssertEqual(try sha(db), before, "no refused restore changed a byte of the database")
        let list = try lims("sample", "list", "--format", "csv")
        XCTAssertEqual(list.stdout.split(separator: "\n").count, 10)
    }

    // MARK: Failure modes

    func testDatabaseFromANewerLimsIsRefusedAndLeftIntact() throws {
        try makeLab()
        try tamper(db, ["INSERT INTO schema_migration (id, name, sha256) VALUES (99, '0099_future.sql', 'x')", "PRAGMA user_version = 99"])
        let before = try sha(db)
        let expected = "Error: \(db) was written by a newer Tailings LIMS (schema version 99); this lims knows versions up to \(latest). Use a newer lims; the file was not changed\n"
        for call in [["status"], ["sample", "list"], ["sample", "add", "--code", "Z", "--plot", "C1"], ["init"]] {
            let result = try TestSupport.runLIMS(call, in: dir)
            XCTAssertEqual(result.exitCode, 1, call.joined(separator: " "))
            XCTAssertEqual(result.stderr, expected, call.joined(separator: " "))
        }
        let check = try lims("check")
        XCTAssertEqual(check.exitCode, 1)
        XCTAssertTrue(check.stdout.contains("[schema] schema version 99 is newer than this lims knows (\(latest)); check it with a newer lims"), check.stdout)
        XCTAssertEqual(try sha(db), before, "the newer database was not changed")
    }

    func testAFileThatIsNotSQLiteIsRefusedByTheMaintenanceCommandsAndLeftIntact() throws {
        let file = dir.appendingPathComponent("lims.sqlite")
        let content = Data(String(repeating: "Sample,La,Ce\nC1-S,31.2,60.1\n", count: 50).utf8)
        try content.write(to: file)
        for call in [["check"], ["backup", "copy.sqlite"]] {
            let result = try TestSupport.runLIMS(call, in: dir)
            XCTAssertEqual(result.exitCode, 1)
            XCTAssertEqual(result.stderr, "Error: \(file.path) is not a SQLite database (file is not a database)\n", call.joined(separator: " "))
        }
        XCTAssertEqual(try Data(contentsOf: file), content)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("copy.sqlite").path))
    }

    func testCreatingADatabaseWhereNoFileCanBeWrittenSaysSo() throws {
        let result = try lims("--db", "no/such/folder/lims.sqlite", "init")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stderr, "Error: the database cannot be written (read-only file or folder): cannot create \(dir.path)/no/such/folder/lims.sqlite: its folder is missing, read-only or not writable\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("no").path))
    }

    /// A really read-only file system (a tmpfs remounted read-only, which root cannot write
    /// either): reading commands work, writing commands say so and change nothing.
    func testReadOnlyFileSystem() throws {
        let mount = try mountTmpfs(size: "4m")
        try makeLab()
        try FileManager.default.copyItem(atPath: db, toPath: mount.appendingPathComponent("lims.sqlite").path)
        XCTAssertEqual(Self.run("/bin/mount", ["-o", "remount,ro", mount.path]), 0)
        let path = mount.appendingPathComponent("lims.sqlite").path
        let before = try sha(path)
        let env = ["LIMS_DB": path]
        let list = try TestSupport.runLIMS(["sample", "list", "--format", "csv"], in: dir, environment: env)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(list.stdout.split(separator: "\n").count, 10)
        XCTAssertEqual(try TestSupport.runLIMS(["check"], in: dir, environment: env).exitCode, 0)
        let status = try TestSupport.runLIMS(["status", "--format", "csv"], in: dir, environment: env)
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("sample,9\n"), status.stdout)
        XCTAssertEqual(try TestSupport.runLIMS(["backup", dir.appendingPathComponent("ro-copy.sqlite").path], in: dir, environment: env).exitCode, 0)
        XCTAssertEqual(try TestSupport.runLIMS(["restore", dir.appendingPathComponent("ro-copy.sqlite").path, "--db", dir.appendingPathComponent("from-ro.sqlite").path], in: dir).exitCode, 0)
        let create = try TestSupport.runLIMS(["--db", mount.appendingPathComponent("new.sqlite").path, "init"], in: dir)
        XCTAssertEqual(create.exitCode, 1)
        XCTAssertTrue(create.stderr.hasSuffix("its folder is missing, read-only or not writable\n"), create.stderr)
        for call in [["sample", "add", "--code", "Z", "--plot", "C1"], ["init"], ["restore", dir.appendingPathComponent("ro-copy.sqlite").path, "--force"]] {
            let result = try TestSupport.runLIMS(call, in: dir, environment: env)
            XCTAssertEqual(result.exitCode, 1, call.joined(separator: " "))
            XCTAssertEqual(result.stderr, "Error: the database cannot be written (read-only file or folder): \(path) cannot be opened for writing (read-only file or file system)\n", call.joined(separator: " "))
        }
        let backup = try TestSupport.runLIMS(["--db", db, "backup", mount.appendingPathComponent("b.sqlite").path], in: dir)
        XCTAssertEqual(backup.exitCode, 1)
        XCTAssertEqual(backup.stderr, "Error: cannot write in \(mount.path) (missing folder, read-only file system or no permission); nothing was written\n")
        XCTAssertEqual(try sha(path), before)
    }

    /// A really full disk (a 1 MB tmpfs): a backup onto it and a restore into a database on it
    /// fail with "the disk is full; nothing was written", leaving no partial file and the database as it was.
    func testFullDisk() throws {
        let mount = try mountTmpfs(size: "2m")
        try makeLab(extra: 14000)
        let backup = try TestSupport.runLIMS(["--db", db, "backup", mount.appendingPathComponent("b.sqlite").path], in: dir)
        XCTAssertEqual(backup.exitCode, 1)
        XCTAssertTrue(backup.stderr.hasPrefix("Error: the disk is full; nothing was written"), backup.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount.path), [], "no partial backup is left")

        let small = mount.appendingPathComponent("lims.sqlite").path
        do {
            let store = try LabStore.create(path: small, operatorName: "tester")
            try TestSupport.seedSmallLab(store)
        }
        XCTAssertEqual(try lims("backup", "big.sqlite").exitCode, 0)
        let before = try sha(small)
        let restore = try TestSupport.runLIMS(["--db", small, "restore", dir.appendingPathComponent("big.sqlite").path, "--force"], in: dir)
        XCTAssertEqual(restore.exitCode, 1)
        XCTAssertTrue(restore.stderr.hasPrefix("Error: the disk is full; nothing was written"), restore.stderr)
        XCTAssertEqual(try DatabaseHealth.problems(small), [])
        XCTAssertEqual(try DatabaseHealth.scalar(small, "SELECT count(*) FROM sample"), 9, "the old database is whole")
        let check = try TestSupport.runLIMS(["--db", small, "check"], in: dir)
        XCTAssertEqual(check.exitCode, 0, check.stdout)
        XCTAssertEqual(try sha(small), before)
    }

    /// The disk fills up during an import (a database on a 2 MB tmpfs, a file of 20 000 values
    /// or 8 000 samples): "the disk is full; nothing was written", and nothing of it is kept.
    func testImportOntoAFullDisk() throws {
        let workloads = ImportWorkload.allCases.filter { $0 != .sampleAdd }
        for workload in workloads { try workload.requireAvailable() }
        let mount = try mountTmpfs(size: "2m")
        let lab = try ImportWorkload.makeLab(in: dir)
        for workload in workloads {
            let path = mount.appendingPathComponent("lims.sqlite").path
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: lab, toPath: path)
            let rows = workload == .importResults ? 20_000 : 8_000
            let call = try XCTUnwrap(workload.calls(tag: "FULL", rows: 0..<rows, files: 1, in: dir).first)
            let before = try sha(path)
            let result = try TestSupport.runLIMS(call, in: dir, environment: ["LIMS_DB": path])
            XCTAssertEqual(result.exitCode, 1, "\(workload): \(result.stdout)")
            // Either LIMSMain's sentence or the importer's own diagnostics; both must say why and that nothing was written.
            XCTAssertTrue(result.stderr.contains("disk is full"), "\(workload): \(result.stderr.prefix(2000))")
            XCTAssertTrue(result.stderr.contains("nothing was written"), "\(workload): \(result.stderr.suffix(2000))")
            XCTAssertLessThanOrEqual(result.stderr.split(separator: "\n").count, 3,
                                     "\(workload): one error, not one per remaining row: \(result.stderr.prefix(2000))")
            XCTAssertEqual(try DatabaseHealth.problems(path), [], "\(workload)")
            let db = try Database(path: path, mode: .readOnly)
            XCTAssertEqual(try workload.recordCount(db, tag: "FULL"), 0, "\(workload): nothing of the import is kept")
            XCTAssertEqual(try db.scalar("SELECT count(*) FROM import_batch")?.int, 0, "\(workload)")
            XCTAssertEqual(try sha(path), before, "\(workload): the database file is as it was")
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
        }
    }

    /// The same, deterministic on any machine: `PRAGMA max_page_count` makes SQLite report
    /// SQLITE_FULL exactly as a full disk does; the message the user sees comes from LIMSMain.
    func testFullDiskMessageAndNothingHalfWritten() throws {
        try makeLab()
        let store = try LabStore.open(path: db, operatorName: "tester")
        let pages = try XCTUnwrap(store.db.scalar("PRAGMA page_count")?.int)
        _ = try store.db.scalar("PRAGMA max_page_count = \(pages + 2)")
        var caught: Error?
        do {
            try store.write {
                for i in 0..<3000 { try store.addSample(Sample(code: "F\(i)", plotCode: "R2", description: String(repeating: "x", count: 200))) }
            }
        } catch { caught = error }
        let error = try XCTUnwrap(caught)
        XCTAssertEqual(LIMSMain.describe(error), "the disk is full; nothing was written (database or disk is full)")
        XCTAssertEqual(try DatabaseHealth.problems(db), [])
        XCTAssertEqual(try DatabaseHealth.scalar(db, "SELECT count(*) FROM sample"), 9)
        XCTAssertEqual(try DatabaseHealth.scalar(db, "SELECT count(*) FROM audit_log WHERE summary LIKE 'sample F%'"), 0)
    }
}
