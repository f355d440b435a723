import Foundation
import XCTest
import LIMSStore
import LIMSTestSupport

/// `lims import results` of an .xlsx copy of a fixture stores what the CSV stores; errors name the cell.
final class XLSXResultsImportCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    func setUpLab() throws { try TestSupport.registerCLILab(in: dir) }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func storedValues() throws -> [String] {
        let result = try lims("query", "results", "--format", "csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return result.stdout.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).dropFirst().dropLast(2).joined(separator: ",")
        }
    }

    func testWorkbookCopyStoresTheSameValuesAsTheCSV() throws {
        dir = TestSupport.temporaryDirectory("lims-xlsx-cli-csv")
        try setUpLab()
        XCTAssertEqual(try lims("import", "results", TestSupport.fixture("instruments/long_results_small.csv").path).exitCode, 0)
        let expected = try storedValues()
        try? FileManager.default.removeItem(at: dir)
        dir = TestSupport.temporaryDirectory("lims-xlsx-cli-xlsx")
        try setUpLab()
        let result = try lims("import", "results", TestSupport.fixture("input/long_results_small.xlsx").path)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("7 values"), result.stdout)
        XCTAssertEqual(try storedValues(), expected)
        let wrong = try lims("import", "results", TestSupport.fixture("input/long_results_small.xlsx").path, "--sheet", "Other", "--replace", "--dry-run")
        XCTAssertEqual(wrong.exitCode, 1)
        XCTAssertTrue(wrong.stderr.contains("error: the workbook has no sheet \"Other\"; expected a sheet name or a number 1–1: 1 \"long_results_small\""), wrong.stderr)
    }

    func testErrorsInAWorkbookNameTheCell() throws {
        dir = TestSupport.temporaryDirectory("lims-xlsx-cli-bad")
        try setUpLab()
        let result = try lims("import", "results", TestSupport.fixture("input/small_openpyxl.xlsx").path, "--sheet", "Results")
        XCTAssertEqual(result.exitCode, 1)
        // Its header has an empty column E and a column "ok": both named by cell.
        XCTAssertTrue(result.stderr.contains("small_openpyxl.xlsx:Results!E1: error: unknown column \"\""), result.stderr)
        XCTAssertTrue(result.stderr.contains("small_openpyxl.xlsx:Results!G1: error: unknown column \"ok\""), result.stderr)
    }
}
