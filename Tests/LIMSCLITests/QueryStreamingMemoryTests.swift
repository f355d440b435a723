import XCTest
import LIMSStore
import LIMSTestSupport

/// Issue #15: `lims query results` keeps memory flat in the number of rows for CSV, JSON,
/// NDJSON, wide CSV and the table (streamed after the first 1,000 rows set its widths). The fixture lab's values are
/// copied (SQL INSERT … SELECT) until there are ≥ 90 000; the peak RSS of the `lims` child (its
/// VmHWM) must stay within 40 MB of the same query on the fixture's few hundred values.
/// Collecting the rows, as the table did, costs ≈ 1 kB per value (223 MB at 195 k, measured),
/// i.e. > 100 MB here, so a buffering writer fails.
final class QueryStreamingMemoryTests: XCTestCase {
    var dir: URL!
    var databasePath: String { dir.appendingPathComponent("lims.sqlite").path }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-stream")
        try FixtureLab.build(try LabStore.create(path: databasePath, operatorName: "li.wei"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Runs lims with stdout to `output`; returns (exit status, peak RSS in kB). The peak is the
    /// child's own VmHWM from /proc, read while it runs (the high-water mark only grows; the
    /// rusage of a spawned child would also count the test process's memory, which exec inherits).
    func peakRSS(_ arguments: [String], output: String) throws -> (Int32, Int) {
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = TestSupport.limsExecutable
        process.arguments = ["--db", databasePath] + arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        var peak = 0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kB = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peak = max(peak, kB)
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, peak)
    }

    func lineCount(_ path: String) throws -> Int {
        try String(contentsOfFile: path, encoding: .utf8).utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 }
    }

    func testMemoryStaysFlatInTheNumberOfValuesForEveryStreamedFormat() throws {
        let formats: [(name: String, arguments: [String])] = [
            ("csv", ["query", "results", "--format", "csv"]), ("json", ["query", "results", "--format", "json"]),
            ("ndjson", ["query", "results", "--format", "ndjson"]),
            ("wide", ["query", "results", "--wide", "--format", "csv"]), ("table", ["query", "results"]),
        ]
        let out = dir.appendingPathComponent("out.txt").path
        var small: [String: Int] = [:]
        for format in formats {
            let (status, rss) = try peakRSS(format.arguments, output: out)
            XCTAssertEqual(status, 0, format.name)
            small[format.name] = rss
        }
        let store = try LabStore.open(path: databasePath, mode: .readWrite, operatorName: "li.wei")
        let columns = try store.db.rows("PRAGMA table_info(measurement)").compactMap { $0.string("name") }.filter { $0 != "id" }
            .joined(separator: ", ")
        var values = 0
        while values < 90_000 {
            try store.db.execute("INSERT INTO measurement (\(columns)) SELECT \(columns) FROM measurement")
            values = Int(try store.db.rows("SELECT count(*) AS n FROM measurement").first?.int64("n") ?? 0)
        }
        var rowCounts: [String: Int] = [:]
        for format in formats {
            let (status, rss) = try peakRSS(format.arguments, output: out)
            XCTAssertEqual(status, 0, format.name)
            XCTAssertLessThan(rss, small[format.name]! + 40_000, "\(format.name): \(rss) kB at \(values) values vs \(small[format.name]!) kB")
            rowCounts[format.name] = try lineCount(out)
        }
        // Every value came out: CSV has a header line, JSON its [ and ] lines, NDJSON neither.
        let csv = rowCounts["csv"]! - 1
        XCTAssertGreaterThan(csv, 45_000)
        XCTAssertEqual(rowCounts["json"], csv + 2)
        XCTAssertEqual(rowCounts["ndjson"], csv)
        XCTAssertGreaterThan(rowCounts["wide"]!, 10)
        XCTAssertEqual(rowCounts["table"], csv + 2)             // header and dashes
    }
}
