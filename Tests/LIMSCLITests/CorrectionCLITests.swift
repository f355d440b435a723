import XCTest
import LIMSStore
import LIMSTestSupport

/// Corrections end to end: `result correct|retire|history`, `sample edit|retire`, the audit
/// trail in `lims log`, and tampering with the audit log refused.
final class CorrectionCLITests: XCTestCase {
    var dir: URL!
    var dbPath: String { dir.appendingPathComponent("lims.sqlite").path }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-correct")
        try FixtureLab.build(try LabStore.create(path: dbPath, operatorName: "li.wei"))
    }

    @discardableResult
    func lims(_ arguments: String..., env: [String: String] = [:]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: env)
    }

    func resultID(_ sample: String, _ analyte: String) throws -> String {
        let result = try lims("query", "results", "--sample", sample, "--analyte", analyte, "--format", "csv")
        return String(result.stdout.split(separator: "\n")[1].split(separator: ",")[0])
    }

    func testCorrectAValueKeepsTheOldOneAndTheLogSaysWhoAndWhy() throws {
        let id = try resultID("R1-S", "Ce")
        let correct = try lims("result", "correct", id, "--value", "7.7", "--reason", "decimal slip", env: ["USER": "ana"])
        XCTAssertEqual(correct.exitCode, 0, correct.stderr)
        XCTAssertTrue(correct.stdout.hasPrefix("Corrected result \(id) (Ce of R1-S): 77 mg/kg → 7.7 mg/kg; the new result is "),
                      correct.stdout)
        let newID = String(correct.stdout.split(separator: " ").last!.dropLast(2))
        let current = try lims("query", "results", "--sample", "R1-S", "--analyte", "Ce", "--format", "csv")
        XCTAssertTrue(current.stdout.hasSuffix("\(newID),R1-S,ramie,R1,0-10,Ce,7.7,mg/kg,0.01,ICP-MS,1,icpms_totals_2018-09.csv\n"),
                      current.stdout)
        // This statement also guards the Statement fix: reading the SQL tail after its C buffer was
        // freed made the binary refuse it as "several statements".
        let history = try lims("query", "results", "--sample", "R1-S", "--analyte", "Ce", "--all-versions", "--format", "csv")
        XCTAssertTrue(history.stdout.contains("\(id),R1-S,ramie,R1,0-10,Ce,77,mg/kg,0.01,ICP-MS,1,icpms_totals_2018-09.csv,superseded,\(newID)\n"),
                      history.stdout)
        let versions = try lims("result", "history", newID, "--format", "csv")
        let lines = versions.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("\(id),R1-S,Ce,77,mg/kg,0.01,superseded,\(newID),"), String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("\(newID),R1-S,Ce,7.7,mg/kg,0.01,valid,,"), String(lines[2]))
        XCTAssertTrue(lines[2].hasSuffix(",ana,decimal slip"), String(lines[2]))
        let log = try lims("log", "--sample", "R1-S", "--action", "correct", "--format", "json")
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries[0]["operator"] as? String, "ana")
        XCTAssertEqual(entries[0]["reason"] as? String, "decimal slip")
        XCTAssertTrue((entries[0]["old_value"] as? String)?.contains("\"value\":77") ?? false)
        XCTAssertTrue((entries[0]["new_value"] as? String)?.contains("\"value\":7.7") ?? false)
        // --operator wins over $USER.
        let again = try lims("result", "correct", newID, "--value", "<0.05", "--reason", "re-read", "--operator", "wang.fang")
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("7.7 mg/kg → <0.05 mg/kg"), again.stdout)
        XCTAssertEqual(try lims("log", "--by", "wang.fang", "--format", "csv").stdout.split(separator: "\n").count, 2)
        let stale = try lims("result", "correct", id, "--value", "8", "--reason", "x")
        XCTAssertEqual(stale.exitCode, 1)
        XCTAssertTrue(stale.stderr.contains("was superseded — its current version is result"), stale.stderr)
    }

    func testRefusedCorrectionsAreUsageOrDataErrorsAndWriteNothing() throws {
        let id = try resultID("C1-S", "La")
        let before = try lims("status", "--format", "csv").stdout
        let missingReason = try lims("result", "correct", id, "--value", "61")
        XCTAssertEqual(missingReason.exitCode, 64)
        XCTAssertTrue(missingReason.stderr.hasPrefix("Error: Missing expected option '--reason <text>'."), missingReason.stderr)
        let badID = try lims("result", "retire", "abc", "--reason", "x")
        XCTAssertEqual(badID.exitCode, 64)
        let badValue = try lims("result", "correct", id, "--value", "lots", "--reason", "x")
        XCTAssertEqual(badValue.exitCode, 1)
        XCTAssertTrue(badValue.stderr.contains("value: \"lots\" is not valid"), badValue.stderr)
        let badUnit = try lims("result", "correct", id, "--value", "6", "--unit", "mg/L", "--reason", "x")
        XCTAssertEqual(badUnit.exitCode, 1)
        XCTAssertTrue(badUnit.stderr.contains("expected mg/kg or a unit convertible to it"), badUnit.stderr)
        let blankReason = try lims("result", "retire", id, "--reason", " ")
        XCTAssertEqual(blankReason.exitCode, 1)
        let noChange = try lims("sample", "edit", "C1-S", "--reason", "nothing")
        XCTAssertEqual(noChange.exitCode, 64)
        let badDepth = try lims("sample", "edit", "C1-S", "--depth", "10-0", "--reason", "x")
        XCTAssertEqual(badDepth.exitCode, 1)
        XCTAssertEqual(try lims("status", "--format", "csv").stdout, before)
    }

    func testRetireResultAndSampleAndEditSample() throws {
        let id = try resultID("C1-S", "Ce")
        let retire = try lims("result", "retire", id, "--reason", "digest contaminated")
        XCTAssertEqual(retire.exitCode, 0, retire.stderr)
        XCTAssertEqual(retire.stdout, "Retired result \(id) (Ce of C1-S, 110 mg/kg).\n")
        let gone = try lims("query", "results", "--sample", "C1-S", "--analyte", "Ce")
        XCTAssertEqual(gone.stderr, "No results match.\n")

        let edit = try lims("sample", "edit", "C1-S", "--depth", "0-15", "--collected-on", "2018-07-09",
                            "--reason", "field sheet", "--operator", "ana")
        XCTAssertEqual(edit.exitCode, 0, edit.stderr)
        XCTAssertEqual(edit.stdout, "Sample C1-S edited: collected_on 2018-07-10 → 2018-07-09, depth_bottom_cm 10 → 15.\n")
        let samples = try lims("query", "samples", "--depth", "12-14", "--format", "csv")
        XCTAssertTrue(samples.stdout.contains("\nC1-S,bulk,control,C1,,0-15,2018-07-09,850,"), samples.stdout)

        let retireSample = try lims("sample", "retire", "C1-S-G", "--reason", "jar broken")
        XCTAssertEqual(retireSample.exitCode, 0, retireSample.stderr)
        let listed = try lims("query", "samples", "--plot", "C1", "--format", "csv").stdout
        XCTAssertFalse(listed.contains("C1-S-G"), listed)
        XCTAssertTrue(try lims("query", "samples", "--plot", "C1", "--include-retired", "--format", "csv").stdout.contains("C1-S-G"))
        let show = try lims("sample", "show", "C1-S-G")
        XCTAssertTrue(show.stdout.contains("RETIRED "), show.stdout)
        XCTAssertTrue(show.stdout.contains("jar broken"), show.stdout)

        let log = try lims("log", "--sample", "C1-S", "--format", "csv").stdout
        XCTAssertTrue(log.contains(",ana,update,sample,"), log)
        XCTAssertTrue(log.contains("digest contaminated"), log)
        let showC1 = try lims("sample", "show", "C1-S", "--all-versions").stdout
        XCTAssertTrue(showC1.contains("retired"), showC1)
        XCTAssertTrue(showC1.contains("History (3)"), showC1)
    }

    func testAuditTamperingIsRefused() throws {
        let id = try resultID("C1-S", "La")
        XCTAssertEqual(try lims("result", "correct", id, "--value", "61", "--reason", "recalculated").exitCode, 0)
        let before = try lims("log", "--format", "csv").stdout
        // Through lims: refused before it runs.
        let viaSQL = try lims("sql", "DELETE FROM audit_log")
        XCTAssertEqual(viaSQL.exitCode, 1)
        XCTAssertTrue(viaSQL.stderr.contains("only reads"), viaSQL.stderr)
        // Around lims, with a writable connection: the schema's triggers refuse.
        let db = try Database(path: dbPath)
        XCTAssertThrowsError(try db.execute("UPDATE audit_log SET reason = 'nothing happened'")) { error in
            XCTAssertTrue("\(error)".contains("audit_log is append-only: rows cannot be changed"), "\(error)")
        }
        XCTAssertThrowsError(try db.execute("DELETE FROM audit_log WHERE action = 'correct'")) { error in
            XCTAssertTrue("\(error)".contains("audit_log is append-only: rows cannot be deleted"), "\(error)")
        }
        XCTAssertEqual(try lims("log", "--format", "csv").stdout, before)
    }
}
