import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// Issue #16 input cases and #12 encodings through the built `lims` binary. Each of the #16 tests
/// fails on the main branch before the input layer (NUL after 4 KiB imported as 4.0; a huge line
/// echoed whole; a second pipe refused as a re-import; `-` not a file; a named FIFO hanging).
final class InputReliabilityCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String..., stdin: String? = nil) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"], stdin: stdin)
    }

    /// Runs a bash script in the test's folder with `$LIMS` naming the binary; killed after `timeout` seconds.
    func shell(_ script: String, timeout: TimeInterval = 60) throws -> (exitCode: Int32, stdout: String, stderr: String, timedOut: Bool) {
        let process = Process()
        // Scripts that could hang bound their own commands with coreutils `timeout`; this deadline is a backstop.
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = ["PATH": "/usr/bin:/bin", "USER": "tester", "HOME": NSTemporaryDirectory(),
                               "LIMS_OPERATOR": "li.wei", "LIMS": TestSupport.limsExecutable.path]
        process.currentDirectoryURL = dir
        let out = dir.appendingPathComponent("shell.out"), err = dir.appendingPathComponent("shell.err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
        }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                (try? String(contentsOf: err, encoding: .utf8)) ?? "", timedOut)
    }

    func fixture(_ name: String) -> String { TestSupport.fixture(name).path }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-input-cli")
        try TestSupport.registerCLILab(in: dir)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func batchLines() throws -> [Substring] {
        try lims("batch", "list", "--format", "csv").stdout.split(separator: "\n").dropFirst().map { $0 }
    }

    /// The stored values without the batch and file columns (which name the import, not the value).
    func storedValues() throws -> [String] {
        let result = try lims("query", "results", "--format", "csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return result.stdout.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).dropFirst().dropLast(2).joined(separator: ",")
        }
    }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let url = dir.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    // MARK: #16

    func testNULAfterTheFirst4KiBIsALocatedErrorAndNothingIsWritten() throws {
        // 4200 blank lines push the NUL past the 4 KiB the old binary check looked at.
        let text = "sample,analyte,value,unit\n" + String(repeating: "\n", count: 4200) + "C1-S,La,45.2,mg/kg\nC2-S,Nd,4"
        let file = write(Array(text.utf8) + [0] + Array("00.5,mg/kg\n".utf8), "nul.csv")
        let result = try lims("import", "results", file)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("nul.csv:4203:3: error: a NUL byte (0x00) in field 3"), result.stderr)
        XCTAssertEqual(try batchLines(), [], "nothing was written")
    }

    func testAHugeLineIsRefusedQuicklyWithAShortLocatedMessage() throws {
        // A 4 MiB "header" without delimiters (a binary dump, or a file with one line): stops at 1 MiB.
        let file = write(Array(repeating: UInt8(ascii: "x"), count: 4 << 20) + [0x0A] + Array("C1-S,La,1,mg/kg\n".utf8), "oneline.csv")
        let start = Date()
        let result = try lims("import", "results", file)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("oneline.csv:1:1: error: field 1 is longer than 1 MiB (starts \"" + String(repeating: "x", count: 40) + "…\")"),
                      String(result.stderr.prefix(500)))
        XCTAssertLessThan(result.stderr.utf8.count, 2000, "the line is not echoed")
        XCTAssertLessThan(seconds, 20)
        XCTAssertEqual(try batchLines(), [])
    }

    func testTwoProcessSubstitutionsWithDifferentContentImportBoth() throws {
        let file = fixture("instruments/long_results_small.csv")
        let result = try shell("""
            "$LIMS" import results <(head -4 '\(file)') && "$LIMS" import results <(sed -n '1p;5,8p' '\(file)')
            """)
        XCTAssertFalse(result.timedOut)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let batches = try batchLines()
        XCTAssertEqual(batches.count, 2, batches.joined(separator: "\n"))
        guard batches.count == 2 else { return }
        // rows, values: 3 then 4, both active (the second is not refused as a re-import of "empty").
        XCTAssertTrue(batches[0].hasSuffix(",3,3,1,0,1,0,active,"), String(batches[0]))
        XCTAssertTrue(batches[1].hasSuffix(",4,4,2,0,2,0,active,"), String(batches[1]))
        // The same pipe content again is a re-import, found by the hash taken while copying.
        let again = try shell(#""$LIMS" import results <(head -4 '\#(file)')"#)
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertTrue(again.stderr.contains("this file was already imported as batch 1"), again.stderr)
    }

    func testDashReadsStandardInput() throws {
        let text = try String(contentsOfFile: fixture("instruments/long_results_small.csv"), encoding: .utf8)
        let result = try lims("import", "results", "-", stdin: text)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Imported stdin as batch 1."), result.stdout)
        XCTAssertTrue(result.stdout.contains("samples:     3 (3 registered, 0 unmatched), 7 values"), result.stdout)
        let empty = try lims("import", "results", "-", stdin: "")
        XCTAssertEqual(empty.exitCode, 1)
        XCTAssertTrue(empty.stderr.contains("<stdin>: error: the input is empty"), empty.stderr)
        // A lab sheet from standard input too.
        let sheet = try lims("import", "samples", "-", "--dry-run", stdin: "code,plot\nC1-S2,C1\n")
        XCTAssertEqual(sheet.exitCode, 0, sheet.stderr)
    }

    func testANamedFIFOWithAWriterIsImportedWithoutHanging() throws {
        let file = fixture("instruments/long_results_small.csv")
        let result = try shell("""
            mkfifo run.fifo
            cat '\(file)' > run.fifo &
            writer=$!
            timeout 30 "$LIMS" import results run.fifo
            status=$?
            kill $writer 2>/dev/null
            exit $status
            """, timeout: 60)
        XCTAssertFalse(result.timedOut)
        XCTAssertNotEqual(result.exitCode, 124, "lims hung on the FIFO (killed by timeout after 30 s)")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Imported run.fifo as batch 1."), result.stdout)
        XCTAssertTrue(result.stdout.contains("7 values"), result.stdout)
    }

    // MARK: #12 encodings

    func testAUTF16LabSheetImportsWithAndWithoutAGivenDelimiter() throws {
        let text = "code,plot,type\nC1-S2,C1,bulk\nC2-S2,C2,bulk\n"
        let file = write([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "samples-utf16.csv")
        let given = try lims("import", "samples", file, "--delimiter", ",", "--dry-run")
        XCTAssertEqual(given.exitCode, 0, given.stderr)
        let detected = try lims("import", "samples", file)
        XCTAssertEqual(detected.exitCode, 0, detected.stderr)
        let list = try lims("sample", "list", "--format", "csv")
        XCTAssertTrue(list.stdout.contains("C1-S2") && list.stdout.contains("C2-S2"), list.stdout)
    }

    func testUTF16CopiesStoreTheSameValuesAsTheUTF8File() throws {
        let utf8 = try lims("import", "results", fixture("instruments/long_results_small.csv"))
        XCTAssertEqual(utf8.exitCode, 0, utf8.stderr)
        let expected = try storedValues()
        XCTAssertEqual(expected.count, 8)
        for name in ["long_results_utf16le_bom.txt", "long_results_utf16be_bom.csv", "long_results_utf16le_nobom.csv"] {
            try lims("batch", "list")  // keep the database warm; each copy gets a fresh one below
            let fresh = TestSupport.temporaryDirectory("lims-input-cli-utf16")
            defer { try? FileManager.default.removeItem(at: fresh) }
            let saved = dir
            dir = fresh
            defer { dir = saved }
            try setUpWithError()
            let result = try lims("import", "results", fixture("input/\(name)"))
            XCTAssertEqual(result.exitCode, 0, "\(name): \(result.stderr)")
            XCTAssertEqual(try storedValues(), expected, name)
        }
    }
}
