import XCTest
import LIMSStore
import LIMSTestSupport

/// `lims export` (tidy CSV for R/Python, whole tables) and `lims completion bash|zsh`, end to end.
final class QueryExportCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-export")
        try FixtureLab.build(try LabStore.create(path: dir.appendingPathComponent("lims.sqlite").path, operatorName: "li.wei"))
    }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir)
    }

    func parseCSV(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    func testTidyExportToAFileHasOneValuePerRowWithUnitsQualifierDLAndBatch() throws {
        let result = try lims("export", "results", "--treatment", "ramie", "--analyte", "Tm,Lu", "--matrix", "solid",
                              "-o", "ramie_tm_lu.csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "Wrote 8 row(s) to ramie_tm_lu.csv.\n")
        let text = try String(contentsOf: dir.appendingPathComponent("ramie_tm_lu.csv"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("result_id,sample,sample_type,site,treatment,plot,depth_top_cm,depth_bottom_cm,analyte,value,unit,"
                                     + "qualifier,censored,detection_limit,reported,raw_text,original_value,original_unit,method,"
                                     + "matrix,batch_id,file,instrument,measured_at,status\n"), text)
        let rows = parseCSV(text)
        XCTAssertEqual(rows.count, 8)
        let r3 = rows.filter { $0["sample"] == "R3-S" }
        XCTAssertEqual(r3.map { $0["analyte"]! }, ["Tm", "Lu"], "atomic order: Tm 69, Lu 71")
        for row in r3 {
            XCTAssertEqual(row["value"], "")            // NA in R: never the detection limit as a number
            XCTAssertEqual(row["qualifier"], "<")
            XCTAssertEqual(row["censored"], "TRUE")
            XCTAssertEqual(row["detection_limit"], "0.05")
            XCTAssertEqual(row["reported"], "<0.05")
            XCTAssertEqual(row["unit"], "mg/kg")
            XCTAssertEqual(row["file"], "icpms_totals_2018-09.csv")
            XCTAssertEqual(row["batch_id"], "1")
        }
        let r1 = rows.first { $0["sample"] == "R1-S" && $0["analyte"] == "Tm" }!
        XCTAssertEqual(r1["value"], "0.42")            // 0.6 × 0.7
        XCTAssertEqual(r1["censored"], "FALSE")
        XCTAssertEqual(r1["depth_top_cm"], "0")
        XCTAssertEqual(r1["depth_bottom_cm"], "10")
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".part") }
        XCTAssertEqual(leftovers, [])
    }

    func testExportToStdoutAndOtherKinds() throws {
        let stdout = try lims("export", "results", "--sample", "C1-S-E")
        XCTAssertEqual(stdout.exitCode, 0, stdout.stderr)
        XCTAssertEqual(parseCSV(stdout.stdout).map { $0["analyte"]! + "=" + $0["value"]! + " " + $0["unit"]! },
                       ["Y=0.1 mg/L", "La=0.12 mg/L", "Ce=0.02 mg/L", "Nd=0.09 mg/L"], "atomic order")
        let extractions = try lims("export", "extractions", "--treatment", "control", "--analyte", "La", "-o", "ex.csv")
        XCTAssertEqual(extractions.exitCode, 0, extractions.stderr)
        let rows = parseCSV(try String(contentsOf: dir.appendingPathComponent("ex.csv"), encoding: .utf8))
        // C1: 0.12 mg/L × 20 mL / 10 g = 0.24 mg/kg; 0.24 / 60 × 100 = 0.4 % (python3).
        XCTAssertEqual(rows.map { $0["extractable_mg_kg"]! }, ["0.24", "0.26"])
        XCTAssertEqual(rows.first?["extractability_pct"], "0.4")
        let properties = try lims("export", "properties", "--property", "TOC", "--censored")
        XCTAssertEqual(parseCSV(properties.stdout).map { $0["sample"]! + " " + $0["value"]! }, ["C3-S <0.05"])
        for kind in ["samples", "fractions", "pois"] {
            let result = try lims("export", kind)
            XCTAssertEqual(result.exitCode, 0, kind + result.stderr)
            XCTAssertGreaterThan(parseCSV(result.stdout).count, 0, kind)
        }
        let empty = try lims("export", "results", "--analyte", "Th", "-o", "none.csv")
        XCTAssertEqual(empty.exitCode, 0)
        XCTAssertEqual(empty.stderr, "No results match.\n")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("none.csv"), encoding: .utf8).split(separator: "\n").count, 1)
        let bad = try lims("export", "results", "--treatment", "contrl", "-o", "bad.csv")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("did you mean \"control\""), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.csv").path))
    }

    func testWholeTables() throws {
        let result = try lims("export", "tables", "--dir", "csv", "--table", "sample", "--table", "measurement")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stderr, "sample.csv: 19 row(s)\nmeasurement.csv: 190 row(s)\n")
        let samples = try String(contentsOf: dir.appendingPathComponent("csv/sample.csv"), encoding: .utf8)
        XCTAssertTrue(samples.hasPrefix("id,code,plot_id,parent_id,type,"), samples)
        let all = try lims("export", "tables", "--dir", "all")
        XCTAssertEqual(all.exitCode, 0, all.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("all").path)
        XCTAssertTrue(files.contains("audit_log.csv") && files.contains("poi.csv") && files.contains("schema_migration.csv"), "\(files)")
        let unknown = try lims("export", "tables", "--dir", "x", "--table", "samples")
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertEqual(unknown.stderr, "Error: table \"samples\" does not exist; did you mean \"sample\"?\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }

    // MARK: completion

    func testBashCompletionCompletesCommandsOptionsAndChoices() throws {
        let script = try lims("completion", "bash")
        XCTAssertEqual(script.exitCode, 0)
        let file = dir.appendingPathComponent("lims.bash")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["--norc", "-c", "source '\(file.path)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _lims; "
                                 + "printf '%s\\n' \"${COMPREPLY[@]}\""]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try complete(["lims", "qu"]), ["query"])
        XCTAssertEqual(try complete(["lims", "query", ""]), ["samples", "results", "extractions", "fractions", "properties", "pois"])
        XCTAssertEqual(try complete(["lims", "--db", "x.sqlite", "query", "results", "--tr"]), ["--treatment"])
        XCTAssertEqual(try complete(["lims", "query", "results", "--matrix", ""]), ["solid", "solution"])
        XCTAssertEqual(try complete(["lims", "query", "results", "--treatment", "ramie", "--for"]), ["--format"])
        XCTAssertEqual(try complete(["lims", "result", "correct", "--qu"]), ["--qualifier"])
        XCTAssertEqual(try complete(["lims", "completion", ""]), ["bash", "zsh"])
        // Every command of the tree is in the script (generated, not hand-written).
        for name in ["init", "site", "sample", "query", "export", "sql", "log", "result", "completion"] {
            XCTAssertTrue(try complete(["lims", ""]).contains(name), name)
        }
    }

    func testZshCompletionScript() throws {
        let script = try lims("completion", "zsh")
        XCTAssertEqual(script.exitCode, 0)
        XCTAssertTrue(script.stdout.hasPrefix("#compdef lims\n"))
        XCTAssertTrue(script.stdout.contains("'query:Find samples, results"), script.stdout)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh") else {
            throw XCTSkip("zsh is not installed; the script's content was checked, not run")
        }
        let file = dir.appendingPathComponent("_lims")
        try script.stdout.write(to: file, atomically: true, encoding: .utf8)
        // zsh's completion builtins are replaced by stubs that print what they were given.
        let driver = """
            compdef() { :; }
            _describe() { print -l -- ${(P)${@[-1]}}; }
            compadd() { shift; print -l -- "$@"; }
            _files() { print FILES; }
            _message() { print MESSAGE; }
            source '\(file.path)'
            words=(lims query re); CURRENT=3; _lims; print -r -- ---
            words=(lims --db x.sqlite query results --format ''); CURRENT=7; _lims; print -r -- ---
            words=(lims export results -o ''); CURRENT=5; _lims
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zsh")
        process.arguments = ["-f", "-c", driver]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let parts = String(decoding: data, as: UTF8.self).components(separatedBy: "---\n")
        guard parts.count == 3 else { return XCTFail("unexpected output: \(parts)") }
        XCTAssertEqual(parts[0].split(separator: "\n").map { String($0.prefix { $0 != ":" }) },
                       ["samples", "results", "extractions", "fractions", "properties", "pois"])
        XCTAssertEqual(parts[1], "table\ncsv\njson\n")
        XCTAssertEqual(parts[2], "FILES\n")
    }
}
