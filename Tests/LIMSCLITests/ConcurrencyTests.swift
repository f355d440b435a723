import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// Two technicians import into the same database while a third runs reports: every `lims`
/// process succeeds (a writer waits for the other — BEGIN IMMEDIATE and a 60 s busy
/// timeout — instead of failing with "database is locked"), the counts are exact, and a
/// long-running report (a read transaction held open the whole time) blocks no import.
final class ConcurrencyTests: XCTestCase {
    /// Runs `writers` writers (each a sequence of lims calls) and one reporting process in a loop,
    /// all at once, with a long read transaction held open by this process.
    func runConcurrently(_ workload: ImportWorkload, recordsPerWriter: Int, files: Int = 1) throws {
        try workload.requireAvailable()
        let directory = TestSupport.temporaryDirectory("lims-concurrency")
        let path = try ImportWorkload.makeLab(in: directory)
        let tags = ["A", "B"]
        let writerCalls = try tags.enumerated().map { index, tag in
            try workload.calls(tag: tag, rows: (index * recordsPerWriter)..<((index + 1) * recordsPerWriter),
                               files: files, in: directory)
        }
        let environment = ["LIMS_DB": path]

        // The long report: a snapshot held open while everyone else works.
        let report = try Database(path: path, mode: .readOnly)
        try report.execute("BEGIN")
        let countAtStart = try workload.recordCount(report)

        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var failures: [String] = []
            var slowest: TimeInterval = 0
            var reports = 0
            var writersDone = 0
            func add(_ text: String) { lock.lock(); failures.append(text); lock.unlock() }
            func took(_ seconds: TimeInterval) { lock.lock(); slowest = max(slowest, seconds); lock.unlock() }
        }
        let log = Log()
        let group = DispatchGroup()
        for (tag, calls) in zip(tags, writerCalls) {
            group.enter()
            Thread.detachNewThread {
                defer { log.lock.lock(); log.writersDone += 1; log.lock.unlock(); group.leave() }
                for call in calls {
                    let start = Date()
                    do {
                        let result = try TestSupport.runLIMS(call, in: directory, environment: environment)
                        log.took(Date().timeIntervalSince(start))
                        if result.exitCode != 0 { log.add("writer \(tag): \(call.joined(separator: " ")) exit \(result.exitCode): \(result.stderr)") }
                    } catch { log.add("writer \(tag): \(error)") }
                }
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            let reportCalls = [["status", "--format", "csv"], ["sample", "list", "--format", "csv"], ["check"]]
            var i = 0
            while true {
                log.lock.lock(); let done = log.writersDone == tags.count; log.lock.unlock()
                if done && i >= reportCalls.count { break }
                let call = reportCalls[i % reportCalls.count]
                do {
                    let result = try TestSupport.runLIMS(call, in: directory, environment: environment)
                    if result.exitCode != 0 { log.add("reporter: \(call.joined(separator: " ")) exit \(result.exitCode): \(result.stderr)") }
                } catch { log.add("reporter: \(error)") }
                i += 1
            }
            log.lock.lock(); log.reports = i; log.lock.unlock()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success, "writers and reporter finished within 60 s")

        // The long report still sees its snapshot, and nobody waited for it.
        XCTAssertEqual(try workload.recordCount(report), countAtStart, "the open report kept its consistent snapshot")
        try report.execute("COMMIT")
        XCTAssertEqual(log.failures, [])
        XCTAssertFalse(log.failures.joined().contains("database is locked"))
        XCTAssertLessThan(log.slowest, 20, "no write was held up by the long report (slowest call \(log.slowest) s)")
        XCTAssertGreaterThanOrEqual(log.reports, 3)

        // Exact counts: each writer's records once, nothing lost, nothing doubled.
        let db = try Database(path: path, mode: .readOnly)
        for tag in tags { XCTAssertEqual(try workload.recordCount(db, tag: tag), recordsPerWriter, "writer \(tag)") }
        XCTAssertEqual(try workload.recordCount(db), 2 * recordsPerWriter)
        XCTAssertEqual(try DatabaseHealth.problems(path), [])
    }

    func testTwoWritersAndAReporterWithSampleAdd() throws {
        try runConcurrently(.sampleAdd, recordsPerWriter: 20)
    }

    func testTwoImportersAndAReporterWithSampleSheets() throws {
        try runConcurrently(.importSamples, recordsPerWriter: 3000, files: 3)
    }

    func testTwoImportersAndAReporterWithResults() throws {
        try runConcurrently(.importResults, recordsPerWriter: 6000, files: 3)
    }
}
