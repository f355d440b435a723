import XCTest
import LIMSTestSupport

/// A vendor layout no reader knows (a Horiba Ultima Expert-like report: `;`, decimal comma,
/// title rows, a units row, LOD columns, a dilution column), imported end to end through a
/// saved profile with the built `lims` binary.
final class ProfileCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    let export = TestSupport.fixture("profiles/horiba_ultima_ree.csv").path
    let profileSheet = TestSupport.fixture("profiles/horiba_ultima.profile.csv").path

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-profile-cli")
        XCTAssertEqual(try lims("init").exitCode, 0)
        try lims("site", "add", "--code", "DN")
        try lims("treatment", "add", "--site", "DN", "--code", "control")
        try lims("plot", "add", "--treatment", "control", "--code", "C1")
        try lims("sample", "add", "--code", "C1-S", "--plot", "C1")
        for code in ["T-01", "T-02", "T-03", "T-04", "T-05"] {
            let added = try lims("sample", "add", "--code", code, "--parent", "C1-S", "--plot", "C1", "--type", "extract")
            XCTAssertEqual(added.exitCode, 0, added.stderr)
        }
        XCTAssertEqual(try lims("sample", "alias", "add", "T-03", "Tail 03").exitCode, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testTemplateIsAValidProfileAndBadSheetsAreLocated() throws {
        let template = try lims("template", "import-profile")
        XCTAssertEqual(template.exitCode, 0, template.stderr)
        XCTAssertTrue(template.stdout.contains("\nheader_row,2\n"), template.stdout)
        XCTAssertTrue(template.stdout.contains("# dl_pattern: Wide layout: how detection-limit headers are written"), template.stdout)
        XCTAssertTrue(try lims("template").stdout.contains("import-profile"))
        let file = dir.appendingPathComponent("example.csv")
        try template.stdout.write(to: file, atomically: true, encoding: .utf8)
        let dry = try lims("import-profile", "add", "example", "--from", "example.csv", "--dry-run", "--describe")
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.hasPrefix("Dry run: profile example is valid (16 settings); nothing was saved."), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("  rows:        names on row 2, units on row 3, data from row 4"), dry.stdout)
        XCTAssertEqual(try lims("import-profile", "list").stderr, "No import profiles match.\n")

        try "key,value\nheader_row,3\nsample_colum,Sample\nlayout,wide\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try lims("import-profile", "add", "bad", "--from", "bad.csv")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("bad.csv:3:1: error: unknown setting \"sample_colum\"; did you mean \"sample_column\"?"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.csv:1:1: error: sample_column is missing"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.csv:4:2: error: a wide profile needs analyte_pattern"), bad.stderr)
        XCTAssertEqual(try lims("import-profile", "add", "bad name", "--from", "bad.csv").exitCode, 1)
        XCTAssertEqual(try lims("import-profile", "add", "x").exitCode, 64, "--from is required")
        XCTAssertEqual(try lims("import-profile", "add", "--help").exitCode, 0)
    }

    func testUnknownVendorLayoutImportsThroughAProfile() throws {
        let added = try lims("import-profile", "add", "horiba-ultima", "--from", profileSheet, "--describe")
        XCTAssertEqual(added.exitCode, 0, added.stderr)
        XCTAssertTrue(added.stdout.hasPrefix("Saved import profile horiba-ultima (18 settings)."), added.stdout)
        XCTAssertTrue(added.stdout.contains("  DL:          the column whose header reads \"{element} {wavelength} LOD\""), added.stdout)
        let list = try lims("import-profile", "list", "--format", "csv")
        XCTAssertTrue(list.stdout.hasPrefix("name,layout,description,operator,created_at\nhoriba-ultima,wide,\"Horiba Ultima Expert report: semicolon, decimal comma, units row, LOD columns\",li.wei,"), list.stdout)
        let sheet = try lims("import-profile", "show", "horiba-ultima", "--format", "csv")
        XCTAssertTrue(sheet.stdout.contains("\nanalyte_pattern,{element} {wavelength}\n"), sheet.stdout)

        XCTAssertEqual(try lims("import", "results", export, "--profile", "horiba-ultima", "--format", "qtegra").exitCode, 64)
        let unknown = try lims("import", "results", export, "--profile", "horiba")
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertTrue(unknown.stderr.contains("import profile \"horiba\" does not exist; did you mean \"horiba-ultima\"?"), unknown.stderr)
        // Without the profile no reader knows the file.
        let detected = try lims("import", "results", export)
        XCTAssertEqual(detected.exitCode, 1)
        XCTAssertTrue(detected.stderr.contains("cannot tell which instrument wrote this file"), detected.stderr)

        let imported = try lims("import", "results", export, "--profile", "horiba-ultima", "--instrument", "Horiba Ultima Expert")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        let out = imported.stdout
        XCTAssertTrue(out.contains("  format:      import profile horiba-ultima (generic reader), instrument Horiba Ultima Expert"), out)
        // Counts from Tests/Fixtures/profiles/expected_horiba_ultima.py: 15 sample values (1 censored, 1 negative),
        // 5 QC rows (blank, cal_std, crm, spike, ccv) with 15 values (2 censored).
        XCTAssertTrue(out.contains("  rows:        10 data rows, 1 repeated header/pseudo-rows skipped"), out)
        XCTAssertTrue(out.contains("  samples:     5 (5 registered, 0 unmatched), 15 values"), out)
        XCTAssertTrue(out.contains("  QC rows:     5 (1 blank, 1 cal_std, 1 ccv, 1 crm, 1 spike), 15 values"), out)
        XCTAssertTrue(out.contains("  censored:    3 (qualifiers: 2 <, 1 nd); 1 negative values kept as measured"), out)
        XCTAssertTrue(out.contains("matched a sample after removing a dilution suffix"), out)
        XCTAssertFalse(out.contains("columns not in profile"), "Comment is ignored by the profile: \(out)")

        let stored = try lims("sql", """
            SELECT s.code, m.analyte, m.value, m.detection_limit, m.qualifier, coalesce(m.dilution_factor, 1) AS dil
            FROM measurement m JOIN sample s ON s.id = m.sample_id ORDER BY m.id
            """, "--format", "csv")
        XCTAssertEqual(stored.exitCode, 0, stored.stderr)
        // Printed by Tests/Fixtures/profiles/expected_horiba_ultima.py (csv module, µg/L × 0.001, × Dil); compared to 1e-12 relative.
        let expected: [(String, String, Double?, Double, String, Double)] = [
            ("T-01", "Ce", 0.512, 0.04, "=", 10), ("T-01", "La", 1.375, 0.02, "=", 10), ("T-01", "Nd", 0.452, 0.009, "=", 10),
            ("T-02", "Ce", 0.0431, 0.004, "=", 1), ("T-02", "La", 0.1122, 0.002, "=", 1), ("T-02", "Nd", 0.03875, 0.0009, "=", 1),
            ("T-03", "Ce", 0.0298, 0.004, "=", 1), ("T-03", "La", nil, 0.002, "<", 1), ("T-03", "Nd", 0.0221, 0.0009, "=", 1),
            ("T-04", "Ce", -0.00175, 0.01, "=", 2.5), ("T-04", "La", 0.2185, 0.005, "=", 2.5), ("T-04", "Nd", 0.03, 0.00225, "=", 2.5),
            ("T-05", "Ce", 0.0377, 0.004, "=", 1), ("T-05", "La", 0.0962, 0.002, "=", 1), ("T-05", "Nd", 0.03105, 0.0009, "=", 1),
        ]
        let rows = stored.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.count, expected.count, stored.stdout)
        for (row, want) in zip(rows, expected) {
            XCTAssertEqual(row[0], want.0); XCTAssertEqual(row[1], want.1); XCTAssertEqual(row[4], want.4)
            if let value = want.2 {
                XCTAssertEqual(Double(row[2]) ?? .nan, value, accuracy: abs(value) * 1e-12, "\(row)")
            } else {
                XCTAssertEqual(row[2], "", "\(row)")
            }
            XCTAssertEqual(Double(row[3]) ?? .nan, want.3, accuracy: want.3 * 1e-12, "\(row)")
            XCTAssertEqual(Double(row[5]) ?? .nan, want.5, "\(row)")
        }
        let qc = try lims("sql", "SELECT label, qc_type, coalesce(crm_name, '') FROM qc_sample ORDER BY position", "--format", "csv")
        XCTAssertEqual(qc.stdout, "label,qc_type,\"coalesce(crm_name, '')\"\nBlank,blank,\nStd 1 mg/L,cal_std,\nOREAS 45d,crm,OREAS 45d\nLFB 1,spike,\nCCV,ccv,\n")
        let batches = try lims("batch", "list", "--format", "csv")
        XCTAssertTrue(batches.stdout.contains("\n1,results,horiba_ultima_ree.csv,profile:horiba-ultima,Horiba Ultima Expert,li.wei,"), batches.stdout)

        // A bad cell in a copy: located, and nothing written.
        let text = try String(contentsOfFile: export, encoding: .utf8).replacingOccurrences(of: "T-04;Sample;14/03/2019 10:32;2,5;-0,0007", with: "T-04;Sample;14/03/2019 10:32;2,5;-0,0007q")
            .replacingOccurrences(of: "T-05;Sample;14/03/2019 10:36;1;", with: "T-05;Sample;14/03/2019 10:36;0;")
        try text.write(to: dir.appendingPathComponent("bad_run.csv"), atomically: true, encoding: .utf8)
        let before = try lims("status", "--format", "csv").stdout
        let bad = try lims("import", "results", "bad_run.csv", "--profile", "horiba-ultima")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("bad_run.csv:12:5: error: Ce 413.380: \"-0,0007q\" is not a number"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad_run.csv:14:4: error: Dil: \"0\" is not a dilution factor; expected a number > 0"), bad.stderr)
        XCTAssertEqual(try lims("status", "--format", "csv").stdout, before)

        let removed = try lims("import-profile", "remove", "horiba-ultima")
        XCTAssertEqual(removed.exitCode, 0, removed.stderr)
        XCTAssertEqual(try lims("import-profile", "show", "horiba-ultima").exitCode, 1)
    }

    func testQCRulesCommands() throws {
        let list = try lims("qc-rules", "list", "--format", "csv")
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertTrue(list.stdout.hasPrefix("id,priority,applies_to,match,pattern,qc_type,crm,builtin,enabled,note\n1,10,label,word,DNU,dnu,no,yes,yes,"), list.stdout)
        let added = try lims("qc-rules", "add", "Kaolin", "--match", "prefix", "--crm", "--note", "in-house RM")
        XCTAssertEqual(added.exitCode, 0, added.stderr)
        XCTAssertEqual(added.stdout, "Added QC rule 81: label prefix \"Kaolin\" → crm (priority 25).\n")
        XCTAssertEqual(try lims("qc-rules", "add", "X", "--crm", "--type", "blank").exitCode, 64)
        XCTAssertEqual(try lims("qc-rules", "add", "X").exitCode, 64)
        XCTAssertEqual(try lims("qc-rules", "add", "X", "--type", "istd").exitCode, 64)
        let builtin = try lims("qc-rules", "remove", "1")
        XCTAssertTrue(builtin.stdout.hasPrefix("Disabled built-in QC rule 1: label word \"DNU\" → dnu"), builtin.stdout)
        XCTAssertFalse(try lims("qc-rules", "list", "--format", "csv").stdout.contains("\n1,10,"), "a disabled rule is listed only with --all")
        XCTAssertTrue(try lims("qc-rules", "list", "--all", "--format", "csv").stdout.contains("\n1,10,label,word,DNU,dnu,no,yes,no,"))
        XCTAssertEqual(try lims("qc-rules", "enable", "1").stdout, "Enabled QC rule 1: label word \"DNU\" → dnu.\n")
        XCTAssertEqual(try lims("qc-rules", "remove", "81").stdout, "Removed QC rule 81: label prefix \"Kaolin\" → crm.\n")
        XCTAssertEqual(try lims("qc-rules", "remove", "abc").exitCode, 64)
        XCTAssertEqual(try lims("qc-rules", "remove", "81").exitCode, 1)
    }
}
