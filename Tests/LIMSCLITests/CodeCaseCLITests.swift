import XCTest
import LIMSTestSupport

/// Issue 15: codes are matched the same way — ignoring case, kept as registered — in queries,
/// registration, lab sheets and instrument imports, through the `lims` binary.
final class CodeCaseCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-code-case")
        try TestSupport.registerCLILab(in: dir, plots: 2, extracts: false)
    }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult { try lims(arguments) }

    @discardableResult
    func lims(_ arguments: [String]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    func write(_ text: String, _ name: String) -> String {
        let url = dir.appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    func testRegisteringACodeThatDiffersOnlyInCaseIsRefused() throws {
        for (arguments, message) in [
            (["sample", "add", "--code", "c1-s", "--plot", "C1"],
             "sample \"c1-s\" already exists as \"C1-S\" (codes are matched ignoring case, so both cannot be registered)"),
            (["plot", "add", "--treatment", "control", "--code", "c2"], "plot \"c2\" already exists as \"C2\""),
            (["treatment", "add", "--site", "DN", "--code", "CONTROL"], "treatment \"CONTROL\" already exists as \"control\""),
            (["site", "add", "--code", "dn"], "site \"dn\" already exists as \"DN\""),
        ] {
            let result = try lims(arguments)
            XCTAssertEqual(result.exitCode, 1, "\(arguments): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let samples = try lims("query", "samples", "--format", "csv")
        XCTAssertEqual(samples.stdout.split(separator: "\n").count, 3, "header + C1-S + C2-S only: \(samples.stdout)")
    }

    func testQueriesFindCodesIgnoringCase() throws {
        let file = write("sample,analyte,value,unit\nC1-S,La,45.2,mg/kg\nC2-S,La,38.1,mg/kg\n", "run.csv")
        XCTAssertEqual(try lims("import", "results", file).exitCode, 0)
        let bySample = try lims("query", "results", "--sample", "c1-s", "--format", "csv")
        XCTAssertEqual(bySample.exitCode, 0, bySample.stderr)
        XCTAssertEqual(bySample.stdout.split(separator: "\n").count, 2, bySample.stdout)
        XCTAssertTrue(bySample.stdout.contains(",C1-S,"), "shown as registered: \(bySample.stdout)")
        let byPlot = try lims("query", "results", "--plot", "c2", "--format", "csv")
        XCTAssertTrue(byPlot.stdout.contains(",C2-S,") && !byPlot.stdout.contains(",C1-S,"), byPlot.stdout)
        let byTreatment = try lims("query", "samples", "--treatment", "CONTROL", "--format", "csv")
        XCTAssertEqual(byTreatment.exitCode, 0, byTreatment.stderr)
        XCTAssertEqual(byTreatment.stdout.split(separator: "\n").count, 3, byTreatment.stdout)
        let unknown = try lims("query", "results", "--sample", "c9-s")
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertTrue(unknown.stderr.contains("c9-s"), unknown.stderr)
    }

    func testSheetsAndInstrumentLabelsMatchIgnoringCase() throws {
        // A sub-sample naming its parent in lower case, a re-sent row for c1-s (the same sample,
        // unchanged), and an instrument run that labels the samples in lower case.
        let sheet = write("code,plot,parent,type\nc1-s,C1,,bulk\nC1-F1,,c1-s,size_fraction\n", "samples.csv")
        let imported = try lims("import", "samples", sheet)
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        let samples = try lims("query", "samples", "--format", "csv")
        XCTAssertEqual(samples.stdout.split(separator: "\n").count, 4, "C1-S, C2-S, C1-F1; no second C1-S: \(samples.stdout)")
        XCTAssertFalse(samples.stdout.contains("c1-s"), samples.stdout)
        let story = try lims("sample", "show", "C1-F1")
        XCTAssertTrue(story.stdout.contains("C1-S"), "parent kept as registered: \(story.stdout)")
        let run = write("sample,analyte,value,unit\nc1-f1,La,12.5,mg/kg\n", "run.csv")
        let result = try lims("import", "results", run)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let values = try lims("query", "results", "--sample", "C1-F1", "--format", "csv")
        XCTAssertTrue(values.stdout.contains(",C1-F1,") && values.stdout.contains(",12.5,"), values.stdout)
    }
}
