import XCTest
import LIMSStore
import LIMSTestSupport

/// `lims import KIND FILE` end to end through the built binary: exit codes, stdout, stderr,
/// and the database left unchanged on every refusal.
final class SheetCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-sheets")
        // Fixtures are copied beside the database so messages show short relative names.
        for folder in ["lab", "bad"] {
            let source = TestSupport.fixture("sheets/\(folder)")
            let target = dir.appendingPathComponent(folder)
            try FileManager.default.copyItem(at: source, to: target)
        }
        XCTAssertEqual(try lims("init").exitCode, 0)
    }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    func status() throws -> String { try lims("status", "--format", "csv").stdout }

    func importLab(_ kinds: [String]) throws {
        for kind in kinds {
            let file = kind == "fractions" ? "lab/fractions.tsv" : "lab/\(kind).csv"
            let result = try lims("import", kind, file)
            XCTAssertEqual(result.exitCode, 0, "\(kind): \(result.stderr)")
        }
    }

    func testImportPrintsAOneScreenSummaryAndRecordsTheBatch() throws {
        try importLab(["sites", "treatments", "plots", "samples"])
        let result = try lims("import", "extractions", "lab/extractions.csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(4)), [
            "Imported lab/extractions.csv (extractions sheet, 3 rows) as batch 5.",
            "  sample: 3 inserted",
            "  cacl2_extraction: 3 inserted",
            "  samples: 6 referred to, 3 newly registered",
        ])
        XCTAssertTrue(lines[4].hasPrefix("  operator li.wei, SHA-256 "), lines[4])
        XCTAssertEqual(Array(lines.suffix(3)), [
            "1 warning(s):", "  lab/extractions.csv:4:7: warning: ratio 1:2 but the masses give 1:2.5 (25 / 10)", ""])
        XCTAssertLessThan(lines.count, 25, "one screen")
        let list = try lims("sample", "list", "--type", "extract", "--format", "csv")
        XCTAssertEqual(list.stdout, """
            code,type,treatment,plot,parent,depth_top_cm,depth_bottom_cm,collected_on,mass_g
            C1-S-E1,extract,control,C1,C1-S,,,,
            C2-S-E1,extract,control,C2,C2-S,,,,
            M1-S-E1,extract,miscanthus,M1,M1-S,,,,

            """)
    }

    func testEveryBadCellOfARowIsReportedInOnePassAndNothingIsWritten() throws {
        try importLab(["sites", "treatments", "plots", "samples"])
        let before = try status()
        let result = try lims("import", "samples", "bad/samples-every-bad-cell.csv")
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertEqual(result.stdout, "")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        // Row 2: plot, parent, type, both depths, date and mass; row 3: date and mass.
        XCTAssertEqual(lines.filter { $0.hasPrefix("bad/samples-every-bad-cell.csv:2:") }.map { $0.split(separator: ":")[2] },
                       ["2", "3", "4", "5", "6", "7", "8"], result.stderr)
        XCTAssertEqual(lines.filter { $0.hasPrefix("bad/samples-every-bad-cell.csv:3:") }.count, 2, result.stderr)
        XCTAssertEqual(lines.last, "9 error(s); nothing was written")
        XCTAssertEqual(try status(), before)
    }

    /// A lab sheet saved from Excel as .xlsx (make_sheet_workbooks.py) registers what its CSV registers;
    /// a bad cell is named by sheet and cell, and nothing is written.
    func testWorkbookLabSheetImportsLikeItsCSV() throws {
        try importLab(["sites", "treatments", "plots"])
        let before = try status()
        let bad = try lims("import", "samples", "bad/samples-text-in-number.xlsx")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("bad/samples-text-in-number.xlsx:Samples!H2: error: mass_g: \"about 850\" is not valid; expected a number in g"), bad.stderr)
        XCTAssertEqual(try status(), before)
        let workbook = try lims("import", "samples", "lab/samples.xlsx")
        XCTAssertEqual(workbook.exitCode, 0, workbook.stderr)
        let fromWorkbook = try lims("sample", "list", "--format", "csv").stdout
        // The CSV of the same sheet then changes nothing (same samples, same values).
        let csv = try lims("import", "samples", "lab/samples.csv", "--replace")
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        XCTAssertEqual(try lims("sample", "list", "--format", "csv").stdout, fromWorkbook)
        XCTAssertTrue(fromWorkbook.contains("C1-S,bulk,control,C1,,0,10,2018-07-10,850"), fromWorkbook)
    }

    func testReimportIsRefusedReplaceUpdatesAndDryRunWritesNothing() throws {
        try importLab(["sites", "treatments", "plots", "samples"])
        let before = try status()

        // Same file again: refused, exit 1, nothing written.
        let again = try lims("import", "samples", "lab/samples.csv")
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertEqual(again.stdout, "")
        XCTAssertTrue(again.stderr.hasPrefix("Error: lab/samples.csv was already imported as batch 4 (samples sheet samples.csv, "), again.stderr)
        XCTAssertTrue(again.stderr.hasSuffix("by li.wei) with the same content (SHA-256 \(String(try sha(of: "lab/samples.csv").prefix(12)))…); nothing was written. Use --replace to replace that batch\n"), again.stderr)
        XCTAssertEqual(try status(), before)

        // A corrected sheet under the same name: M1-S mass 910 → 905.
        let corrected = try String(contentsOf: dir.appendingPathComponent("lab/samples.csv"), encoding: .windowsCP1252)
            .replacingOccurrences(of: "M1-S,M1,,bulk,0,10,2018-07-11,910,", with: "M1-S,M1,,bulk,0,10,2018-07-11,905,")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("v2"), withIntermediateDirectories: true)
        try corrected.data(using: .windowsCP1252)!.write(to: dir.appendingPathComponent("v2/samples.csv"))

        let refused = try lims("import", "samples", "v2/samples.csv")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stderr, """
            v2/samples.csv:6:1: error: code: sample M1-S already exists with other values (mass_g: 910 → 905); import the corrected sheet with --replace to update it
            1 error(s); nothing was written

            """)
        XCTAssertEqual(try status(), before)

        let dry = try lims("import", "samples", "v2/samples.csv", "--replace", "--dry-run")
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.hasPrefix("Dry run: v2/samples.csv (samples sheet, 8 rows) would be imported as batch 5. Nothing was written.\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("  sample: 1 to update, 7 unchanged\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("  replaces batch 4 (would be marked replaced)\n"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("Would write:\n  update sample M1-S (line 6): mass_g: 910 → 905\n"), dry.stdout)
        XCTAssertEqual(try status(), before, "a dry run writes nothing")

        let replace = try lims("import", "samples", "v2/samples.csv", "--replace")
        XCTAssertEqual(replace.exitCode, 0, replace.stderr)
        XCTAssertTrue(replace.stdout.hasPrefix("Imported v2/samples.csv (samples sheet, 8 rows) as batch 5.\n  sample: 1 updated, 7 unchanged\n"), replace.stdout)
        XCTAssertTrue(replace.stdout.contains("  replaces batch 4 (now marked replaced)\n"), replace.stdout)
        let m1 = try lims("sample", "list", "--plot", "M1", "--format", "csv")
        XCTAssertTrue(m1.stdout.contains("M1-S,bulk,miscanthus,M1,,0,10,2018-07-11,905\n"), m1.stdout)

        // The database agrees: batch 4 replaced, batch 5 active and pointing to it; the change is audited.
        let store = try LabStore.open(path: dir.appendingPathComponent("lims.sqlite").path, mode: .readOnly)
        XCTAssertEqual(try store.batch(id: 4)?.status, "replaced")
        XCTAssertEqual(try store.batch(id: 5)?.replacesBatchID, 4)
        XCTAssertEqual(try store.batch(id: 5)?.operatorName, "li.wei")
        let sampleID = try XCTUnwrap(store.sample(code: "M1-S")).id
        let update = try XCTUnwrap(store.auditEntries(sampleID: sampleID).last)
        XCTAssertEqual(update.action, "update")
        XCTAssertEqual(update.oldValue, #"{"mass_g":910}"#)
        XCTAssertEqual(update.newValue, #"{"mass_g":905}"#)

        // Replacing again with the same content is allowed and changes no record.
        let same = try lims("import", "samples", "v2/samples.csv", "--replace")
        XCTAssertEqual(same.exitCode, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("  sample: 8 unchanged\n"), same.stdout)
    }

    func testEveryBadInputExitsOneWithALocatedErrorAndLeavesTheDatabaseUnchanged() throws {
        try importLab(["sites", "treatments", "plots", "samples"])
        let before = try status()
        let cases: [([String], String)] = [
            (["properties", "bad/properties-semicolon.csv", "--delimiter", ","],
             "bad/properties-semicolon.csv:1:1: error: the header \"sample;property;value;unit;method;measured_on\" is one column when split on ','; the file seems to use ';' as delimiter"),
            (["samples", "bad/samples-pipe.csv"], "bad/samples-pipe.csv:1:1: error: the header \"code|plot|"),
            (["properties", "bad/properties-too-many-fields.csv"],
             "bad/properties-too-many-fields.csv:3:7: error: this row has 7 fields but the header has 6"),
            (["samples", "bad/samples-too-few-fields.csv"],
             "bad/samples-too-few-fields.csv:3:7: error: this row has 6 field(s) but the header has 10"),
            (["samples", "bad/samples-text-in-number.csv"],
             "bad/samples-text-in-number.csv:2:8: error: mass_g: \"about 850\" is not valid; expected a number in g"),
            (["properties", "bad/properties-unknown-unit.csv"],
             "bad/properties-unknown-unit.csv:3:4: error: unit: \"ppm\" is not valid; expected a unit of CEC: cmol+/kg"),
            (["fractions", "bad/fractions-negative-mass.csv"],
             "bad/fractions-negative-mass.csv:3:6: error: mass_g: \"-1.2\" is not valid; expected a number ≥ 0 g"),
            (["properties", "bad/properties-unknown-sample.csv"],
             "bad/properties-unknown-sample.csv:3:1: error: sample: no sample \"C1-SS\" is registered; did you mean \"C1-S\""),
            (["samples", "bad/samples.xlsx"],
             "bad/samples.xlsx:1:1: error: this is a zip archive (an .xlsx workbook?) without its end-of-central-directory record: truncated or damaged; expected a complete .xlsx workbook"),
            (["samples", "bad/empty.csv"], "bad/empty.csv:1:1: error: the file is empty; expected a header row"),
            (["extractions", "bad/extractions-truncated.csv"],
             "bad/extractions-truncated.csv:2:11: error: a quoted field is not closed before the end of the file (truncated file?)"),
            (["samples", "bad/samples-many-errors.csv"], "bad/samples-many-errors.csv:3:6: error: depth_bottom_cm: \"10\""),
            (["samples", "bad/no-such-file.csv"], "bad/no-such-file.csv:1:1: error: cannot read the file"),
        ]
        for (arguments, firstLine) in cases {
            let result = try TestSupport.runLIMS(["import"] + arguments, in: dir)
            XCTAssertEqual(result.exitCode, 1, arguments.joined(separator: " "))
            XCTAssertEqual(result.stdout, "", arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.hasPrefix(firstLine), "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasSuffix("error(s); nothing was written\n"), result.stderr)
            XCTAssertEqual(try status(), before, arguments.joined(separator: " "))
        }
        let many = try lims("import", "samples", "bad/samples-many-errors.csv")
        XCTAssertEqual(many.stderr.split(separator: "\n").count, 6, "all five row errors, then the count")
    }

    func testDelimiterOption() throws {
        try importLab(["sites", "treatments", "plots", "samples"])
        let tab = try lims("import", "fractions", "lab/fractions.tsv", "--delimiter", "tab", "--dry-run")
        XCTAssertEqual(tab.exitCode, 0, tab.stderr)
        XCTAssertTrue(tab.stdout.contains("  size_fraction: 9 to insert\n"), tab.stdout)
        let bad = try lims("import", "fractions", "lab/fractions.tsv", "--delimiter", "x")
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.hasPrefix("Error: The value 'x' is invalid for '--delimiter'; expected ',', ';' or 'tab'.\n"), bad.stderr)
        let missing = try lims("import", "fractions")
        XCTAssertEqual(missing.exitCode, 64)
        XCTAssertTrue(missing.stderr.hasPrefix("Error: Missing expected argument '<file>'."), missing.stderr)
    }

    func testEveryKindHasAnImportSubcommandWithHelp() throws {
        let help = try lims("import", "--help")
        for kind in SheetRegistry.kinds {
            XCTAssertTrue(help.stdout.contains("\n  \(kind) "), kind)
            let sub = try lims("import", kind, "--help")
            XCTAssertEqual(sub.exitCode, 0)
            XCTAssertTrue(sub.stdout.contains("USAGE: lims import \(kind) [<options>] <file>"), sub.stdout)
            XCTAssertTrue(sub.stdout.contains("--dry-run") && sub.stdout.contains("--replace") && sub.stdout.contains("--delimiter <char>"))
        }
        let samples = try lims("import", "samples", "--help")
        XCTAssertTrue(samples.stdout.contains("code*,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description"),
                      samples.stdout)
    }

    func sha(of path: String) throws -> String {
        try FileFingerprint.of(dir.appendingPathComponent(path)).sha256
    }
}
