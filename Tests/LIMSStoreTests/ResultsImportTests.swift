import XCTest
import LIMSTestSupport
@testable import LIMSStore

/// The importer through its library API: real exports (counts), the project's own fixtures in each
/// format (traps), and every bad-input case (located error, database unchanged).
final class ResultsImportTests: XCTestCase {
    var store: LabStore!

    override func setUpWithError() throws {
        store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        for n in 1...3 {
            try store.addSample(Sample(code: "C\(n)-E", plotCode: "C\(n)", parentCode: "C\(n)-S", type: "extract"))
        }
    }

    func fixture(_ name: String) -> URL { TestSupport.fixture("instruments/\(name)") }

    /// `../shared` beside the package (merged tree) or beside the worktree folder (`/work/wt/NAME` → `/work/shared`).
    static func realExport(_ name: String) -> URL? {
        if let url = TestSupport.sharedInstrumentFixture(name) { return url }
        let url = TestSupport.packageRoot.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/instruments/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    func count(_ sql: String, _ args: [any SQLValueConvertible] = []) throws -> Int { try store.db.scalar(sql, args)?.int ?? -1 }

    func values(_ code: String, _ analyte: String) throws -> [Row] {
        try store.db.rows("""
            SELECT m.* FROM measurement m JOIN sample s ON s.id = m.sample_id
            WHERE s.code = ? AND m.analyte = ? AND m.status = 'valid' ORDER BY m.id
            """, [code, analyte])
    }

    func tableCounts() throws -> [String] { try store.tableCounts().map { "\($0.table)=\($0.count)" } }

    // MARK: Real exports

    /// Expected numbers printed by `python3 Tests/Fixtures/instruments/count_real_exports.py ../shared/fixtures/instruments`
    /// (python csv module, independent of the Swift readers):
    ///   masshunter: samples=53 analytes=69 qc_rows=57 sample_values=3657 qc_values=3933 censored=608
    ///   qtegra: samples=67 analytes=16 qc_rows=25 sample_values=1376 qc_values=400 censored=0
    ///   icp-expert: samples=64 analytes=3 qc_rows=24 sample_values=216 qc_values=71 censored=81
    ///   perkinelmer: samples=43 analytes=2 qc_rows=18 sample_values=90 qc_values=18 censored=0
    func testRealExportsImportWithIndependentlyCountedFigures() throws {
        let cases: [(String, ResultsFormat, UnitConversion.Matrix?, [Int])] = [
            ("agilent7900_masshunter_User_Raw.csv", .masshunter, nil, [53, 69, 57, 3657, 3933, 608]),
            ("thermo_qtegra_icpoes_semicolon_AR20200205Aliquots.csv", .qtegra, .solution, [67, 16, 25, 1376, 400, 0]),
            ("varian_vistapro_icpexpert_export.csv", .icpExpert, nil, [64, 3, 24, 216, 71, 81]),
            ("perkinelmer_winlab32_optima8300_PinAAcle900H.csv", .perkinElmer, nil, [43, 2, 18, 90, 18, 0]),
        ]
        for (name, format, matrix, expected) in cases {
            guard let url = Self.realExport(name) else { throw XCTSkip("../shared is absent") }
            // Sample names of other labs are not registered here: kept as unmatched records.
            let summary = try ResultsImport(store: store, url: url,
                                            options: ResultsImportOptions(matrix: matrix, allowUnmatched: true)).run()
            XCTAssertEqual(summary.format, format, name)
            XCTAssertEqual([summary.sampleCount, summary.analytes.count, summary.qcRowCount, summary.sampleValues,
                            summary.qcValues, summary.censoredCount], expected, name)
            let batch = try XCTUnwrap(try store.batch(id: try XCTUnwrap(summary.batchID)))
            XCTAssertEqual([batch.sampleCount, batch.qcCount, batch.censoredCount, batch.valueCount],
                           [expected[0], expected[2], expected[5], expected[3] + expected[4]], name)
            XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE batch_id = ?", [batch.id]), expected[3], name)
            XCTAssertEqual(try count("SELECT count(*) FROM qc_sample WHERE batch_id = ?", [batch.id]), expected[2], name)
        }
        // MassHunter specifics: ppb → mg/L with the original kept; <0.000 is `<` with no value; no CPS stored.
        let tb1 = try store.db.rows("SELECT * FROM measurement WHERE unmatched_name = 'TB1' AND analyte = 'La' AND isotope = 139")
        XCTAssertEqual(tb1.count, 1)
        XCTAssertEqual(tb1[0].string("original_unit"), "ppb")
        XCTAssertEqual(tb1[0].string("unit"), "mg/L")
        XCTAssertEqual(tb1[0].string("mode"), "No Gas")
        XCTAssertEqual(tb1[0].string("measured_at"), "2018-12-19T13:22:00")
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE qualifier = '<' AND value IS NOT NULL AND raw_text = '<0.000'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE analyte IN ('Sc', 'In')"), 0)
        // ICP Expert: Corr Con with the SECOND Units column; `x` + "-" is over range.
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE raw_text = '-' AND qualifier = '>' AND flags = 'x'"), 7)
        // PerkinElmer: negatives kept; 12 h times.
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE unmatched_name = 'ZK5 - 1 - H01' AND value < 0"), 4)
        XCTAssertEqual(try store.db.scalar("SELECT measured_at FROM measurement WHERE raw_text = '-0.073' AND unmatched_name = 'TC11 - 2 - H14'")?.string,
                       "2021-05-28T13:00:15")
    }

    // MARK: Own fixtures (traps)

    func testLongSheetConvertsUnitsAndOxidesAndKeepsQualifiers() throws {
        let summary = try ResultsImport(store: store, url: fixture("long_results_small.csv")).run()
        XCTAssertEqual([summary.sampleCount, summary.sampleValues, summary.censoredCount], [3, 7, 3])
        let la = try values("C1-S", "La")[0]
        XCTAssertEqual(la.double("value"), 45.2); XCTAssertEqual(la.double("detection_limit"), 0.05); XCTAssertEqual(la.string("unit"), "mg/kg")
        let ce = try values("C1-S", "Ce")[0]
        XCTAssertEqual(ce.string("qualifier"), "<"); XCTAssertNil(ce.double("value")); XCTAssertEqual(ce.double("detection_limit"), 0.05)
        // 5.0 wt% Fe2O3 → 5.0 * 10000 * 0.69943 mg/kg Fe (factor from atomic weights, python3: 2*55.845/159.687).
        let fe = try values("C1-S", "Fe")[0]
        XCTAssertEqual(fe.double("value") ?? 0, 5.0 * 10_000 * 0.699431, accuracy: 0.5)
        XCTAssertEqual(fe.double("original_value"), 5.0); XCTAssertEqual(fe.string("original_unit"), "wt%")
        XCTAssertEqual(try values("C2-S", "La")[0].string("qualifier"), "nd")
        // `<` in the qualifier column with a number: the number is the detection limit.
        let nd = try values("C2-S", "Nd")[0]
        XCTAssertEqual(nd.string("qualifier"), "<"); XCTAssertEqual(nd.double("detection_limit"), 0.12); XCTAssertNil(nd.double("value"))
        XCTAssertEqual(try values("C2-S", "Sm")[0].double("value"), -0.01)
        // An extract is a solution: 12.5 ppb → 0.0125 mg/L.
        let extract = try values("C1-E", "La")[0]
        XCTAssertEqual(extract.double("value") ?? 0, 0.0125, accuracy: 1e-12); XCTAssertEqual(extract.string("matrix"), "solution")
    }

    func testPerkinElmerWideWithBOMCRLFEmbeddedNewlinesRepeatedHeadersAndQCLabels() throws {
        let summary = try ResultsImport(store: store, url: fixture("perkinelmer_wide_small.csv")).run()
        XCTAssertEqual(summary.format, .perkinElmerWide)
        XCTAssertEqual(summary.dataRows, 7)
        XCTAssertEqual(summary.skippedRows, 3)  // one repeated header, Mean, SD
        XCTAssertEqual(summary.qcRows, ["cal_blank": 1, "ccv": 1, "crm": 1, "dnu": 1, "duplicate": 1])
        XCTAssertEqual(summary.matchedSamples, ["C1-E", "C2-E"])
        XCTAssertEqual(try values("C1-E", "Ce")[0].string("qualifier"), "na")
        XCTAssertEqual(try values("C2-E", "La")[0].double("value"), -0.0004)
        XCTAssertEqual(try values("C2-E", "La")[0].string("measured_at"), "2019-03-14T13:15:30")
        XCTAssertEqual(try store.db.scalar("SELECT duplicate_of FROM qc_sample WHERE qc_type = 'duplicate'")?.string, "C2-E")
        XCTAssertEqual(try count("SELECT count(*) FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE s.code = 'C3-E'"), 0)
    }

    func testMassHunterFromAFrenchExcelWithDecimalCommasRejectedRowsAndISTD() throws {
        let summary = try ResultsImport(store: store, url: fixture("masshunter_french_small.csv")).run()
        XCTAssertEqual(summary.qcRows, ["cal_blank": 1, "cal_std": 1, "dnu": 1, "other": 1])
        XCTAssertEqual(summary.internalStandards, ["In 115 [No Gas]"])
        XCTAssertEqual(summary.skippedCells["CPS"], 12)
        // 1,25E+01 ppb → 0.0125 mg/L.
        XCTAssertEqual(try values("C1-E", "La")[0].double("value") ?? 0, 0.0125, accuracy: 1e-12)
        XCTAssertEqual(try values("C1-E", "Ce")[0].string("qualifier"), "<")
        // The VRAI (rejected) acquisition of C2-E is a DNU QC row; only the good one is a result.
        XCTAssertEqual(try values("C2-E", "La").map { $0.double("value") ?? 0 }, [0.0034])
    }

    func testQtegraTabDelimitedAndICPExpertTwoUnitsColumns() throws {
        let q = try ResultsImport(store: store, url: fixture("qtegra_tab_small.csv")).run()
        XCTAssertEqual(q.format, .qtegra)
        XCTAssertEqual(try values("C1-E", "Ce")[0].double("value") ?? 0, 0.03025, accuracy: 1e-12)
        XCTAssertEqual(try values("C2-E", "Ce")[0].double("value") ?? 0, 0.015, accuracy: 1e-12)
        let ie = try ResultsImport(store: store, url: fixture("icpexpert_small.csv"), options: .init(dateOrder: .mdy)).run()
        XCTAssertEqual(ie.format, .icpExpert)
        let la = try values("C1-E", "La").last!
        // Corr Con 0.125 in the second Units column (ug/L) → 0.000125 mg/L.
        XCTAssertEqual(la.double("value") ?? 0, 0.000125, accuracy: 1e-12)
        XCTAssertEqual(la.string("original_unit"), "ug/L")
        XCTAssertEqual(la.string("measured_at"), "2016-08-02T14:22:31")
        XCTAssertEqual(try values("C1-E", "Ce").last?.string("qualifier"), "<")
        XCTAssertEqual(try values("C2-E", "La").last?.string("qualifier"), ">")
    }

    func testDilutionMultipliesValuesAndDetectionLimits() throws {
        let summary = try ResultsImport(store: store, url: fixture("long_results_small.csv"), options: .init(dilution: 10)).run()
        XCTAssertEqual(summary.dilution, 10)
        let la = try values("C1-S", "La")[0]
        XCTAssertEqual(la.double("value") ?? 0, 452, accuracy: 1e-9); XCTAssertEqual(la.double("detection_limit") ?? 0, 0.5, accuracy: 1e-12)
        XCTAssertEqual(la.double("original_value"), 45.2); XCTAssertEqual(la.double("dilution_factor"), 10)
    }

    // MARK: Re-import, replace, dry run

    func testSameFileIsRefusedUnlessReplaceWhichRetiresTheOldValues() throws {
        let url = fixture("long_results_small.csv")
        let first = try ResultsImport(store: store, url: url).run()
        XCTAssertThrowsError(try ResultsImport(store: store, url: url).run()) { error in
            XCTAssertTrue("\(error)".contains("already imported as batch \(first.batchID!)"), "\(error)")
        }
        let second = try ResultsImport(store: store, url: url, options: .init(replace: true)).run()
        XCTAssertEqual(second.replacedBatchID, first.batchID)
        XCTAssertEqual(try store.batch(id: first.batchID!)?.status, "replaced")
        XCTAssertEqual(try store.batch(id: second.batchID!)?.replacesBatchID, first.batchID)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE batch_id = ? AND status = 'retired'", [first.batchID!]), 7)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE status = 'valid'"), 7)
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log WHERE action = 'replace' AND batch_id = ?", [second.batchID!]), 1)
    }

    /// An import of many values goes to the database in batches (BulkInsert, 4096 rows a statement):
    /// every value in its place, in file order, each QC value on its own QC row even where a run
    /// spans two batches — and replacing it (one UPDATE of all its rows, a statement journal of
    /// several MB) works too.
    func testAnImportOfManyBatchesKeepsEveryValueInPlaceAndCanBeReplaced() throws {
        let elements = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y",
                        "Sc", "Th", "U", "Fe", "Al", "Mn", "Zn", "Cu", "Pb", "Ni", "Co", "Cr", "V", "Ba", "Sr", "Rb"]
        let samples = ["C1-S", "C2-S", "C3-S", "M1-S", "M2-S", "M3-S", "R1-S", "R2-S", "R3-S"]
        var text = "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
        var expected: [(label: String, qc: Bool)] = []
        for run in 0..<500 {
            let qc = run % 7 == 3
            let label = qc ? "CCV" : samples[run % samples.count]
            expected.append((label, qc))
            for (k, element) in elements.enumerated() {
                text += "\(label),\(element),\(k == 4 ? "<0.05" : "\(run).\(k)"),mg/kg,,,ICP-MS,2019-03-14\n"
            }
        }
        let url = TestSupport.temporaryDirectory().appendingPathComponent("many.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let summary = try ResultsImport(store: store, url: url).run()
        let qcRuns = expected.filter(\.qc).count, sampleRuns = expected.count - qcRuns
        XCTAssertEqual(summary.sampleValues, sampleRuns * elements.count)
        XCTAssertEqual(summary.qcValues, qcRuns * elements.count)
        let batch = summary.batchID!
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE batch_id = ?", [batch]), sampleRuns * elements.count)
        // File order: ids follow the file's rows and columns.
        let rows = try store.db.rows("SELECT m.source_row, m.analyte, m.value, m.raw_text, m.qualifier, s.code FROM measurement m "
                                     + "JOIN sample s ON s.id = m.sample_id WHERE m.batch_id = ? ORDER BY m.id", [batch])
        XCTAssertEqual(rows.map { $0.int("source_row")! }, rows.map { $0.int("source_row")! }.sorted())
        for row in rows {
            let line = row.int("source_row")!, run = (line - 2) / elements.count, k = (line - 2) % elements.count
            XCTAssertEqual(row.string("code"), expected[run].label, "line \(line)")
            XCTAssertEqual(row.string("analyte"), elements[k], "line \(line)")
            XCTAssertEqual(row.string("raw_text"), k == 4 ? "<0.05" : "\(run).\(k)", "line \(line)")
            XCTAssertEqual(row.string("qualifier"), k == 4 ? "<" : "=", "line \(line)")
        }
        // Each QC row holds exactly its own run's values.
        let qcRows = try store.db.rows("""
            SELECT q.id, q.position, min(v.source_row) AS first, max(v.source_row) AS last, count(*) AS n
            FROM qc_sample q JOIN qc_measurement v ON v.qc_sample_id = q.id WHERE q.batch_id = ? GROUP BY q.id ORDER BY q.id
            """, [batch])
        XCTAssertEqual(qcRows.count, qcRuns)
        for row in qcRows {
            let run = row.int("position")! - 1
            XCTAssertTrue(expected[run].qc)
            XCTAssertEqual(row.int("n"), elements.count)
            XCTAssertEqual(row.int("first"), 2 + run * elements.count)
            XCTAssertEqual(row.int("last"), 1 + (run + 1) * elements.count)
        }

        let again = try ResultsImport(store: store, url: url, options: .init(replace: true)).run()
        XCTAssertEqual(again.replacedBatchID, batch)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE batch_id = ? AND status = 'retired'", [batch]), sampleRuns * elements.count)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE status = 'valid'"), sampleRuns * elements.count)
    }

    func testDryRunWritesNothing() throws {
        let before = try tableCounts()
        let plan = try ResultsImport(store: store, url: fixture("perkinelmer_wide_small.csv")).plan()
        XCTAssertTrue(plan.dryRun); XCTAssertNil(plan.batchID)
        XCTAssertEqual(plan.sampleValues, 4); XCTAssertEqual(plan.qcRowCount, 5)
        XCTAssertEqual(try tableCounts(), before)
    }

    // MARK: Bad input

    func assertRejected(_ name: String, options: ResultsImportOptions = .init(), _ expected: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try tableCounts()
        XCTAssertThrowsError(try ResultsImport(store: store, url: fixture(name), options: options).run(), file: file, line: line) { error in
            let text = (error as? DiagnosticError)?.diagnosticLines.joined(separator: "\n") ?? "\(error)"
            for part in expected { XCTAssertTrue(text.contains(part), "\(part) not in: \(text)", file: file, line: line) }
        }
        XCTAssertEqual(try tableCounts(), before, "database changed", file: file, line: line)
    }

    func testEveryBadInputNamesFileLineColumnValueAndChangesNothing() throws {
        try assertRejected("bad/text_in_number.csv", ["text_in_number.csv:2:3: error: value: \"abc\" is not a number; expected a number"])
        try assertRejected("bad/unknown_unit.csv", ["unknown_unit.csv:2:4: error: unknown unit \"furlongs\"; expected one of"])
        try assertRejected("bad/field_count.csv", ["field_count.csv:2:5: error: this row has 5 fields but the header has 4",
                                                    "field_count.csv:3:2: error: this row has 2 fields but the header has 4"])
        try assertRejected("bad/unknown_sample.csv", ["unknown_sample.csv:2:1: error: sample \"ZZ-9\" is not registered", "nothing was written"])
        try assertRejected("bad/empty.csv", ["empty.csv:1:1: error: the file is empty"])
        try assertRejected("bad/header_only.csv", ["header_only.csv:1:1: error: the file has a header but no data rows"])
        try assertRejected("bad/truncated.csv", ["truncated.csv:2:3: error: a quoted field is not closed before the end of the file"])
        try assertRejected("bad/not_csv.csv", ["not_csv.csv:1:1: error: this is a zip archive"])
        try assertRejected("bad/ppm_ambiguous.csv", ["ppm_ambiguous.csv:2:4: error: the unit \"ppm\" is ambiguous", "--matrix solution"])
        try assertRejected("bad/negative_mass.csv", ["negative_mass.csv:2:7: error: Act Wgt: \"-0.25\" is not valid; expected a positive number in g"])
        // Wrong delimiter: a `;` file read with `,` has one field per row and no known header.
        try assertRejected("masshunter_french_small.csv", options: .init(delimiter: ","), ["cannot tell which instrument wrote this file", "--delimiter"])
        // A day > 12 read month-first when --date-order mdy was GIVEN: an error naming both orders.
        var monthFirst = ResultsImportOptions(dateOrder: .mdy)
        monthFirst.dateOrderIsExplicit = true
        try assertRejected("masshunter_french_small.csv", options: monthFirst,
                           ["\"19/12/2018 10:42\" is not a valid date in the order given (--date-order mdy); it reads as dmy",
                            "note: read as Agilent MassHunter batch table (detected: row 2 names Sample Name"])
        // A wide export whose headers name no unit.
        try assertRejected("bad/wide_without_units.csv", ["wide_without_units.csv:1:2: error: La 139: no unit; expected a unit in the header",
                                                          "wide_without_units.csv:1:3: error: Ce 140: no unit"])
        // A solid unit given for a solution by --matrix.
        try assertRejected("long_results_small.csv", options: .init(matrix: .solution), ["is a solid unit but"])
    }

    func testProgressIsReportedUpToTheFileSize() throws {
        final class Seen: @unchecked Sendable { var calls: [(Int, Int64)] = [] }
        let seen = Seen()
        var options = ResultsImportOptions()
        options.progress = { read, total in seen.calls.append((read, total)) }
        try ResultsImport(store: store, url: fixture("long_results_small.csv"), options: options).run()
        let size = try FileManager.default.attributesOfItem(atPath: fixture("long_results_small.csv").path)[.size] as! Int
        XCTAssertEqual(seen.calls.last?.0, size)
        XCTAssertEqual(seen.calls.last?.1, Int64(size))
    }

    func testGluedDSuffixIsADuplicateOnlyAfterItsOriginal() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("dups.csv")
        try "sample,analyte,value,unit\nC1-S,La,40,mg/kg\nC1-SD,La,41,mg/kg\nGA02D,La,5,mg/kg\n".write(to: url, atomically: true, encoding: .utf8)
        let summary = try ResultsImport(store: store, url: url, options: .init(allowUnmatched: true)).run()
        XCTAssertEqual(summary.qcRows, ["duplicate": 1])
        XCTAssertEqual(summary.unmatchedNames, ["GA02D"])
        XCTAssertEqual(try store.db.scalar("SELECT duplicate_of FROM qc_sample WHERE label = 'C1-SD'")?.string, "C1-S")
    }

    func testReplaceWithoutAnEarlierImportSaysSo() throws {
        let summary = try ResultsImport(store: store, url: fixture("long_results_small.csv"), options: .init(replace: true)).run()
        XCTAssertNil(summary.replacedBatchID)
        XCTAssertTrue(summary.warnings.contains { $0.contains("no earlier import of this file") }, "\(summary.warnings)")
    }

    func testManyErrorsAreListedUpToAHundredAndCounted() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("many.csv")
        let rows = (1...150).map { "C1-S,La,bad\($0),mg/kg" }.joined(separator: "\n")
        try ("sample,analyte,value,unit\n" + rows + "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResultsImport(store: store, url: url).run()) { error in
            let lines = (error as? DiagnosticError)?.diagnosticLines ?? []
            XCTAssertEqual(lines.count, 103)  // 100 errors, the count of the others, the reader note, the closing line
            XCTAssertTrue(lines[100].hasSuffix("… and 50 more errors not shown"), lines[100])
            XCTAssertEqual(lines[101], "note: read as long results sheet (detected: row 1 has the columns sample, analyte, value, unit); if that is wrong, give --format or --profile")
        }
        XCTAssertEqual(try count("SELECT count(*) FROM import_batch"), 0)
    }

    func testUnmatchedNamesAreKeptOnlyWithAllowUnmatched() throws {
        let summary = try ResultsImport(store: store, url: fixture("bad/unknown_sample.csv"), options: .init(allowUnmatched: true)).run()
        XCTAssertEqual(summary.unmatchedNames, ["ZZ-9"])
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE sample_id IS NULL AND unmatched_name = 'ZZ-9'"), 1)
    }
}
