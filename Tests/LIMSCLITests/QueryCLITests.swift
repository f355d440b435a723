import XCTest
import LIMSStore
import LIMSTestSupport

/// End to end through the `lims` binary on the fixture lab: every query filter, the
/// combinations technicians use, the three formats, --wide, bad input, `sql`, `sample show`, `log`.
final class QueryCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-query")
        try FixtureLab.build(try LabStore.create(path: dir.appendingPathComponent("lims.sqlite").path, operatorName: "li.wei"))
    }

    @discardableResult
    func lims(_ arguments: String..., env: [String: String] = [:]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: env)
    }

    /// Runs a CSV query and returns the values of one column.
    func csvColumn(_ name: String, _ arguments: [String]) throws -> [String] {
        let result = try TestSupport.runLIMS(arguments + ["--format", "csv"], in: dir)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let index = header.firstIndex(of: name) else {
            XCTFail("no column \(name) in \(result.stdout)"); return []
        }
        return lines.dropFirst().map { $0[index] }
    }

    func testRamieCeriumInTheThreeFormats() throws {
        let table = try lims("query", "results", "--treatment", "ramie", "--analyte", "Ce", "--type", "bulk")
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertEqual(table.stderr, "")
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        XCTAssertTrue(lines[0].hasPrefix("id "), String(lines[0]))
        XCTAssertTrue(lines[2].contains("R1-S    ramie      R1    0-10      Ce       77     mg/kg  0.01"), String(lines[2]))

        let csv = try lims("query", "results", "--treatment", "ramie", "--analyte", "Ce", "--type", "bulk", "--format", "csv")
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows[0], ["id", "sample", "treatment", "plot", "depth_cm", "analyte", "value", "unit", "detection_limit",
                                 "method", "batch", "file"])
        XCTAssertEqual(rows.dropFirst().map { $0[1] + "=" + $0[6] }, ["R1-S=77", "R2-S=82.5", "R3-S=93.5"])

        let json = try lims("query", "results", "--treatment", "ramie", "--analyte", "Ce", "--type", "bulk", "--format", "json")
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(objects.count, 3)
        XCTAssertEqual(objects[1]["value"] as? Double, 82.5)
        XCTAssertEqual(objects[1]["sample"] as? String, "R2-S")
        XCTAssertEqual(objects[1]["file"] as? String, "icpms_totals_2018-09.csv")
    }

    func testCensoredValuesPrintAsBelowDetectionLimitInEveryFormat() throws {
        let arguments = ["query", "results", "--sample", "R3-S", "--analyte", "Tm", "--analyte", "Lu"]
        let table = try TestSupport.runLIMS(arguments, in: dir)
        XCTAssertEqual(table.stdout.components(separatedBy: "<0.05").count - 1, 2, table.stdout)
        XCTAssertEqual(try csvColumn("value", arguments), ["<0.05", "<0.05"])
        let json = try TestSupport.runLIMS(arguments + ["--format", "json"], in: dir)
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        // JSON keeps numbers typed: a censored value is null, with its qualifier and the lab's text beside it.
        XCTAssertEqual(objects.map { $0["value"] is NSNull }, [true, true])
        XCTAssertEqual(objects.map { $0["reported"] as? String }, ["<0.05", "<0.05"])
        XCTAssertEqual(objects.map { $0["censored"] as? Bool }, [true, true])
        XCTAssertEqual(try csvColumn("sample", ["query", "results", "--censored", "--matrix", "solution"]), ["C2-S-E", "R2-S-E"])
        XCTAssertFalse(try csvColumn("value", ["query", "results", "--no-censored", "--treatment", "ramie"]).contains { $0.hasPrefix("<") })
    }

    func testEveryFilterThroughTheBinary() throws {
        func samples(_ arguments: String...) throws -> [String] {
            var seen: [String] = []
            for sample in try csvColumn("sample", ["query", "results"] + arguments) where !seen.contains(sample) { seen.append(sample) }
            return seen
        }
        XCTAssertEqual(try samples("--treatment", "control", "--treatment", "miscanthus", "--analyte", "Y", "--type", "bulk"),
                       ["C1-S", "C2-S", "C3-S", "M1-S", "M2-S"])
        XCTAssertEqual(try samples("--site", "DN", "--plot", "M3"), ["M3-S"])
        XCTAssertEqual(try samples("--plot", "C1", "--plot", "R1", "--type", "block"), ["C1-B", "R1-B"])
        XCTAssertEqual(try samples("--depth", "15-25"), ["C1-B"])
        XCTAssertEqual(try samples("--depth", "25-35", "--analyte", "LREE", "--matrix", "solid"), ["C1-B", "R1-B"])
        XCTAssertEqual(try samples("--matrix", "solution", "--treatment", "control"), ["C1-S-E", "C2-S-E"])
        XCTAssertEqual(try samples("--batch", "icpms_fractions_2019-01.csv", "--analyte", "La"), ["C1-S-F1", "C1-S-F2", "C1-S-F3"])
        XCTAssertEqual(try samples("--batch", "2", "--plot", "M3"), ["M3-S"])
        XCTAssertEqual(try samples("--method", "ICP-OES", "--plot", "R2"), ["R2-S"])
        XCTAssertEqual(try samples("--since", "2019-01-01"), ["C1-S-F1", "C1-S-F2", "C1-S-F3"])
        XCTAssertEqual(try samples("--until", "2018-08-31", "--treatment", "ramie"), ["R1-S-E", "R2-S-E"])
        XCTAssertEqual(try csvColumn("analyte", ["query", "results", "--sample", "C1-S", "--analyte", "HREE"]),
                       ["Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"], "atomic order within a sample")
        XCTAssertEqual(try csvColumn("analyte", ["query", "results", "--sample", "C1-S", "--analyte", "REY"]).count, 15)
        // The lab's questions.
        XCTAssertEqual(try csvColumn("sample", ["query", "samples", "--plot", "M3", "--method", "ICP-MS", "--matrix", "solid",
                                                "--without-results"]), ["M3-S"])
        XCTAssertEqual(try csvColumn("extractable_mg_kg", ["query", "extractions", "--treatment", "ramie", "--analyte", "Ce"]),
                       ["0.008", "0.0125"])
        XCTAssertEqual(try csvColumn("mass_pct", ["query", "fractions", "--sample", "C1-S"]),
                       ["58.10", "23.40", "18.50", "57.09", "24.15", "18.76"])
        XCTAssertEqual(try csvColumn("value", ["query", "properties", "--treatment", "ramie", "--property", "CEC"]),
                       ["3.5", "3.75", "4"])
        XCTAssertEqual(try csvColumn("poi", ["query", "pois", "--thin-section", "TS-C1B", "--oxidation-state", "Ce(IV)"]), ["P2"])
        XCTAssertEqual(try csvColumn("poi", ["query", "pois", "--treatment", "control", "--depth", "20-25", "--edge", "Fe"]), ["P1"])
        XCTAssertEqual(try csvColumn("poi", ["query", "pois", "--phase", "Fe-rich", "--since", "2019-05-01"]), ["P1"])
        XCTAssertEqual(try csvColumn("extract", ["query", "extractions", "--plot", "C2", "--since", "2018-08-01", "--until", "2018-08-01"]),
                       ["C2-S-E"])
        XCTAssertEqual(try csvColumn("extract_value", ["query", "extractions", "--plot", "C2", "--analyte", "Ce", "--censored"]), ["<0.001"])
        XCTAssertEqual(try csvColumn("sample", ["query", "samples", "--treatment", "ramie", "--type", "bulk", "--since", "2018-07-12"]),
                       ["R1-S", "R2-S", "R3-S"])
    }

    func testWideTableForR() throws {
        let result = try lims("query", "results", "--treatment", "control", "--analyte", "La,Ce", "--type", "bulk",
                              "--wide", "--format", "csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            sample,treatment,plot,depth_cm,La,La_qualifier,La_dl,Ce,Ce_qualifier,Ce_dl
            C1-S,control,C1,0-10,60,,0.01,110,,0.01
            C2-S,control,C2,0-10,66,,0.01,121,,0.01
            C3-S,control,C3,0-10,72,,0.01,132,,0.01

            """)
        let table = try lims("query", "results", "--sample", "R3-S", "--analyte", "Yb,Lu", "--wide")
        XCTAssertTrue(table.stdout.contains("Yb (mg/kg)  Lu (mg/kg)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("3.4         <0.05"), table.stdout)
        let json = try lims("query", "results", "--sample", "R3-S", "--analyte", "Lu", "--wide", "--format", "json")
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(objects.first?["Lu (mg/kg)"] as? String, "<0.05")
    }

    func testEmptyAnswerIsANoticeAndExitZero() throws {
        let table = try lims("query", "results", "--treatment", "ramie", "--analyte", "Th")
        XCTAssertEqual(table.exitCode, 0)
        XCTAssertEqual(table.stdout, "")
        XCTAssertEqual(table.stderr, "No results match.\n")
        let csv = try lims("query", "samples", "--depth", "100-200", "--format", "csv")
        XCTAssertEqual(csv.exitCode, 0)
        XCTAssertEqual(csv.stdout, "sample,type,treatment,plot,parent,depth_cm,collected_on,mass_g,results\n")
        XCTAssertEqual(csv.stderr, "No samples match.\n")
        let json = try lims("query", "pois", "--phase", "zircon", "--format", "json")
        XCTAssertEqual(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[\n\n]")
        XCTAssertEqual(json.stderr, "No POIs match.\n")
    }

    func testBadInputGetsSuggestionsOrUsageErrors() throws {
        let treatment = try lims("query", "results", "--treatment", "rami")
        XCTAssertEqual(treatment.exitCode, 1)
        XCTAssertEqual(treatment.stderr, "Error: treatment \"rami\" does not exist; did you mean \"ramie\"?\n")
        let analyte = try lims("query", "results", "--analyte", "Cer")
        XCTAssertEqual(analyte.exitCode, 1)
        XCTAssertEqual(analyte.stderr, "Error: analyte \"Cer\" does not exist; did you mean \"Ce\", \"Er\", \"Eu\"?\n")
        let group = try lims("query", "results", "--analyte", "REEE")
        XCTAssertTrue(group.stderr.contains("did you mean \"REE\""), group.stderr)
        for (arguments, fragment) in [
            (["query", "results", "--depth", "10-5"], "'10-5' is invalid for '--depth'; expected FROM-TO in cm"),
            (["query", "results", "--depth", "deep"], "'deep' is invalid for '--depth'"),
            (["query", "samples", "--depth", "-5-10"], "'-5-10' is invalid for '--depth'"),
            (["query", "results", "--since", "2018-13-01"], "'2018-13-01' is invalid for '--since'; expected a date written YYYY-MM-DD"),
            (["query", "results", "--until", "yesterday"], "'yesterday' is invalid for '--until'"),
            (["query", "results", "--since", "2019-01-01", "--until", "2018-01-01"], "--since 2019-01-01 is after --until 2018-01-01"),
            (["query", "results", "--censored", "--no-censored"], "either --censored or --no-censored"),
            (["query", "results", "--matrix", "gas"], "expected one of: solid, solution"),
            (["log", "--since", "01/02/2026"], "'01/02/2026' is invalid for '--since'"),
        ] {
            let result = try TestSupport.runLIMS(arguments, in: dir)
            XCTAssertEqual(result.exitCode, 64, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains(fragment), result.stderr)
            XCTAssertTrue(result.stderr.contains("Usage: lims "), result.stderr)
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testReadOnlySQL() throws {
        let select = try lims("sql", "SELECT analyte, count(*) AS n FROM measurement WHERE qualifier = '<' GROUP BY analyte ORDER BY analyte",
                              "--format", "csv")
        XCTAssertEqual(select.exitCode, 0, select.stderr)
        XCTAssertEqual(select.stdout, "analyte,n\nCe,1\nLu,1\nNd,1\nTm,1\n")
        let status = try lims("status", "--format", "csv").stdout
        for statement in ["DELETE FROM audit_log", "UPDATE measurement SET value = 0 WHERE analyte = 'Ce'",
                          "DROP TABLE measurement", "INSERT INTO site (code) VALUES ('X')", "CREATE TABLE x (a)",
                          "ATTACH DATABASE 'other.sqlite' AS other"] {
            let result = try lims("sql", statement)
            XCTAssertEqual(result.exitCode, 1, statement)
            XCTAssertEqual(result.stderr, "Error: lims sql only reads; this statement would change the database: \(statement). "
                           + "Make changes with the lims commands, which keep the audit log\n")
            XCTAssertEqual(result.stdout, "")
        }
        let two = try lims("sql", "SELECT 1; DELETE FROM sample")
        XCTAssertEqual(two.exitCode, 1)
        XCTAssertTrue(two.stderr.contains("runs exactly one statement"), two.stderr)
        XCTAssertEqual(try lims("status", "--format", "csv").stdout, status)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("other.sqlite").path))
        let empty = try lims("sql", "SELECT * FROM sample WHERE code = 'nothing'")
        XCTAssertEqual(empty.exitCode, 0)
        XCTAssertEqual(empty.stderr, "No rows match.\n")
    }

    func testSampleShowTellsTheWholeStory() throws {
        let show = try lims("sample", "show", "C1-S")
        XCTAssertEqual(show.exitCode, 0, show.stderr)
        let text = show.stdout
        for fragment in ["Sample C1-S (bulk)", "site DN, treatment control, plot C1 (replicate 1)",
                         "depth 0-10 cm, collected 2018-07-10, mass 850 g",
                         "Lineage (8)", "CaCl2 extract  C1-S-E", "10 g soil, 20 g solution, 1 mM CaCl2, 48 h",
                         "size fraction  C1-S-F3  <50 um", "child          C1-S-G   subsample",
                         "Preparation (3)", "air-dried", "ground <150 um (aliquot)",
                         "Results (17)", "icpms_totals_2018-09.csv", "icpoes_majors_2018-09.csv",
                         "Soil properties (3)", "pH_H2O",
                         "QC of the batches", "recovery La 98.3 %, Ce 102.4 %", "above DL: Ce 0.03 > 0.01",
                         "History (1)", "sample C1-S registered"] {
            XCTAssertTrue(text.contains(fragment), "missing \(fragment) in\n\(text)")
        }
        // A fraction or extract registered as a child sample is listed once, with its details.
        XCTAssertEqual(text.components(separatedBy: "C1-S-F3").count - 1, 1, text)
        XCTAssertEqual(text.components(separatedBy: "C1-S-E ").count - 1, 1, text)
        // Recovery = measured / certified × 100: 11.9 / 12.1 = 98.35 %, 25.4 / 24.8 = 102.42 % (python3).
        let block = try lims("sample", "show", "C1-B")
        XCTAssertTrue(block.stdout.contains("thin section  TS-C1B  thin section"), block.stdout)
        XCTAssertTrue(block.stdout.contains("30 um, 1 map(s), 3 POI(s)"), block.stdout)
        let fraction = try lims("sample", "show", "C1-S-F3", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(fraction.stdout.utf8)) as! [String: Any]
        let lineage = object["lineage"] as! [[String: Any]]
        XCTAssertEqual(lineage.map { $0["relation"] as? String }, ["parent", "fraction of"])
        XCTAssertEqual((object["sample"] as! [String: Any])["treatment"] as? String, "control")
        XCTAssertEqual((object["results"] as! [[String: Any]]).count, 2)
        let missing = try lims("sample", "show", "C1-X")
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("sample \"C1-X\" does not exist; did you mean"), missing.stderr)
    }

    func testLogFilters() throws {
        let all = try csvColumn("action", ["log"])
        XCTAssertEqual(all.filter { $0 == "import" }.count, 5)
        XCTAssertEqual(try csvColumn("summary", ["log", "--sample", "R1-S"]), ["sample R1-S registered"])
        XCTAssertEqual(try csvColumn("table", ["log", "--action", "import"]), Array(repeating: "import_batch", count: 5))
        XCTAssertEqual(try csvColumn("operator", ["log", "--by", "li.wei", "--table", "site"]), ["li.wei"])
        let future = try lims("log", "--since", "2999-01-01")
        XCTAssertEqual(future.exitCode, 0)
        XCTAssertEqual(future.stderr, "No log entries match.\n")
        // --until a date includes that whole day.
        let days = Set(try csvColumn("at", ["log"]).map { String($0.prefix(10)) }).sorted()
        XCTAssertEqual(try csvColumn("id", ["log", "--since", days.first!, "--until", days.last!]).count, all.count)
    }
}
