import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// The same `lims` on PostgreSQL (issue 17), through the built binary: the demo study imported,
/// corrected, queried and reported on both engines gives the same output and byte-identical
/// reports; `lims copy` moves it SQLite → PostgreSQL → SQLite unchanged; four imports at once
/// lose nothing; bad input writes nothing. Skipped, with a message, without $LIMS_TEST_POSTGRES_URL.
final class PostgreSQLCLITests: XCTestCase {
    let environment = ["LIMS_OPERATOR": "li.wei"]

    func lims(_ arguments: [String], db: String, in directory: URL,
              file: StaticString = #filePath, line: UInt = #line) throws -> TestSupport.RunResult {
        let result = try TestSupport.runLIMS(["--db", db] + arguments, in: directory, environment: environment)
        XCTAssertEqual(result.exitCode, 0, "lims \(arguments.joined(separator: " ")) on \(DatabaseLocation.redacted(db)): \(result.stderr)",
                       file: file, line: line)
        return result
    }

    /// The demo study's input files (written by `lims demo`), and its manifest of imports.
    func studyFiles(in directory: URL) throws -> (folder: URL, imports: [[String]]) {
        let demo = directory.appendingPathComponent("demo")
        let made = try TestSupport.runLIMS(["demo", "--out", demo.path], in: directory, environment: environment)
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        let folder = demo.appendingPathComponent("study")
        let manifest = try String(contentsOf: folder.appendingPathComponent("MANIFEST.txt"), encoding: .utf8)
        let imports = manifest.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { !$0.isEmpty }
            .map { words -> [String] in ["import", words[0], folder.appendingPathComponent(words[1]).path] + words.dropFirst(2) }
        return (folder, imports)
    }

    /// Imports, a correction, a retirement, queries and reports on one database; returns what they printed.
    func runStudy(_ imports: [[String]], db: String, in directory: URL, reports: URL) throws -> [String: String] {
        _ = try lims(["init"], db: db, in: directory)
        for arguments in imports { _ = try lims(arguments, db: db, in: directory) }
        var output: [String: String] = [:]
        // A correction and a retirement: the first two solid La values of the study.
        let la = try lims(["query", "results", "--analyte", "La", "--matrix", "solid", "--format", "csv"], db: db, in: directory)
        let ids = la.stdout.split(separator: "\n").dropFirst().prefix(2).map { String($0.split(separator: ",")[0]) }
        XCTAssertEqual(ids.count, 2, la.stdout)
        _ = try lims(["result", "correct", ids[0], "--value", "41.7", "--reason", "transcription error"], db: db, in: directory)
        _ = try lims(["result", "retire", ids[1], "--reason", "contaminated vial"], db: db, in: directory)
        let queries: [String: [String]] = [
            "samples": ["query", "samples", "--format", "csv"],
            "results": ["query", "results", "--format", "csv", "--all-versions"],
            "wide": ["query", "results", "--analyte", "REE", "--matrix", "solid", "--wide", "--format", "csv"],
            "json": ["query", "results", "--analyte", "Ce", "--format", "json"],
            "sql": ["sql", "SELECT code, type FROM sample WHERE code LIKE 'C1%' ORDER BY code", "--format", "csv"],
            "extractions": ["query", "extractions", "--analyte", "Ce", "--format", "csv"],
            "pois": ["query", "pois", "--format", "csv"],
            "status": ["status", "--format", "csv"],
        ]
        for (name, arguments) in queries { output[name] = try lims(arguments, db: db, in: directory).stdout }
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        for (arguments, file) in [(["report", "all"], "report.md"), (["report", "all", "--format", "json"], "report.json"),
                                  (["report", "leaching"], "leaching.md"), (["report", "seepage"], "seepage.md")] {
            _ = try lims(arguments + ["--out", reports.appendingPathComponent(file).path], db: db, in: directory)
        }
        let check = try TestSupport.runLIMS(["--db", db, "check"], in: directory, environment: environment)
        XCTAssertEqual(check.exitCode, 0, "lims check on \(DatabaseLocation.redacted(db)): \(check.stdout)\(check.stderr)")
        return output
    }

    /// Every file under `folder` by relative path, with the two lines that must differ between
    /// databases (which database, when) blanked.
    func reportFiles(_ folder: URL) throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            let text = try String(contentsOf: url, encoding: .utf8)
            let normalized = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                for prefix in ["- Database: ", "- Generated: ", "\"database\": ", "\"generated_at\": "] where trimmed.hasPrefix(prefix) {
                    return prefix + "…"
                }
                return String(line)
            }.joined(separator: "\n")
            files[String(url.path.dropFirst(folder.path.count))] = normalized
        }
        return files
    }

    func testDemoStudyGivesTheSameQueriesAndIdenticalReportsOnBothEngines() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let directory = TestSupport.temporaryDirectory("lims-pg-study")
        defer { TemporaryDirectories.shared.remove(directory) }
        let study = try studyFiles(in: directory)
        let sqliteOutput = try runStudy(study.imports, db: directory.appendingPathComponent("lab.sqlite").path,
                                        in: directory, reports: directory.appendingPathComponent("reports-sqlite"))
        let pgOutput = try runStudy(study.imports, db: server.url, in: directory,
                                    reports: directory.appendingPathComponent("reports-pg"))
        XCTAssertEqual(Set(sqliteOutput.keys), Set(pgOutput.keys))
        for (name, text) in sqliteOutput {
            XCTAssertGreaterThan(text.split(separator: "\n").count, 1, "\(name) printed rows")
            XCTAssertEqual(pgOutput[name], text, "\(name) differs between SQLite and PostgreSQL")
        }
        let sqliteReports = try reportFiles(directory.appendingPathComponent("reports-sqlite"))
        let pgReports = try reportFiles(directory.appendingPathComponent("reports-pg"))
        XCTAssertGreaterThanOrEqual(sqliteReports.count, 8, "reports and their figures")
        XCTAssertEqual(Set(sqliteReports.keys), Set(pgReports.keys))
        for (file, text) in sqliteReports {
            XCTAssertTrue(text == pgReports[file], "\(file) differs between SQLite and PostgreSQL")
        }
        // The correction and the retirement are there on both: one superseded, one retired value.
        for output in [sqliteOutput, pgOutput] {
            let rows = output["results"]!.split(separator: "\n")
            XCTAssertEqual(rows.filter { $0.contains(",superseded,") }.count, 1)
            XCTAssertEqual(rows.filter { $0.contains(",retired,") }.count, 1)
        }
    }

    func testCopyRoundTripSQLiteToPostgreSQLToSQLiteKeepsEverything() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let directory = TestSupport.temporaryDirectory("lims-pg-copy")
        defer { TemporaryDirectories.shared.remove(directory) }
        let study = try studyFiles(in: directory)
        let original = directory.appendingPathComponent("lab.sqlite").path
        let before = try runStudy(study.imports, db: original, in: directory, reports: directory.appendingPathComponent("r0"))

        let toServer = try TestSupport.runLIMS(["copy", "--from", original, "--to", server.url], in: directory, environment: environment)
        XCTAssertEqual(toServer.exitCode, 0, toServer.stderr)
        XCTAssertTrue(toServer.stdout.contains("row counts match and the audit chain is unbroken"), toServer.stdout)
        XCTAssertTrue(toServer.stdout.contains("measurement"), toServer.stdout)
        let back = directory.appendingPathComponent("back.sqlite").path
        let fromServer = try TestSupport.runLIMS(["--db", server.url, "copy", "--to", back], in: directory, environment: environment)
        XCTAssertEqual(fromServer.exitCode, 0, fromServer.stderr)

        let queries: [String: [String]] = [
            "samples": ["query", "samples", "--format", "csv"],
            "results": ["query", "results", "--format", "csv", "--all-versions"],
            "status": ["status", "--format", "csv"],
            "log": ["log", "--format", "csv"],
        ]
        for db in [server.url, back] {
            let check = try TestSupport.runLIMS(["--db", db, "check"], in: directory, environment: environment)
            XCTAssertEqual(check.exitCode, 0, "check of the copy \(DatabaseLocation.redacted(db)): \(check.stdout)\(check.stderr)")
            for (name, arguments) in queries {
                let original = try lims(arguments, db: original, in: directory).stdout
                XCTAssertEqual(try lims(arguments, db: db, in: directory).stdout, original, "\(name) of the copy differs")
            }
        }
        XCTAssertNotNil(before["results"])
        // New rows on the copied server get fresh ids (the identity sequences were moved past the copied ones).
        let added = try TestSupport.runLIMS(["--db", server.url, "site", "add", "--code", "NEW"], in: directory, environment: environment)
        XCTAssertEqual(added.exitCode, 0, added.stderr)
        // A second copy into the same, now non-empty database is refused and changes nothing.
        let again = try TestSupport.runLIMS(["copy", "--from", original, "--to", server.url], in: directory, environment: environment)
        XCTAssertEqual(again.exitCode, 1, again.stdout)
        XCTAssertTrue(again.stderr.contains("an empty database"), again.stderr)
    }

    /// Four technicians import result files into one server database at the same moment.
    func testFourConcurrentImportsOnPostgreSQLLoseNothing() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let directory = TestSupport.temporaryDirectory("lims-pg-concurrent")
        defer { TemporaryDirectories.shared.remove(directory) }
        let (samples, analytes) = (60, ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Y"])
        do {
            let store = try LabStore.create(path: server.url, operatorName: "tester")
            _ = try TestSupport.seedSmallLab(store)
            for writer in 0..<4 {
                for i in 0..<samples {
                    _ = try store.addSample(Sample(code: "W\(writer)-\(i)", plotCode: "C1", type: "bulk"))
                }
            }
        }
        var files: [URL] = []
        for writer in 0..<4 {
            var csv = "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
            for i in 0..<samples {
                for (k, analyte) in analytes.enumerated() {
                    csv += "W\(writer)-\(i),\(analyte),\(Double(writer * 1000 + i * 10 + k) / 10),mg/kg,,0.01,ICP-MS,2019-03-05\n"
                }
            }
            let url = directory.appendingPathComponent("run-\(writer).csv")
            try csv.write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
        }
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
            func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
        }
        let failures = Failures()
        let (url, env, paths) = (server.url, environment, files.map(\.path))
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            do {
                let result = try TestSupport.runLIMS(["--db", url, "import", "results", paths[index], "--format", "long", "--matrix", "solid"],
                                                     in: directory, environment: env)
                if result.exitCode != 0 { failures.add("writer \(index): \(result.stderr)") }
            } catch {
                failures.add("writer \(index): \(error)")
            }
        }
        XCTAssertEqual(failures.list, [])
        let db = try Database(path: server.url, mode: .readOnly)
        let perBatch = try db.rows("""
            SELECT b.file_name, count(m.id) AS n FROM import_batch b LEFT JOIN measurement m ON m.batch_id = b.id
            GROUP BY b.id, b.file_name ORDER BY b.file_name
            """)
        XCTAssertEqual(perBatch.map { $0.string("file_name") ?? "" }, ["run-0.csv", "run-1.csv", "run-2.csv", "run-3.csv"])
        XCTAssertEqual(perBatch.map { $0.int("n") ?? 0 }, Array(repeating: samples * analytes.count, count: 4), "every batch complete")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM measurement")?.int, 4 * samples * analytes.count)
        // The writers serialised: the audit chain is one unbroken line.
        XCTAssertEqual(try AuditChain.verify(db), [])
        XCTAssertEqual(try AuditChain.missingTriggers(db), [])
        // Writer 2's value of W2-7 Nd: 2000 + 70 + 3 tenths.
        XCTAssertEqual(try db.scalar("""
            SELECT m.value FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE s.code = 'W2-7' AND m.analyte = 'Nd'
            """)?.double ?? 0, 207.3, accuracy: 1e-9)
    }

    func testBadInputOnPostgreSQLWritesNothing() throws {
        let server = try PostgreSQLTestDatabase.make()
        defer { server.drop() }
        let directory = TestSupport.temporaryDirectory("lims-pg-bad")
        defer { TemporaryDirectories.shared.remove(directory) }
        do {
            let store = try LabStore.create(path: server.url, operatorName: "tester")
            _ = try TestSupport.seedSmallLab(store)
        }
        func counts() throws -> [Int] {
            let db = try Database(path: server.url, mode: .readOnly)
            return try ["measurement", "import_batch", "audit_log"].map { try db.scalar("SELECT count(*) FROM \($0)")?.int ?? -1 }
        }
        let before = try counts()
        var csv = "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
        for i in 0..<40 { csv += "C\(i % 3 + 1)-S,La,\(10 + i),mg/kg,,0.01,ICP-MS,2019-03-05\n" }
        csv += "C2-S,Ce,twelve,mg/kg,,0.01,ICP-MS,2019-03-05\n"
        let file = directory.appendingPathComponent("bad.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let result = try TestSupport.runLIMS(["--db", server.url, "import", "results", file.path, "--format", "long", "--matrix", "solid"],
                                             in: directory, environment: environment)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("bad.csv:42"), result.stderr)
        XCTAssertTrue(result.stderr.contains("twelve"), result.stderr)
        XCTAssertEqual(try counts(), before, "nothing written")
    }

    /// Needs no server: nothing listens on port 1.
    func testRefusedConnectionNamesHostAndPortButNotThePassword() throws {
        let result = try TestSupport.runLIMS(["--db", "postgresql://lims:hunter2secret@127.0.0.1:1/lims", "status"],
                                             environment: environment)
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stderr.contains("127.0.0.1"), result.stderr)
        XCTAssertTrue(result.stderr.contains("port 1"), result.stderr)
        XCTAssertTrue(result.stderr.contains("postgresql://lims:***@127.0.0.1:1/lims"), result.stderr)
        XCTAssertFalse(result.stderr.contains("hunter2secret"), result.stderr)
        XCTAssertFalse(result.stdout.contains("hunter2secret"), result.stdout)
        // Backup is for SQLite files: on a server it says what to use instead.
        let backup = try TestSupport.runLIMS(["--db", "postgresql://lims:hunter2secret@127.0.0.1:1/lims", "backup", "x.sqlite"],
                                             environment: environment)
        XCTAssertEqual(backup.exitCode, 1)
        XCTAssertTrue(backup.stderr.contains("lims copy") && backup.stderr.contains("pg_dump"), backup.stderr)
        XCTAssertFalse(backup.stderr.contains("hunter2secret"), backup.stderr)
    }
}
