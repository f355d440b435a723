import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// Hostile files through the real import commands (once they are on the branch): mutated
/// lab sheets and results files. Each run either imports the whole file or exits 1 with
/// located diagnostics — never a crash, never a hang, never a partial write.
final class ReliabilityImportFuzzTests: XCTestCase {
    static let master = SeededRandom.masterSeed(fallback: 0x1_F0_2026)

    func fuzzImport(_ workload: ImportWorkload, cases: Int) throws {
        try workload.requireAvailable()
        let directory = TestSupport.temporaryDirectory("lims-import-fuzz")
        let path = try ImportWorkload.makeLab(in: directory)
        let valid = Array(workload.sheet(tag: "FZ", rows: 0..<12).utf8)
        var failures: [String] = []
        for index in 0..<SeededRandom.caseCount(default: cases) {
            let seed = SeededRandom.caseSeed(master: Self.master, index: index)
            var random = SeededRandom(seed: seed)
            let bytes = index == 0 ? valid : Mutator.mutate(valid, using: &random)
            let file = directory.appendingPathComponent("fuzz-\(index).csv")
            try Data(bytes).write(to: file)
            let db = try Database(path: path, mode: .readOnly)
            let before = (try workload.recordCount(db), try db.scalar("SELECT count(*) FROM import_batch")?.int ?? -1)
            let child = try LIMSChild(workload.arguments(for: file), in: directory, environment: ["LIMS_DB": path])
            let deadline = Date().addingTimeInterval(20)
            while child.process.isRunning, Date() < deadline { usleep(2000) }
            if child.process.isRunning {
                child.kill()
                failures.append("case \(index) seed 0x\(String(seed, radix: 16)): hung for 20 s")
                break
            }
            let result = child.result
            let after = (try workload.recordCount(db), try db.scalar("SELECT count(*) FROM import_batch")?.int ?? -1)
            let label = "case \(index) seed 0x\(String(seed, radix: 16))"
            switch result.exitCode {
            case 0:
                if after.1 != before.1 + 1 { failures.append("\(label): success without exactly one new batch") }
            case 1:
                if after != before { failures.append("\(label): failed but wrote \(before) → \(after)") }
                let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") }
                if lines.isEmpty || !lines.allSatisfy({ $0.hasPrefix("Error: ") || $0.contains(": error: ") || $0.hasPrefix("note: ") || $0.hasSuffix("nothing was written") || $0.hasPrefix("  ") }) {
                    failures.append("\(label): unclear error output: \(result.stderr)")
                }
            default:
                failures.append("\(label): exit \(result.exitCode) (\(child.process.terminationReason == .uncaughtSignal ? "crashed" : "exit")): \(result.stderr)")
            }
            if failures.count >= 5 { break }
        }
        XCTAssertEqual(try DatabaseHealth.problems(path), [])
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    func testMutatedSampleSheets() throws { try fuzzImport(.importSamples, cases: 120) }

    func testMutatedResultsFiles() throws { try fuzzImport(.importResults, cases: 120) }
}
