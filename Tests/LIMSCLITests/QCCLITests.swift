import XCTest
import LIMSTestSupport

/// `lims qc`, `lims crm` and the QC part of `lims report` through the built binary.
final class QCCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-qc")
        try TestSupport.registerCLILab(in: dir, extracts: false)
        let run = try lims("import", "results", TestSupport.fixture("qc/qc_run_small.csv").path)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
    }

    func testBatchVerdictInEveryFormat() throws {
        let text = try lims("qc", "batch", "1")
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("QC of batch 1 (qc_run_small.csv): FAIL\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("1 CRM recoveries outside 90–110 %: NIST 2709a Ce 112.5 %"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Procedural blanks (method LOD = 3 × SD, LOQ = 10 × SD"), text.stdout)

        let csv = try lims("qc", "batch", "1", "--format", "csv")
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows[0], ["batch", "check", "row", "reference", "line", "unit", "measured", "expected", "statistic", "value",
                                 "limit_low", "limit_high", "result", "note"])
        let crm = try XCTUnwrap(rows.first { $0[1] == "crm" && $0[4] == "Ce" })
        XCTAssertEqual(Double(crm[9]) ?? 0, 112.496943, accuracy: 1e-5)  // qc_independent.py
        XCTAssertEqual(crm[12], "fail")
        let json = try lims("qc", "batch", "1", "--format", "json")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["verdict"] as? String, "fail")
        XCTAssertEqual((object["blanks"] as? [[String: Any]])?.first?["lod"] as? Double ?? 0, 0.006, accuracy: 1e-12)

        let missing = try lims("qc", "batch", "9")
        XCTAssertEqual(missing.exitCode, 1)
        let usage = try lims("qc", "batch", "x")
        XCTAssertEqual(usage.exitCode, 64)
        XCTAssertTrue(usage.stderr.hasPrefix("Error: The value 'x' is invalid for '<id>'"), usage.stderr)
    }

    func testChartWritesAnSVGAndListsLines() throws {
        let lines = try lims("qc", "chart", "--crm", "NIST 2709a")
        XCTAssertEqual(lines.exitCode, 0, lines.stderr)
        XCTAssertEqual(lines.stdout, "La\nCe\n")
        let chart = try lims("qc", "chart", "--crm", "srm 2709a", "--analyte", "La", "-o", "la.svg")
        XCTAssertEqual(chart.exitCode, 0, chart.stderr)
        XCTAssertTrue(chart.stdout.contains("Control chart NIST 2709a La (mg/kg), 1 runs"), chart.stdout)
        XCTAssertTrue(chart.stdout.contains("reference value 19.89 mg/kg (Byers et al. 2016 GGR (GeoReM))"), chart.stdout)
        let svg = try String(contentsOf: dir.appendingPathComponent("la.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), String(svg.prefix(80)))
        XCTAssertTrue(svg.contains("Control chart: NIST 2709a La"), svg)
        let unknown = try lims("qc", "chart", "--crm", "OREAS 999")
        XCTAssertEqual(unknown.exitCode, 1)
        let wrongLine = try lims("qc", "chart", "--crm", "NIST 2709a", "--analyte", "Nd")
        XCTAssertEqual(wrongLine.exitCode, 64)
        XCTAssertTrue(wrongLine.stderr.contains("NIST 2709a was measured on La, Ce"), wrongLine.stderr)
    }

    func testSettingsAndCRMSheetThroughTheBinary() throws {
        let set = try lims("qc", "settings", "--set", "crm_recovery_high=115", "--format", "csv")
        XCTAssertEqual(set.exitCode, 0, set.stderr)
        XCTAssertTrue(set.stdout.contains("crm_recovery_high,115,"), set.stdout)
        let bad = try lims("qc", "settings", "--set", "crm_recovery_hi=115")
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.contains("Did you mean 'crm_recovery_high'?"), bad.stderr)
        XCTAssertTrue(try lims("qc", "batch", "1").stdout.contains("CRM recovery (measured / certified × 100; limits 90–115 %)"))

        let template = try lims("template", "crm")
        XCTAssertEqual(template.stdout, "crm,analyte,value,unit,uncertainty,kind,citation\nOREAS 465,La,2340,mg/kg,60,certified,\"OREAS 465 certificate, 2019\"\n")
        let sheet = dir.appendingPathComponent("crm.csv")
        try "crm,analyte,value,unit\nTEST-1,La,12,mg/kg\nTEST-1,Ce,zz,mg/kg\n".write(to: sheet, atomically: true, encoding: .utf8)
        let refused = try lims("crm", "import", sheet.path)
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("crm.csv:3:3: error: value: \"zz\" is not valid; expected a number"), refused.stderr)
        XCTAssertFalse(try lims("crm", "list").stdout.contains("TEST-1"))
        try "crm,analyte,value,unit\nTEST-1,La,12,mg/kg\n".write(to: sheet, atomically: true, encoding: .utf8)
        XCTAssertEqual(try lims("crm", "import", sheet.path).stdout, "Imported \(sheet.path): 1 CRM values added, 0 replaced.\n")
        XCTAssertTrue(try lims("crm", "show", "test-1").stdout.contains("TEST-1  La       12"))
    }

    func testReportShowsQCAndHoldsFailedBatchesOut() throws {
        let all = try lims("report", "qc")
        XCTAssertEqual(all.exitCode, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("## Quality control"), all.stdout)
        XCTAssertTrue(all.stdout.contains("| 1 | qc_run_small.csv | fail |"), all.stdout)
        let held = try lims("report", "all", "--exclude-failed-qc")
        XCTAssertTrue(held.stdout.contains("**Held out (`--exclude-failed-qc`):** the values of 1 batch(es) that failed QC are not in this report's tables: batch 1 (qc_run_small.csv)."), held.stdout)
        // The failed batch's La of C1-S (35 mg/kg) is in the full report and not in the held-out one.
        XCTAssertTrue(try lims("report", "anomalies", "--format", "json").stdout.contains("C1-S"))
        XCTAssertFalse(try lims("report", "anomalies", "--format", "json", "--exclude-failed-qc").stdout.contains("\"C1-S\""))
    }
}
