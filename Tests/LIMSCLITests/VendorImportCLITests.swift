import XCTest
import LIMSTestSupport

/// `lims import results` on the newer vendor layouts through the built binary: options for files
/// that carry no unit or mark no internal standard, usage errors (exit 64) and data errors (exit 1).
final class VendorImportCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-vendor")
        try TestSupport.registerCLILab(in: dir, plots: 1)
    }

    /// A WinLab32 long export without a unit column, with Sc as the run's internal standard.
    func winlabWithoutUnits() throws -> String {
        let url = dir.appendingPathComponent("winlab.csv")
        try """
            Sample ID,Analyte Name,Date,Time,Reported Conc (Calib),Reported Conc (Samp),Repl No1,Int1
            blank,La 408.672,23/3/2023,9:00:00 AM,0.001,,1,12
            blank,Sc 361.383,23/3/2023,9:00:00 AM,100.0,,1,2100000
            C1-E,La 408.672,23/3/2023,9:05:00 AM,0.512,0.512
            C1-E,Sc 361.383,23/3/2023,9:05:00 AM,97.5,
            """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testUnitAndInternalStandardOptions() throws {
        let file = try winlabWithoutUnits()
        let refused = try lims("import", "results", file)
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("winlab.csv:2:5: error: La 408.672: no unit;"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("or give --unit"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("note: read as PerkinElmer WinLab32/Syngistix long export (detected: the header has Sample ID and Analyte Name)"), refused.stderr)

        let imported = try lims("import", "results", file, "--unit", "mg/L", "--istd", "Sc")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("internal standards: Sc 361.383 (2 readings stored as QC data, not as results)"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("samples:     1 (1 registered, 0 unmatched), 1 values"), imported.stdout)
        // Ragged rows (a replicate block missing) are read; the measured date has a day > 12: dmy.
        let rows = try lims("sql", "SELECT analyte, value, unit, measured_at FROM measurement", "--format", "csv")
        XCTAssertEqual(rows.stdout, "analyte,value,unit,measured_at\nLa,0.512,mg/L,2023-03-23T09:05:00\n", rows.stderr)
        let istd = try lims("sql", "SELECT label, value FROM internal_standard_reading ORDER BY id", "--format", "csv")
        XCTAssertEqual(istd.stdout, "label,value\nblank,100\nC1-E,97.5\n", istd.stderr)
    }

    func testBadOptionValuesAreUsageErrors() throws {
        let file = try winlabWithoutUnits()
        let unit = try lims("import", "results", file, "--unit", "furlong")
        XCTAssertEqual(unit.exitCode, 64)
        XCTAssertTrue(unit.stderr.hasPrefix("Error: The value 'furlong' is invalid for '--unit'; expected one of mg/L,"), unit.stderr)
        let percent = try lims("import", "results", file, "--istd", "Sc,Xq")
        XCTAssertEqual(percent.exitCode, 64)
        XCTAssertTrue(percent.stderr.contains("The value 'Xq' is invalid for '--istd'"), percent.stderr)
        XCTAssertEqual(try lims("sql", "SELECT count(*) AS n FROM import_batch", "--format", "csv").stdout, "n\n0\n")
    }
}
