import XCTest
import LIMSTestSupport

/// `lims import results` and `lims batch` end to end through the built binary.
final class ResultsImportCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    func fixture(_ name: String) -> String { TestSupport.fixture("instruments/\(name)").path }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-results")
        try TestSupport.registerCLILab(in: dir)
    }

    func status() throws -> String { try lims("status", "--format", "csv").stdout }

    func testImportReimportReplaceAndBatchCommands() throws {
        let file = fixture("long_results_small.csv")
        // The long sheet names C1-S, C2-S, C1-E (all registered).
        let first = try lims("import", "results", file, "--instrument", "Agilent 7900")
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("Imported long_results_small.csv as batch 1."), first.stdout)
        XCTAssertTrue(first.stdout.contains("samples:     3 (3 registered, 0 unmatched), 7 values"), first.stdout)
        XCTAssertTrue(first.stdout.contains("censored:    3 (qualifiers: 2 <, 1 nd)"), first.stdout)

        let again = try lims("import", "results", file)
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertTrue(again.stderr.contains("long_results_small.csv:1:1: error: this file was already imported as batch 1"), again.stderr)
        XCTAssertTrue(again.stderr.contains("--replace"), again.stderr)

        let dry = try lims("import", "results", file, "--replace", "--dry-run")
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.hasPrefix("Dry run: nothing was written."), dry.stdout)
        let afterDry = try status()

        let replaced = try lims("import", "results", file, "--replace")
        XCTAssertEqual(replaced.exitCode, 0, replaced.stderr)
        XCTAssertTrue(replaced.stdout.contains("as batch 2 (replaces batch 1, whose values are now retired)"), replaced.stdout)
        XCTAssertNotEqual(try status(), afterDry)

        let list = try lims("batch", "list", "--format", "csv")
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, list.stdout)
        XCTAssertTrue(lines[1].hasPrefix("1,results,long_results_small.csv,long,Agilent 7900,li.wei,"), list.stdout)
        XCTAssertTrue(lines[1].hasSuffix(",7,7,3,0,3,0,replaced,"), list.stdout)
        XCTAssertTrue(lines[2].hasSuffix(",7,7,3,0,3,0,active,1"), list.stdout)

        let json = try lims("batch", "list", "--format", "json")
        let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(objects.count, 2)
        XCTAssertEqual(objects[1]["values"] as? Int, 7)
        XCTAssertEqual(objects[1]["replaces"] as? Int, 1)
        XCTAssertEqual(objects[0]["status"] as? String, "replaced")

        let show = try lims("batch", "show", "1")
        XCTAssertEqual(show.exitCode, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("Batch 1: long_results_small.csv (results, long) — replaced"), show.stdout)
        XCTAssertTrue(show.stdout.contains("values:      7 retired"), show.stdout)
        XCTAssertTrue(show.stdout.contains("replaced by: batch 2"), show.stdout)
        let missing = try lims("batch", "show", "9")
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("import batch \"9\" does not exist"), missing.stderr)
    }

    func testDryRunListsUnmatchedNamesAndWritesNothing() throws {
        let before = try status()
        let dry = try lims("import", "results", fixture("bad/unknown_sample.csv"), "--dry-run")
        // The dry run answers "would the import go through?" with its exit code (issue 16).
        XCTAssertEqual(dry.exitCode, 1, dry.stderr)
        XCTAssertTrue(dry.stderr.hasPrefix("Error: the real import would stop: 1 names match no registered sample"), dry.stderr)
        XCTAssertTrue(dry.stdout.contains("unmatched:   1 names, 1 values: \"ZZ-9\""), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("a real import would stop"), dry.stdout)
        XCTAssertEqual(try status(), before)
        let stop = try lims("import", "results", fixture("bad/unknown_sample.csv"))
        XCTAssertEqual(stop.exitCode, 1)
        XCTAssertTrue(stop.stderr.contains("unknown_sample.csv:2:1: error: sample \"ZZ-9\" is not registered"), stop.stderr)
        XCTAssertEqual(try status(), before)
        let keep = try lims("import", "results", fixture("bad/unknown_sample.csv"), "--allow-unmatched")
        XCTAssertEqual(keep.exitCode, 0, keep.stderr)
        XCTAssertTrue(keep.stdout.contains("samples:     1 (0 registered, 1 unmatched), 1 values"), keep.stdout)
    }

    func testBadInputExitsOneWithLocatedErrorsAndUsageErrorsExit64() throws {
        let before = try status()
        let bad = try lims("import", "results", fixture("bad/text_in_number.csv"))
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("\(fixture("bad/text_in_number.csv")):2:3: error: value: \"abc\" is not a number"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("1 error(s); nothing was written"), bad.stderr)
        let ppm = try lims("import", "results", fixture("bad/ppm_ambiguous.csv"))
        XCTAssertEqual(ppm.exitCode, 1)
        XCTAssertTrue(ppm.stderr.contains("give --matrix solution or --matrix solid"), ppm.stderr)
        XCTAssertEqual(try lims("import", "results", fixture("bad/ppm_ambiguous.csv"), "--matrix", "solid").exitCode, 0)
        let usage = try lims("import", "results", fixture("long_results_small.csv"), "--dilution", "-2")
        XCTAssertEqual(usage.exitCode, 64)
        XCTAssertTrue(usage.stderr.contains("expected a factor > 0"), usage.stderr)
        XCTAssertEqual(try lims("import", "results", fixture("long_results_small.csv"), "--format", "excel").exitCode, 64)
        XCTAssertEqual(try lims("import", "results").exitCode, 64)
        _ = before
    }

    func testRealMassHunterExportThroughTheBinary() throws {
        let url = TestSupport.sharedInstrumentFixture("agilent7900_masshunter_User_Raw.csv")
            ?? TestSupport.packageRoot.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("shared/fixtures/instruments/agilent7900_masshunter_User_Raw.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("../shared is absent") }
        // Counts from Tests/Fixtures/instruments/count_real_exports.py (see ResultsImportTests).
        let run = try lims("import", "results", url.path, "--allow-unmatched")
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("samples:     53 (0 registered, 53 unmatched), 3657 values"), run.stdout)
        XCTAssertTrue(run.stdout.contains("QC rows:     57 (2 cal_blank, 15 cal_std, 8 ccv, 32 other), 3933 values"), run.stdout)
        XCTAssertTrue(run.stdout.contains("censored:    608"), run.stdout)
        XCTAssertTrue(run.stdout.contains("internal standards (not stored): Sc 45 [He], In 115 [No Gas]"), run.stdout)
    }
}
