import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// The laptop dies mid-import: a `lims` child doing one large write (one transaction) is
/// killed with SIGKILL at several points — at seeded moments and when its WAL has grown past
/// set sizes. After each kill the database must pass `PRAGMA integrity_check` and
/// `foreign_key_check`, hold the whole batch or none of it, and take the same command again.
final class ReliabilityCrashTests: XCTestCase {
    static let seed = SeededRandom.masterSeed(fallback: 0xC4A5_4_2026)

    /// A large write and how to tell "none of it" from "all of it".
    struct Scenario {
        let directory: URL
        /// The database before the write (closed, checkpointed: a single file to copy).
        let pristine: String
        let call: [String]
        /// Records of the write found in a database: `none` before, `all` after.
        let count: (String) throws -> Int
        let none: Int
        let all: Int
        /// A second run after a complete write is refused (an import of the same file) or not (a restore).
        let repeatIsRefused: Bool
    }

    enum KillPoint: CustomStringConvertible {
        case afterSeconds(Double)
        case walExceeds(Int)
        var description: String {
            switch self {
            case .afterSeconds(let s): return String(format: "after %.3f s", s)
            case .walExceeds(let b): return "when the WAL passes \(b) bytes"
            }
        }
    }

    // MARK: Scenarios

    /// `lims restore BACKUP --force` over a live database: the largest single write on every branch.
    func restoreScenario(newSamples: Int = 8000) throws -> Scenario {
        let directory = TestSupport.temporaryDirectory("lims-crash")
        let pristine = try ImportWorkload.makeLab(in: directory)
        let staging = directory.appendingPathComponent("staging.sqlite").path
        try FileManager.default.copyItem(atPath: pristine, toPath: staging)
        do {
            let store = try LabStore.open(path: staging, operatorName: "tester")
            let plot = try store.requirePlot(code: "M1")
            try store.write {
                for i in 0..<newSamples {
                    try store.db.execute("INSERT INTO sample (code, plot_id, type, description) VALUES (?, ?, 'bulk', ?)",
                                         ["NEW-\(i)", plot.id, String(repeating: "sandy tailings ", count: 10)])
                    try store.audit(action: "insert", table: "sample", recordID: store.db.lastInsertRowID,
                                    summary: "sample NEW-\(i) registered")
                }
            }
            try DatabaseBackup().backup(from: store.db, to: directory.appendingPathComponent("backup.sqlite").path)
        }
        let count: (String) throws -> Int = { path in
            let db = try Database(path: path, mode: .readOnly)
            let samples = try db.scalar("SELECT count(*) FROM sample WHERE code LIKE 'NEW-%'")?.int ?? -1
            let audits = try db.scalar("SELECT count(*) FROM audit_log WHERE summary LIKE 'sample NEW-% registered'")?.int ?? -2
            return samples == audits ? samples : -1 // samples without their audit rows: half a state
        }
        return Scenario(directory: directory, pristine: pristine,
                        call: ["restore", directory.appendingPathComponent("backup.sqlite").path, "--force"],
                        count: count, none: 0, all: newSamples, repeatIsRefused: false)
    }

    /// `lims import …` of one large file (runs once the import commands are on the branch).
    func importScenario(_ workload: ImportWorkload, rows: Int) throws -> Scenario {
        try workload.requireAvailable()
        let directory = TestSupport.temporaryDirectory("lims-crash")
        let pristine = try ImportWorkload.makeLab(in: directory)
        let call = try XCTUnwrap(workload.calls(tag: "BIG", rows: 0..<rows, files: 1, in: directory).first)
        let count: (String) throws -> Int = { path in
            let db = try Database(path: path, mode: .readOnly)
            let records = try workload.recordCount(db, tag: "BIG")
            let batches = try db.scalar("SELECT count(*) FROM import_batch")?.int ?? -1
            // The batch record and its rows land together or not at all.
            return (records == 0) == (batches == 0) ? records : -1
        }
        return Scenario(directory: directory, pristine: pristine, call: call, count: count,
                        none: 0, all: rows, repeatIsRefused: true)
    }

    // MARK: The test

    func crashTest(_ scenario: Scenario, file: StaticString = #filePath, line: UInt = #line) throws {
        var random = SeededRandom(seed: Self.seed)
        // Calibrate: how long the whole write takes here, and that it works at all.
        // Twice, keeping the faster (warm) run: the first pays for cold caches.
        var duration = Double.infinity
        for run in 0..<2 {
            let calibration = try copy(scenario, label: "calibration-\(run)")
            let start = Date()
            let full = try LIMSChild(scenario.call, in: scenario.directory, environment: ["LIMS_DB": calibration]).wait()
            duration = min(duration, Date().timeIntervalSince(start))
            XCTAssertEqual(full.exitCode, 0, "the workload runs: \(full.stderr)", file: file, line: line)
            XCTAssertEqual(try scenario.count(calibration), scenario.all, file: file, line: line)
        }
        // Roughly what the write puts in the WAL (records of a few hundred bytes each, with indexes).
        let walPeak = max(64 * 1024, scenario.all * 200)

        var points: [KillPoint] = [.afterSeconds(0.005)]
        for fraction in [0.2, 0.5, 0.8, 0.95] {
            points.append(.afterSeconds(duration * fraction * Double.random(in: 0.9...1.1, using: &random)))
        }
        points += [.walExceeds(16 * 1024), .walExceeds(walPeak / 4), .walExceeds(walPeak / 2)]

        var outcomes: [String] = []
        for (index, point) in points.enumerated() {
            let path = try copy(scenario, label: "kill-\(index)")
            let child = try LIMSChild(scenario.call, in: scenario.directory, environment: ["LIMS_DB": path])
            try trigger(point, child: child, path: path)
            child.kill()
            let context = "kill \(index) \(point) (seed 0x\(String(Self.seed, radix: 16)))"
            XCTAssertEqual(try DatabaseHealth.problems(path), [], context, file: file, line: line)
            let found = try scenario.count(path)
            XCTAssertTrue(found == scenario.none || found == scenario.all,
                          "\(context): \(found) records — neither none (\(scenario.none)) nor all (\(scenario.all))",
                          file: file, line: line)
            outcomes.append("\(point): \(child.wasKilled ? "killed" : "finished"), \(found == scenario.all ? "all" : "none")")
            // The same command again: completes the write, or (import of a file already in) is refused.
            let again = try LIMSChild(scenario.call, in: scenario.directory, environment: ["LIMS_DB": path]).wait()
            if found == scenario.none || !scenario.repeatIsRefused {
                XCTAssertEqual(again.exitCode, 0, "\(context): the repeated command failed: \(again.stderr)", file: file, line: line)
            } else {
                XCTAssertEqual(again.exitCode, 1, "\(context): a second import of the same file is refused", file: file, line: line)
            }
            XCTAssertEqual(try scenario.count(path), scenario.all, "\(context): after the repeat", file: file, line: line)
            XCTAssertEqual(try DatabaseHealth.problems(path), [], "\(context): after the repeat", file: file, line: line)
            try? FileManager.default.removeItem(atPath: path)
        }
        // Visible in the log: where the kills landed (timing differs from machine to machine).
        print("crash test \(scenario.call.prefix(2).joined(separator: " ")) (full run \(String(format: "%.2f", duration)) s):\n  "
              + outcomes.joined(separator: "\n  "))
        XCTAssertTrue(outcomes.contains { $0.contains("killed") }, "at least one kill landed while the write ran", file: file, line: line)
    }

    func copy(_ scenario: Scenario, label: String) throws -> String {
        let folder = scenario.directory.appendingPathComponent(label)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("lims.sqlite").path
        try FileManager.default.copyItem(atPath: scenario.pristine, toPath: path)
        return path
    }

    func trigger(_ point: KillPoint, child: LIMSChild, path: String) throws {
        switch point {
        case .afterSeconds(let seconds):
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, child.process.isRunning { usleep(200) }
        case .walExceeds(let bytes):
            let wal = path + "-wal"
            let deadline = Date().addingTimeInterval(30)
            while child.process.isRunning, Date() < deadline {
                let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
                if size > bytes { return }
                usleep(200)
            }
        }
    }

    func testKilledRestoreLeavesTheOldOrTheNewDatabase() throws {
        try crashTest(try restoreScenario())
    }

    func testKilledSampleSheetImportLeavesAllOrNothing() throws {
        try crashTest(try importScenario(.importSamples, rows: 1500))
    }

    func testKilledResultsImportLeavesAllOrNothing() throws {
        try crashTest(try importScenario(.importResults, rows: 3000))
    }
}
