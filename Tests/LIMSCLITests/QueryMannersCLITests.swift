import XCTest
import LIMSStore
import LIMSTestSupport

/// Issue #15's query outputs and command-line manners, end to end through the `lims` binary on
/// the fixture lab: --limit/--offset, streamed JSON/NDJSON with typed numbers, numeric wide CSV,
/// `lims help`, the man page, usage errors with suggestions, -o/--out, and completion values.
/// Expected numbers are FixtureLab's stored values (base × factor, see FixtureLab.swift):
/// Ce base 110 × R1 0.7 / R2 0.75 / R3 0.85 = 77 / 82.5 / 93.5; Yb 4 × 0.85 = 3.4 (DL 0.01);
/// R3-S Tm and Lu stored as <0.05 (DL 0.05). Exact comparisons (values are stored, not computed).
final class QueryMannersCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-manners")
        try FixtureLab.build(try LabStore.create(path: dir.appendingPathComponent("lims.sqlite").path, operatorName: "li.wei"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir)
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    let ramieCe = ["query", "results", "--treatment", "ramie", "--analyte", "Ce", "--type", "bulk"]

    func testLimitAndOffsetPageTheValuesAndAreChecked() throws {
        func samples(_ extra: [String]) throws -> [String] {
            let result = try TestSupport.runLIMS(ramieCe + extra + ["--format", "csv"], in: dir)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            return result.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        }
        XCTAssertEqual(try samples([]), ["R1-S", "R2-S", "R3-S"])
        XCTAssertEqual(try samples(["--limit", "2"]), ["R1-S", "R2-S"])
        XCTAssertEqual(try samples(["--limit", "1", "--offset", "1"]), ["R2-S"])
        XCTAssertEqual(try samples(["--offset", "2"]), ["R3-S"])
        XCTAssertEqual(try samples(["--offset", "3"]), [])
        let none = try TestSupport.runLIMS(ramieCe + ["--limit", "0"], in: dir)
        XCTAssertEqual(none.exitCode, 0)
        XCTAssertEqual(none.stderr, "No results match.\n")
        for (option, value) in [("--limit", "-1"), ("--limit", "1.5"), ("--offset", "x"), ("--offset", "-3"), ("--limit", "")] {
            let bad = try TestSupport.runLIMS(ramieCe + [option, value], in: dir)
            XCTAssertEqual(bad.exitCode, 64, "\(option) \(value)")
            XCTAssertTrue(bad.stderr.hasPrefix("Error: The value '\(value)' is invalid for '\(option) <n>'; expected a whole number ≥ 0."),
                          bad.stderr)
            XCTAssertTrue(bad.stderr.contains("Usage: lims query results [<options>]"), bad.stderr)
            XCTAssertEqual(bad.stdout, "")
        }
    }

    /// The default table streams: its widths come from the first 1,000 rows, so a wider cell after
    /// them widens its column from that row on instead of being measured in a first pass. The fixture's
    /// values are copied until there are > 1,000; then the value listed last gets a 40-character unit.
    func testTableWidthsComeFromTheFirstThousandRowsAndLaterRowsStream() throws {
        let store = try LabStore.open(path: dir.appendingPathComponent("lims.sqlite").path, mode: .readWrite, operatorName: "li.wei")
        let columns = try store.db.rows("PRAGMA table_info(measurement)").compactMap { $0.string("name") }.filter { $0 != "id" }
            .joined(separator: ", ")
        while (try store.db.scalar("SELECT count(*) FROM measurement WHERE status = 'valid'")?.int64 ?? 0) <= 1_200 {
            try store.db.execute("INSERT INTO measurement (\(columns)) SELECT \(columns) FROM measurement")
        }
        let csv = try lims("query", "results", "--format", "csv").stdout.split(separator: "\n")
        let lastID = Int64(csv.last!.split(separator: ",").first!)!
        let longUnit = String(repeating: "u", count: 40)
        try store.db.execute("UPDATE measurement SET unit = ? WHERE id = ?", [longUnit, lastID])

        let table = try lims("query", "results")
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, csv.count - 1 + 2)   // header, dashes, every value
        let header = String(lines[0]), dashes = String(lines[1])
        let unitStart = header.range(of: "unit")!.lowerBound.utf16Offset(in: header)
        let unitDashes = dashes.dropFirst(unitStart).prefix { $0 == "-" }.count
        XCTAssertLessThan(unitDashes, 40, "the unit column's width is set by the first 1,000 rows")
        XCTAssertTrue(lines.last!.contains(longUnit), String(lines.last!))
        // Within the first 1,000 rows every column starts where the header's does.
        for line in lines[2..<1_002] {
            XCTAssertEqual(String(line).dropFirst(unitStart - 2).prefix(2), "  ", String(line))
        }
    }

    func testJSONHasTypedNumbersQualifierAndCensoredAndNDJSONIsTheSameObjectsOneALine() throws {
        let arguments = ["query", "results", "--sample", "R3-S", "--analyte", "Yb,Lu"]
        let json = try TestSupport.runLIMS(arguments + ["--format", "json"], in: dir)
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        XCTAssertTrue(json.stdout.hasPrefix("[\n{") && json.stdout.hasSuffix("}\n]\n"), json.stdout)
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(objects.map { $0["analyte"] as? String }, ["Yb", "Lu"], "atomic order: Yb 70, Lu 71")
        let yb = objects[0], lu = objects[1]
        XCTAssertTrue(lu["value"] is NSNull, "a censored value is null, never the DL: \(lu)")
        XCTAssertEqual(lu["qualifier"] as? String, "<")
        XCTAssertEqual(lu["censored"] as? Bool, true)
        XCTAssertEqual(lu["detection_limit"] as? Double, 0.05)
        XCTAssertEqual(lu["reported"] as? String, "<0.05")
        XCTAssertEqual(yb["value"] as? Double, 3.4)
        XCTAssertEqual(yb["qualifier"] as? String, "=")
        XCTAssertEqual(yb["censored"] as? Bool, false)
        XCTAssertEqual(yb["detection_limit"] as? Double, 0.01)
        // Numbers are JSON numbers in the text itself, not strings that parse as numbers.
        XCTAssertTrue(json.stdout.contains("\"value\":3.4,"), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"censored\":true"), json.stdout)

        let ndjson = try TestSupport.runLIMS(arguments + ["--format", "ndjson"], in: dir)
        XCTAssertEqual(ndjson.exitCode, 0, ndjson.stderr)
        XCTAssertEqual(ndjson.stdout.split(separator: "\n").count, 2)
        XCTAssertFalse(ndjson.stdout.contains("["), ndjson.stdout)
        let lines = try jsonLines(ndjson.stdout)
        XCTAssertEqual(lines.map { NSDictionary(dictionary: $0) }, objects.map { NSDictionary(dictionary: $0) })

        // Paging works in every format.
        let paged = try jsonLines(try lims("query", "results", "--treatment", "ramie", "--analyte", "Ce", "--type", "bulk",
                                           "--format", "ndjson", "--limit", "2", "--offset", "1").stdout)
        XCTAssertEqual(paged.map { $0["sample"] as? String }, ["R2-S", "R3-S"])
        XCTAssertEqual(paged.map { $0["value"] as? Double }, [82.5, 93.5])

        let empty = try lims("query", "results", "--analyte", "Th", "--format", "json")
        XCTAssertEqual(empty.stdout, "[\n\n]\n")
        XCTAssertEqual(empty.stderr, "No results match.\n")
        let emptyLines = try lims("query", "results", "--analyte", "Th", "--format", "ndjson")
        XCTAssertEqual(emptyLines.stdout, "")
        XCTAssertEqual(emptyLines.stderr, "No results match.\n")
    }

    func testWideCSVHasNumericColumnsWithCensoringInItsOwnColumns() throws {
        let result = try lims("query", "results", "--treatment", "ramie", "--type", "bulk", "--analyte", "Yb,Lu",
                              "--matrix", "solid", "--wide", "--format", "csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            sample,treatment,plot,depth_cm,Yb,Yb_qualifier,Yb_dl,Lu,Lu_qualifier,Lu_dl
            R1-S,ramie,R1,0-10,2.8,,0.01,0.42,,0.01
            R2-S,ramie,R2,0-10,3,,0.01,0.45,,0.01
            R3-S,ramie,R3,0-10,3.4,,0.01,,<,0.05

            """)
        // --limit/--offset count samples (rows) in the wide table.
        let page = try lims("query", "results", "--treatment", "ramie", "--type", "bulk", "--analyte", "Yb,Lu",
                            "--matrix", "solid", "--wide", "--format", "csv", "--limit", "1", "--offset", "2")
        XCTAssertEqual(page.stdout.split(separator: "\n").map(String.init),
                       ["sample,treatment,plot,depth_cm,Yb,Yb_qualifier,Yb_dl,Lu,Lu_qualifier,Lu_dl", "R3-S,ramie,R3,0-10,3.4,,0.01,,<,0.05"])
        // One analyte in two units (solid and extract values) gets the unit in the column names.
        let units = try lims("query", "results", "--plot", "C1", "--analyte", "La", "--wide", "--format", "csv")
        XCTAssertTrue(units.stdout.hasPrefix("sample,treatment,plot,depth_cm,La_mg_L,La_mg_L_qualifier,La_mg_L_dl,"
                                             + "La_mg_kg,La_mg_kg_qualifier,La_mg_kg_dl\n"), units.stdout)
        let ndjsonWide = try lims("query", "results", "--wide", "--format", "ndjson")
        XCTAssertEqual(ndjsonWide.exitCode, 64, ndjsonWide.stderr)
    }

    func testHelpCommandPrintsTheSameHelpAsDashDashHelp() throws {
        for words in [[], ["query"], ["query", "results"], ["import", "results"], ["export", "tables"]] {
            let help = try TestSupport.runLIMS(["help"] + words, in: dir)
            let dashed = try TestSupport.runLIMS(words + ["--help"], in: dir)
            XCTAssertEqual(help.exitCode, 0, help.stderr)
            XCTAssertEqual(help.stdout, dashed.stdout, words.joined(separator: " "))
            XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW: "), help.stdout)
        }
        let unknown = try lims("help", "qurey")
        XCTAssertEqual(unknown.exitCode, 64)
        XCTAssertTrue(unknown.stderr.hasPrefix("Error: Unknown command 'qurey'. Did you mean 'query'?"), unknown.stderr)
        let unknownSub = try lims("help", "query", "resluts")
        XCTAssertEqual(unknownSub.exitCode, 64)
        XCTAssertTrue(unknownSub.stderr.contains("Unknown command 'resluts' of 'query'. Did you mean 'results'?"), unknownSub.stderr)
    }

    func testManualNamesEveryCommandOptionAndExample() throws {
        let manual = try lims("manual")
        XCTAssertEqual(manual.exitCode, 0, manual.stderr)
        let page = manual.stdout
        XCTAssertTrue(page.hasPrefix(".TH LIMS 1 "), page)
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH GLOBAL OPTIONS", ".SH COMMANDS", ".SH EXIT STATUS"] {
            XCTAssertTrue(page.contains(section), section)
        }
        XCTAssertEqual(try lims("help", "--man").stdout, page)
        // Every command and subcommand that help lists (walked through `lims help`) has a section.
        func subcommands(_ path: [String]) throws -> [String] {
            let help = try TestSupport.runLIMS(["help"] + path, in: dir).stdout
            guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
            return help[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") && !$0.hasPrefix("  See ") }
                .compactMap { $0.split(separator: " ").first.map(String.init) }
        }
        var paths: [[String]] = try subcommands([]).map { [$0] }
        XCTAssertGreaterThan(paths.count, 20)
        var checked = 0
        while let path = paths.first {
            paths.removeFirst()
            let escaped = path.joined(separator: " ").replacingOccurrences(of: "-", with: "\\-")
            XCTAssertTrue(page.contains(".SS \"lims \(escaped)"), "no section for lims \(path.joined(separator: " "))")
            paths += try subcommands(path).map { path + [$0] }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 60)
        XCTAssertTrue(page.contains("\\fB\\-\\-limit\\fR \\fI<n>\\fR"), "options are listed")
        XCTAssertTrue(page.contains("lims query results \\-\\-analyte Ce \\-\\-format ndjson \\-\\-limit 1000 \\-\\-offset 2000"),
                      "examples are listed")
        XCTAssertFalse(page.contains("completion values"), "hidden commands stay out of the manual")
        // No line starts with a stray roff request (a '.' or ''' that is not a macro).
        for line in page.split(separator: "\n") where line.hasPrefix(".") || line.hasPrefix("'") {
            XCTAssertTrue([".TH", ".SH", ".SS", ".TP", ".PP", ".RS", ".RE", ".nf", ".fi", ".B "].contains { line.hasPrefix($0) }, String(line))
        }
    }

    func testBadEnumValuesAndDatesAreUsageErrorsWithSuggestions() throws {
        for (arguments, fragment) in [
            (["query", "results", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'; expected one of: table, csv, json, ndjson."),
            (["query", "results", "--format", "jsn"], "expected one of: table, csv, json, ndjson. Did you mean 'json'?"),
            (["query", "samples", "--format", "cvs"], "Did you mean 'csv'?"),
            (["query", "results", "--matrix", "liquid"], "The value 'liquid' is invalid for '--matrix <matrix>'; expected one of: solid, solution."),
            (["query", "results", "--matrix", "solud"], "Did you mean 'solid'?"),
            (["query", "pois", "--oxidation-state", "Ce(II)"], "Did you mean 'Ce(III)'?"),
            (["report", "all", "--format", "mardown"], "Did you mean 'markdown'?"),
            (["query", "results", "--since", "2019-13-40"], "The value '2019-13-40' is invalid for '--since'; expected a date written YYYY-MM-DD with a month from 01 to 12."),
            (["query", "results", "--since", "2019-02-29"], "The value '2019-02-29' is invalid for '--since'; expected a date that exists (2019-02 has 28 days)."),
            (["query", "results", "--since", "2019/1/5"], "expected a date written YYYY-MM-DD. Did you mean '2019-01-05'?"),
            (["query", "results", "--until", "20190105"], "Did you mean '2019-01-05'?"),
            (["query", "results", "--censored=foo"], "The flag '--censored' does not take a value."),
            (["completion", "values", "sampels"], "Did you mean 'samples'?"),
        ] {
            let result = try TestSupport.runLIMS(arguments, in: dir)
            XCTAssertEqual(result.exitCode, 64, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains(fragment), result.stderr)
            XCTAssertTrue(result.stderr.contains("Usage: lims "), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
        let far = try lims("query", "results", "--since", "2019-13-40")
        XCTAssertFalse(far.stderr.contains("Did you mean"), "no suggestion when nothing is close: \(far.stderr)")
    }

    func testOutIsTheOneNameForWhereACommandWritesAndOldSpellingsStillWork() throws {
        for (words, file) in [(["export", "results", "-o", "a.csv"], "a.csv"), (["export", "results", "--out", "b.csv"], "b.csv"),
                              (["export", "samples", "--output", "c.csv"], "c.csv"),
                              (["export", "tables", "-o", "t1", "--table", "site"], "t1/site.csv"),
                              (["export", "tables", "--dir", "t2", "--table", "site"], "t2/site.csv")] {
            let result = try TestSupport.runLIMS(words, in: dir)
            XCTAssertEqual(result.exitCode, 0, words.joined(separator: " ") + result.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), file)
        }
        // Help shows -o/--out everywhere and never the old spellings.
        for words in [["export", "results"], ["export", "tables"], ["report", "all"], ["report", "leaching"], ["qc", "chart"], ["demo"]] {
            let help = try TestSupport.runLIMS(words + ["--help"], in: dir).stdout
            XCTAssertTrue(help.contains("-o, --out <"), words.joined(separator: " ") + help)
            XCTAssertFalse(help.contains("--output") || help.contains("--dir"), words.joined(separator: " ") + help)
        }
        let twice = try lims("export", "results", "-o", "x.csv", "--output", "y.csv")
        XCTAssertEqual(twice.exitCode, 64)
        XCTAssertTrue(twice.stderr.contains("The option '--out' was given more than once."), twice.stderr)
    }

    func testCompletionValuesComeFromTheDatabaseAndTheScriptsUseThem() throws {
        let samples = try lims("completion", "values", "samples")
        XCTAssertEqual(samples.exitCode, 0, samples.stderr)
        XCTAssertTrue(samples.stdout.split(separator: "\n").contains("R3-S"), samples.stdout)
        XCTAssertEqual(try lims("completion", "values", "treatments").stdout, "control\nmiscanthus\nramie\n")
        let analytes = try lims("completion", "values", "analytes").stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(analytes.prefix(5)), ["Al", "Fe", "Y", "La", "Ce"], "atomic order (Al 13, Fe 26, Y 39, La 57, Ce 58)")
        XCTAssertTrue(try lims("completion", "values", "templates").stdout.contains("samples\n"))
        let noDatabase = try lims("--db", "missing.sqlite", "completion", "values", "samples")
        XCTAssertEqual(noDatabase.exitCode, 0)
        XCTAssertEqual(noDatabase.stdout + noDatabase.stderr, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing.sqlite").path))
        XCTAssertFalse(try lims("completion", "--help").stdout.contains("values"), "the helper command is hidden")
        for shell in ["bash", "zsh"] {
            let script = try lims("completion", shell).stdout
            XCTAssertTrue(script.contains("'query results|--sample') printf '%s\\n' 'samples' ;;"), shell)
            XCTAssertTrue(script.contains("'query results|--analyte') printf '%s\\n' 'analytes' ;;"), shell)
            XCTAssertTrue(script.contains("'template') printf '%s\\n' 'templates' ;;"), shell)
            XCTAssertTrue(script.contains("'import results') printf '%s\\n' 'file' ;;"), shell)
            XCTAssertTrue(script.contains("completion values"), shell)
        }
    }

    /// Runs the generated bash completion in a real bash, as the shell would on TAB.
    func testBashCompletesCodesAnalytesKindsAndFiles() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { throw XCTSkip("no bash") }
        try lims("completion", "bash").stdout.write(to: dir.appendingPathComponent("lims.bash"), atomically: true, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent("run1.csv"), atomically: true, encoding: .utf8)
        let binary = TestSupport.limsExecutable.deletingLastPathComponent().path
        func complete(_ words: [String]) throws -> [String] {
            let script = """
                source lims.bash
                COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
                _lims; printf '%s\\n' "${COMPREPLY[@]}"
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = dir
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = binary + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["LIMS_DB"] = dir.appendingPathComponent("lims.sqlite").path
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try complete(["lims", "query", "results", "--sample", "R3"]), ["R3-S"])
        XCTAssertEqual(try complete(["lims", "query", "results", "--analyte", "L"]), ["La", "Lu"])
        XCTAssertEqual(try complete(["lims", "template", "treat"]), ["treatments"])
        XCTAssertEqual(try complete(["lims", "import", "results", "run"]), ["run1.csv"])
        XCTAssertEqual(try complete(["lims", "query", "results", "--format", "nd"]), ["ndjson"])
    }
}
