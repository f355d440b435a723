import XCTest
import LIMSTestSupport

/// End-to-end: runs the built `lims` binary and checks exit codes, stdout, stderr and files.
final class CLIFoundationTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-cli") }

    @discardableResult
    func lims(_ arguments: String..., env: [String: String] = [:]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: env)
    }

    func testInitIsIdempotentAndDefaultsToLimsSqliteInCurrentDirectory() throws {
        let first = try lims("init")
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("Created \(dir.path)/lims.sqlite"), first.stdout)
        XCTAssertEqual(first.stderr, "")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("lims.sqlite").path))
        let second = try lims("init")
        XCTAssertEqual(second.exitCode, 0)
        XCTAssertTrue(second.stdout.contains("already at schema version "), second.stdout)
    }

    func testLimsDBEnvironmentVariableChoosesTheFile() throws {
        let path = dir.appendingPathComponent("env.sqlite").path
        XCTAssertEqual(try lims("init", env: ["LIMS_DB": path]).exitCode, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("lims.sqlite").path))
    }

    func testRegisterAndListThroughTheBinary() throws {
        try lims("init")
        XCTAssertEqual(try lims("site", "add", "--code", "DN", "--name", "Dingnan").exitCode, 0)
        XCTAssertEqual(try lims("treatment", "add", "--site", "DN", "--code", "ramie", "--rate", "5.5",
                                "--plant", "Boehmeria nivea", "--planted-on", "2015-05-01").exitCode, 0)
        XCTAssertEqual(try lims("plot", "add", "--treatment", "ramie", "--code", "R1", "--replicate", "1").exitCode, 0)
        let add = try lims("sample", "add", "--code", "R1-S", "--plot", "R1", "--depth", "0-10", "--mass", "850",
                           "--operator", "li.wei")
        XCTAssertEqual(add.exitCode, 0, add.stderr)
        XCTAssertEqual(add.stdout, "Added sample R1-S (bulk) to plot R1.\n")

        let csv = try lims("sample", "list", "--treatment", "ramie", "--format", "csv")
        XCTAssertEqual(csv.exitCode, 0)
        XCTAssertEqual(csv.stdout, """
            code,type,treatment,plot,parent,depth_top_cm,depth_bottom_cm,collected_on,mass_g
            R1-S,bulk,ramie,R1,,0,10,,850

            """)
        let json = try lims("sample", "list", "--format", "json")
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(objects.first?["depth_bottom_cm"] as? Double, 10)
        XCTAssertEqual(objects.first?["treatment"] as? String, "ramie")

        let status = try lims("status", "--format", "csv")
        XCTAssertTrue(status.stdout.contains("sample,1\n"), status.stdout)
        XCTAssertTrue(status.stdout.contains("audit_log,4\n"), status.stdout)
    }

    func testDataErrorsExitOneWithOneSentenceAndChangeNothing() throws {
        try lims("init")
        try lims("site", "add", "--code", "DN")
        try lims("treatment", "add", "--site", "DN", "--code", "control")
        try lims("plot", "add", "--treatment", "control", "--code", "C1")
        try lims("sample", "add", "--code", "C1-S", "--plot", "C1")
        let db = dir.appendingPathComponent("lims.sqlite")
        let before = try lims("status", "--format", "csv").stdout

        let cases: [([String], String)] = [
            (["sample", "add", "--code", "X", "--plot", "C2"], "Error: plot \"C2\" does not exist; did you mean \"C1\"?\n"),
            (["sample", "add", "--code", "C1-S", "--plot", "C1"], "Error: sample \"C1-S\" already exists\n"),
            (["sample", "add", "--code", "X", "--plot", "C1", "--depth", "30-10"],
             "Error: depth of sample X: \"30-10 cm\" is not valid; expected a top shallower than the bottom (e.g. 0-10 cm)\n"),
            (["treatment", "add", "--site", "DM", "--code", "t"], "Error: site \"DM\" does not exist; did you mean \"DN\"?\n"),
        ]
        for (arguments, expected) in cases {
            let result = try TestSupport.runLIMS(arguments, in: dir)
            XCTAssertEqual(result.exitCode, 1, arguments.joined(separator: " "))
            XCTAssertEqual(result.stderr, expected)
            XCTAssertEqual(result.stdout, "")
        }
        XCTAssertEqual(try lims("status", "--format", "csv").stdout, before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: db.path))
    }

    func testUsageErrorsExit64WithUsageAndHint() throws {
        try lims("init")
        let unknown = try lims("sample", "add", "--cod", "X")
        XCTAssertEqual(unknown.exitCode, 64)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertEqual(unknown.stderr, """
            Error: Unknown option '--cod'. Did you mean '--code'?
            Usage: lims sample add [<options>]
              See 'lims sample add --help' for more information.

            """)
        let missing = try lims("sample", "add", "--code")
        XCTAssertEqual(missing.exitCode, 64)
        XCTAssertTrue(missing.stderr.hasPrefix("Error: Missing value for '--code <code>'."), missing.stderr)
        let required = try lims("sample", "add", "--plot", "C1")
        XCTAssertEqual(required.exitCode, 64)
        XCTAssertTrue(required.stderr.hasPrefix("Error: Missing expected option '--code <code>'."), required.stderr)
        let badNumber = try lims("sample", "add", "--code", "X", "--mass", "heavy")
        XCTAssertEqual(badNumber.exitCode, 64)
        XCTAssertTrue(badNumber.stderr.contains("'heavy' is invalid for '--mass'; expected a number in g"), badNumber.stderr)
        let badFormat = try lims("sample", "list", "--format", "xml")
        XCTAssertEqual(badFormat.exitCode, 64)
        XCTAssertTrue(badFormat.stderr.contains("expected one of: table, csv, json"))
        let unknownCommand = try lims("sampel")
        XCTAssertEqual(unknownCommand.exitCode, 64)
        XCTAssertTrue(unknownCommand.stderr.hasPrefix("Error: Unknown command 'sampel'. Did you mean 'sample'?"))
    }

    func testHelpOnEveryCommandAndSubcommand() throws {
        let root = try lims("--help")
        XCTAssertEqual(root.exitCode, 0)
        for section in ["OVERVIEW:", "USAGE: lims [<options>] <subcommand>", "OPTIONS:", "SUBCOMMANDS:"] {
            XCTAssertTrue(root.stdout.contains(section), section)
        }
        let names = root.stdout.components(separatedBy: "SUBCOMMANDS:")[1]
            .split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See 'lims") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            }
        XCTAssertTrue(names.contains("sample"))
        for name in names {
            let help = try lims(name, "-h")
            XCTAssertEqual(help.exitCode, 0, name)
            XCTAssertTrue(help.stdout.hasPrefix("OVERVIEW:"), name)
            XCTAssertTrue(help.stdout.contains("USAGE: lims \(name)"), name)
        }
        let sub = try lims("sample", "add", "--help")
        XCTAssertTrue(sub.stdout.contains("--depth <top-bottom>"))
    }

    func testNonSQLiteDatabaseIsRefusedAndLeftUnchanged() throws {
        let file = dir.appendingPathComponent("results.csv")
        let content = Data("Sample,La\nA,1\n".utf8)
        try content.write(to: file)
        for command in [["init"], ["status"], ["sample", "list"]] {
            let result = try TestSupport.runLIMS(["--db", file.path] + command, in: dir)
            XCTAssertEqual(result.exitCode, 1)
            XCTAssertEqual(result.stderr, "Error: \(file.path) is not a SQLite database (file is not a database)\n")
        }
        XCTAssertEqual(try Data(contentsOf: file), content)
    }

    func testMissingDatabaseSaysHowToCreateIt() throws {
        let result = try lims("sample", "list")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("no LIMS database at \(dir.path)/lims.sqlite; create it with `lims --db"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("lims.sqlite").path))
    }

    func testReadOnlyLocationGetsAClearError() throws {
        try lims("init")
        try lims("site", "add", "--code", "DN")
        let db = dir.appendingPathComponent("lims.sqlite")
        // Root ignores file modes, so make the file read-only through SQLite's own read-only open:
        // the CLI's read paths use it; a write path on a read-only file must say so.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db.path) }
        let list = try lims("site", "list", "--format", "csv")
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(list.stdout.split(separator: "\n").count, 2)
    }

    func testMigrateList() throws {
        try lims("init")
        let list = try lims("migrate", "--list")
        XCTAssertEqual(list.exitCode, 0)
        // Column widths follow the longest migration name, so match the words, not the padding.
        XCTAssertNotNil(list.stdout.range(of: "0001_initial_schema.sql +applied", options: .regularExpression), list.stdout)
    }
}
