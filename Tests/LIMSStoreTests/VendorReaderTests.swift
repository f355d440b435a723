import XCTest
import LIMSTestSupport
@testable import LIMSStore

/// The readers added for the exports labs really have (issue #12): Shimadzu ICPE, Horiba, XRF
/// (Rigaku, Bruker), Syngistix header blocks and flagged cells, ICP-MS/MS mass pairs, Qtegra
/// internal-standard recovery, WinLab32 without units. Own fixtures (always run, values invented,
/// written in each vendor's real layout) and the shared real exports (counted independently).
final class VendorReaderTests: XCTestCase {
    var store: LabStore!

    override func setUpWithError() throws {
        store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        for n in 1...3 {
            try store.addSample(Sample(code: "C\(n)-E", plotCode: "C\(n)", parentCode: "C\(n)-S", type: "extract"))
        }
    }

    func fixture(_ name: String) -> URL { TestSupport.fixture("instruments/second-round/\(name)") }

    func count(_ sql: String, _ args: [any SQLValueConvertible] = []) throws -> Int { try store.db.scalar(sql, args)?.int ?? -1 }

    func value(_ code: String, _ analyte: String) throws -> Row {
        try XCTUnwrap(try store.db.firstRow("""
            SELECT m.* FROM measurement m JOIN sample s ON s.id = m.sample_id
            WHERE s.code = ? AND m.analyte = ? AND m.status = 'valid' ORDER BY m.id
            """, [code, analyte]), "\(code) \(analyte)")
    }

    func tableCounts() throws -> [String] { try store.tableCounts().map { "\($0.table)=\($0.count)" } }

    // MARK: Own fixtures

    func testBrukerXRFConvertsOxidesWithTheirFactorsAndReadsDecimalCommas() throws {
        let summary = try ResultsImport(store: store, url: fixture("bruker_s8_xrf_small.csv")).run()
        XCTAssertEqual(summary.format, .xrf)
        XCTAssertEqual([summary.sampleCount, summary.sampleValues, summary.skippedRows, summary.censoredCount], [2, 14, 2, 1])
        XCTAssertEqual(summary.matrices, ["solid"])
        XCTAssertTrue(summary.unitConversions.contains("Tb4O7 % → Tb mg/kg (× 0.8502192686 Tb4O7→Tb)"), "\(summary.unitConversions)")
        // Independent (python3): Tb fraction of Tb4O7 = 4*158.93 / (4*158.93 + 7*15.999) = 0.850219;
        // 0.0120 % × 10 000 × 0.850219 = 102.0263 mg/kg. Pr6O11: 6*140.91/(6*140.91+11*15.999) = 0.827707.
        let tb = try value("C1-S", "Tb")
        XCTAssertEqual(tb.double("value") ?? 0, 102.0263, accuracy: 1e-3)
        XCTAssertEqual(tb.double("original_value"), 0.012)
        XCTAssertEqual(tb.string("original_unit"), "%")
        XCTAssertEqual(tb.string("method"), "XRF")
        XCTAssertEqual(tb.string("measured_at"), "2019-03-14T10:12:00")
        XCTAssertEqual(try value("C2-S", "Pr").double("value") ?? 0, 0.0420 * 10_000 * 0.827707, accuracy: 1e-2)
        // ppm in an XRF table is mg/kg; `<5` is below a detection limit of 5 mg/kg.
        XCTAssertEqual(try value("C1-S", "Nd").double("value"), 310)
        let y = try value("C1-S", "Y")
        XCTAssertEqual(y.string("qualifier"), "<"); XCTAssertNil(y.double("value")); XCTAssertEqual(y.double("detection_limit"), 5)
        // The error column and the statistics rows are not values.
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE raw_text IN ('0,05', '60,50')"), 0)
    }

    func testHoribaBlocksAreReadByContentWithFlagsKept() throws {
        let summary = try ResultsImport(store: store, url: fixture("horiba_short_report_small.csv")).run()
        XCTAssertEqual(summary.format, .horiba)
        XCTAssertEqual([summary.sampleCount, summary.sampleValues, summary.qcRowCount, summary.qcValues], [2, 4, 1, 2])
        XCTAssertEqual(summary.qcRows, ["ccv": 1])
        let ce = try value("C1-E", "Ce")
        XCTAssertEqual(ce.double("value"), -0.005); XCTAssertEqual(ce.string("flags"), "X"); XCTAssertEqual(ce.string("qualifier"), "=")
        XCTAssertEqual(ce.string("measured_at"), "2015-03-10T18:45:00")
        XCTAssertEqual(ce.double("wavelength_nm"), 413.38)
        let censored = try value("C2-E", "Ce")
        XCTAssertEqual(censored.string("qualifier"), "<"); XCTAssertEqual(censored.double("detection_limit"), 0.002)
        XCTAssertEqual(try value("C2-E", "La").string("flags"), "Q")
        XCTAssertTrue(summary.warnings.contains { $0.contains("Horiba flags") }, "\(summary.warnings)")
    }

    func testQtegraRecoveryColumnBecomesInternalStandardQCData() throws {
        let summary = try ResultsImport(store: store, url: fixture("qtegra_istd_small.csv")).run()
        XCTAssertEqual(summary.internalStandardReadings, 3)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE analyte = 'Sc'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM qc_measurement WHERE analyte = 'Sc'"), 0)
        let reading = try XCTUnwrap(try store.db.firstRow("""
            SELECT r.* FROM internal_standard_reading r JOIN sample s ON s.id = r.sample_id WHERE s.code = 'C1-E'
            """))
        XCTAssertEqual(reading.string("quantity"), "recovery"); XCTAssertEqual(reading.double("value"), 97.8)
        XCTAssertEqual(reading.string("unit"), "Y (%)"); XCTAssertEqual(reading.string("analyte"), "Sc")
        XCTAssertEqual(try count("SELECT count(*) FROM internal_standard_reading WHERE qc_sample_id IS NOT NULL"), 1)
        // Decimal commas in a `;` file: 12,5 ppb → 0.0125 mg/L.
        XCTAssertEqual(try value("C1-E", "La").double("value") ?? 0, 0.0125, accuracy: 1e-12)
    }

    func testSyngistixMetadataBlocksAndFlaggedCells() throws {
        let summary = try ResultsImport(store: store, url: fixture("syngistix_blocks_small.csv")).run()
        XCTAssertEqual(summary.format, .perkinElmerWide)
        XCTAssertEqual(summary.qcRows, ["blank": 1, "crm": 1, "duplicate": 1])
        XCTAssertEqual([summary.sampleCount, summary.sampleValues, summary.qcValues, summary.skippedRows], [3, 7, 7, 2])
        XCTAssertTrue(summary.warnings.contains("metadata columns not imported: \"R\", \"QC Status\", \"Dataset File\", \"Method File\""), "\(summary.warnings)")
        XCTAssertTrue(summary.warnings.contains { $0.contains("2 header blocks") }, "\(summary.warnings)")
        let bracketed = try value("C1-E", "Ce")
        XCTAssertEqual(bracketed.double("value"), 12.3); XCTAssertEqual(bracketed.string("flags"), "[]")
        XCTAssertEqual(bracketed.string("raw_text"), "[12.3]"); XCTAssertEqual(bracketed.string("qualifier"), "=")
        let negative = try value("C2-E", "La")
        XCTAssertEqual(negative.double("value"), -1298); XCTAssertEqual(negative.string("raw_text"), "-[1298]")
        let saturated = try value("C2-E", "Ce")
        XCTAssertEqual(saturated.string("qualifier"), ">"); XCTAssertNil(saturated.double("value")); XCTAssertEqual(saturated.string("flags"), "S")
        // The second block has its own analytes: Nd and Y for C3-E, nothing read from the first block's columns.
        XCTAssertEqual(try value("C3-E", "Nd").double("value"), 0.0311)
        XCTAssertEqual(try value("C3-E", "Y").string("qualifier"), ">")
        XCTAssertEqual(try count("SELECT count(*) FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE s.code = 'C3-E' AND m.analyte = 'La'"), 0)
        XCTAssertEqual(try store.db.scalar("SELECT crm_name FROM qc_sample WHERE qc_type = 'crm'")?.string, "OREAS 45d")
        XCTAssertEqual(try store.db.scalar("SELECT measured_at FROM measurement WHERE raw_text = '0.0311'")?.string, "2019-03-14T13:15:30")
    }

    func testMSMSMassPairsKeepTheIsotopeAndTheShift() throws {
        let summary = try ResultsImport(store: store, url: fixture("masshunter_msms_small.csv")).run()
        XCTAssertEqual(summary.format, .masshunter)
        let la = try value("C1-E", "La")
        XCTAssertEqual(la.int("isotope"), 139); XCTAssertEqual(la.string("mode"), "No Gas MS")
        let ce = try value("C1-E", "Ce")
        XCTAssertEqual(ce.int("isotope"), 140); XCTAssertEqual(ce.string("mode"), "O2, 140→156")
        XCTAssertEqual(ce.double("value") ?? 0, 0.0301, accuracy: 1e-12)
        XCTAssertEqual(AnalyteName.parse("24 -> 24  Mg  [ No Gas MS ] ")?.key, "Mg 24 [No Gas MS]")
        XCTAssertEqual(AnalyteName.parse("75 -> 91  As  [ O2 ]")?.key, "As 75 [O2, 75→91]")
        XCTAssertNil(AnalyteName.parse("x -> 24 Mg"))
    }

    func testShimadzuWithoutHeaderAndDateOrderProvedByADayOver12() throws {
        let summary = try ResultsImport(store: store, url: fixture("shimadzu_icpe_small.txt")).run()
        XCTAssertEqual(summary.format, .shimadzuICPE)
        XCTAssertEqual(summary.qcRows, ["cal_blank": 1, "cal_std": 1, "ccv": 1])
        let la = try value("C1-E", "La")
        XCTAssertEqual(la.double("value") ?? 0, 0.0125, accuracy: 1e-12)
        XCTAssertEqual(la.string("measured_at"), "2016-09-23T12:45:00")
        XCTAssertTrue(summary.warnings.contains { $0.hasPrefix("dates read as mdy: \"9/23/2016 11:54:59 AM\" (line 1, column 4)") }, "\(summary.warnings)")
        XCTAssertEqual(summary.skippedCells["intensities (columns 32-44)"], 30)
    }

    func testAmbiguousDatesAreReadAsTheDefaultWithAWarningNamingTheOtherOrder() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("ambiguous.csv")
        try "Sample ID,Analyte Name,Date,Time,Reported Conc (Calib),Units\nC1-E,La 408.672,4/7/2023,1:05:00 PM,0.5,mg/L\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let summary = try ResultsImport(store: store, url: url).run()
        XCTAssertEqual(try value("C1-E", "La").string("measured_at"), "2023-07-04T13:05:00")
        XCTAssertTrue(summary.warnings.contains("dates such as \"4/7/2023\" read as dmy (2023-07-04T13:05:00): no day > 12 in the file decides; give --date-order mdy if the instrument wrote them month first"), "\(summary.warnings)")
    }

    func testTitleRowsAboveTheHeaderAreSetAsideAndNamed() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("titled.csv")
        try "WinLab32 report,Method: REE-OES\n\nSample ID,Analyte Name,Reported Conc (Calib),Units\nC1-E,La 408.672,0.5,mg/L\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let summary = try ResultsImport(store: store, url: url).run()
        XCTAssertEqual(summary.format, .perkinElmer)
        XCTAssertTrue(summary.formatReason.hasSuffix("after 1 title row(s)"), summary.formatReason)
        XCTAssertTrue(summary.warnings.contains("1 title row(s) above the header not imported: \"WinLab32 report Method: REE-OES\""), "\(summary.warnings)")
        XCTAssertEqual(try value("C1-E", "La").double("value"), 0.5)
    }

    // MARK: Bad input: located, the reader named, nothing written

    func assertRejected(_ url: URL, options: ResultsImportOptions = .init(), _ expected: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try tableCounts()
        XCTAssertThrowsError(try ResultsImport(store: store, url: url, options: options).run(), file: file, line: line) { error in
            let text = (error as? DiagnosticError)?.diagnosticLines.joined(separator: "\n") ?? "\(error)"
            for part in expected { XCTAssertTrue(text.contains(part), "\(part) not in: \(text)", file: file, line: line) }
        }
        XCTAssertEqual(try tableCounts(), before, "database changed", file: file, line: line)
    }

    func write(_ text: String, _ name: String) throws -> URL {
        let url = TestSupport.temporaryDirectory().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testBadVendorFilesAreLocatedAndNameTheReader() throws {
        var explicit = ResultsImportOptions(dateOrder: .dmy)
        explicit.dateOrderIsExplicit = true
        try assertRejected(fixture("shimadzu_icpe_small.txt"), options: explicit, [
            "shimadzu_icpe_small.txt:1:4: error: \"9/23/2016 11:54:59 AM\" is not a valid date in the order given (--date-order dmy); it reads as mdy",
            "leave --date-order out to let a day > 12 decide between dmy and mdy",
            "note: read as Shimadzu ICPE export (detected: no header;"])
        try assertRejected(try write("Sample,SiO2,Al2O3,Fe2O3\nC1-S,60.1,18.2,4.1\n", "xrf_no_units.csv"), [
            "xrf_no_units.csv:1:2: error: SiO2: no unit; expected a unit row (mass%, ppm) or a unit in the name (\"SiO2 (%)\"), or give --unit",
            "note: read as XRF results table"])
        try assertRejected(try write("Sample Id,\"La 139\n(mg/L)\",\"Lx 140\n(mg/L)\"\nC1-E,0.1,0.2\n", "typo.csv"), [
            "typo.csv:1:3: error: unknown analyte column \"Lx 140\\n(mg/L)\"; expected an analyte such as"])
        try assertRejected(try write("Sample Id,\"La 139\n(cps)\",\"Ce 140\n(cps)\"\nC1-E,1200,3400\n", "intensities.csv"), [
            "intensities.csv:1:1: error: this table holds intensities (cps) but no concentrations",
            "--sheet Concentrations"])
        try assertRejected(try write(";;Raw.Average;Raw.Average\n;;0;0\n;;La 408.672 {82} (Axial);Ce 413.380 {81} (Axial)\n;;Y (cps);Y (cps)\n1;C1-E;512;480\n",
                                     "qtegra_raw.csv"), [
            "qtegra_raw.csv:1:1: error: this file holds intensities (Raw.Average) but no concentrations"])
        try assertRejected(try write("Sample ID,Analyte Name,Reported Conc (Calib)\nC1-E,La 408.672,0.5\n", "no_unit.csv"), [
            "no_unit.csv:2:3: error: La 408.672: no unit; expected a unit in the header (e.g. \"La 139 (mg/L)\") or a unit column, or give --unit"])
    }

    func testRefusedUnitIsNeverOfferedBackAsExpected() {
        let list = UnitConversion.acceptedList(excluding: "%")
        XCTAssertFalse(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { ["%", "wt%", "mass%"].contains($0) }, list)
        XCTAssertTrue(list.contains("mg/kg"))
        XCTAssertFalse(UnitConversion.acceptedList(excluding: "ppb").contains("ppb"))
    }

    // MARK: Workbooks and UTF-16 copies

    /// The stored values of a batch, without ids, for comparing two imports of the same data.
    func storedValues(_ batch: Int64) throws -> [String] {
        try store.db.rows("""
            SELECT s.code, m.analyte, m.isotope, m.value, m.raw_text, m.unit, m.qualifier, m.detection_limit, m.flags, m.measured_at
            FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE m.batch_id = ? ORDER BY m.id
            """, [batch]).map { row in
            ["code", "analyte", "isotope", "value", "raw_text", "unit", "qualifier", "detection_limit", "flags", "measured_at"]
                .map { row.string($0) ?? row.double($0).map { String($0) } ?? "∅" }.joined(separator: "|")
        }
    }

    func testWorkbookAndUTF16CopiesOfAVendorFileStoreWhatTheCSVStores() throws {
        let csv = try XCTUnwrap(try ResultsImport(store: store, url: fixture("syngistix_blocks_small.csv")).run().batchID)
        let expected = try storedValues(csv)
        XCTAssertEqual(expected.count, 7)
        // The workbook (make_xlsx_fixtures.py) has an intensity sheet first: passed over and named.
        let summary = try ResultsImport(store: store, url: fixture("syngistix_blocks_small.xlsx"), options: .init(replace: true)).run()
        XCTAssertEqual(summary.sheetName, "Concentrations")
        XCTAssertTrue(summary.warnings.contains { $0.hasPrefix("sheets passed over: \"Raw Intensities\" (this table holds intensities (cps) but no concentrations") },
                      "\(summary.warnings)")
        XCTAssertEqual(try storedValues(try XCTUnwrap(summary.batchID)), expected)
        // UTF-16 LE with a BOM, as Excel's "Unicode text" saves: same values.
        let text = try String(contentsOf: fixture("syngistix_blocks_small.csv"), encoding: .utf8)
        let utf16 = TestSupport.temporaryDirectory().appendingPathComponent("syngistix_utf16.csv")
        try (Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!).write(to: utf16)
        let copy = try XCTUnwrap(try ResultsImport(store: store, url: utf16).run().batchID)
        XCTAssertEqual(try storedValues(copy), expected)
        XCTAssertEqual(try store.batch(id: copy)?.format, "perkinelmer-wide")
    }

    func testABadCellOfAWorkbookIsNamedBySheetAndCell() throws {
        let before = try tableCounts()
        XCTAssertThrowsError(try ResultsImport(store: store, url: fixture("long_results_bad_cell.xlsx")).run()) { error in
            let text = (error as? DiagnosticError)?.diagnosticLines.joined(separator: "\n") ?? "\(error)"
            XCTAssertTrue(text.contains("long_results_bad_cell.xlsx:Results!C3: error: value: \"abc\" is not a number"), text)
            XCTAssertTrue(text.contains("note: read as long results sheet (detected: row 1 has the columns sample, analyte, value, unit)"), text)
        }
        XCTAssertEqual(try tableCounts(), before)
        // --sheet 1 (the intensity sheet) is read as asked, and refused with the cell and the reason.
        var first = ResultsImportOptions()
        first.sheet = "1"
        XCTAssertThrowsError(try ResultsImport(store: store, url: fixture("syngistix_blocks_small.xlsx"), options: first).run()) { error in
            let text = (error as? DiagnosticError)?.diagnosticLines.joined(separator: "\n") ?? "\(error)"
            XCTAssertTrue(text.contains("syngistix_blocks_small.xlsx:'Raw Intensities'!1:1: error: this table holds intensities (cps) but no concentrations"), text)
        }
        XCTAssertEqual(try tableCounts(), before)
    }

    // MARK: Shared real exports

    /// Expected numbers printed by `python3 Tests/Fixtures/instruments/count_second_round.py ../shared/fixtures/instruments`
    /// (python csv module and openpyxl, written without the Swift readers; rules in its docstring):
    ///   winlab32-rawdata: samples=8 analytes=7 qc_rows=13 [blank=8 cal_std=5] sample_values=19 qc_values=26 censored=0 istd_readings=21
    ///   shimadzu-icpe: samples=18 analytes=4 qc_rows=11 [cal_blank=1 cal_std=7 ccv=3] sample_values=72 qc_values=44 censored=0 istd_readings=0
    ///   rigaku-xrf: samples=4 analytes=35 qc_rows=0 [] sample_values=140 qc_values=0 censored=0 istd_readings=0
    ///   syngistix-xlsx: samples=6 analytes=50 qc_rows=2 [blank=2] sample_values=150 qc_values=50 censored=0 istd_readings=0
    ///   agilent8900-xlsx: samples=39 analytes=52 qc_rows=10 [cal_blank=1 cal_std=9] sample_values=2028 qc_values=520 censored=331 istd_readings=0
    func testSecondRoundRealExportsMatchIndependentCounts() throws {
        var rawData = ResultsImportOptions(allowUnmatched: true)
        rawData.unit = "mg/L"
        rawData.internalStandards = ["Sc"]
        let cases: [(String, ResultsFormat, ResultsImportOptions, [Int], [String: Int], Int)] = [
            ("perkinelmer_winlab32_optima_rawDataDemo.csv", .perkinElmer, rawData, [8, 7, 13, 19, 26, 0], ["blank": 8, "cal_std": 5], 21),
            ("shimadzu_icpe9000_icp_output.csv", .shimadzuICPE, .init(allowUnmatched: true), [18, 4, 11, 72, 44, 0],
             ["cal_blank": 1, "cal_std": 7, "ccv": 3], 0),
            ("rigaku_supermini_xrf_BOG.csv", .xrf, .init(allowUnmatched: true), [4, 35, 0, 140, 0, 0], [:], 0),
            ("perkinelmer_nexion350x_syngistix.xlsx", .perkinElmerWide, .init(allowUnmatched: true), [6, 50, 2, 150, 50, 0], ["blank": 2], 0),
            ("agilent8900_masshunter_jpquast.xlsx", .masshunter, .init(allowUnmatched: true), [39, 52, 10, 2028, 520, 331],
             ["cal_blank": 1, "cal_std": 9], 0),
        ]
        for (name, format, options, expected, qcTypes, istd) in cases {
            guard let url = ResultsImportTests.realExport(name) else { throw XCTSkip("../shared is absent: the real exports are not checked") }
            let summary = try ResultsImport(store: store, url: url, options: options).run()
            XCTAssertEqual(summary.format, format, name)
            XCTAssertEqual([summary.sampleCount, summary.analytes.count, summary.qcRowCount, summary.sampleValues,
                            summary.qcValues, summary.censoredCount], expected, name)
            XCTAssertEqual(summary.qcRows, qcTypes, name)
            XCTAssertEqual(summary.internalStandardReadings, istd, name)
            let batch = try XCTUnwrap(summary.batchID)
            XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE batch_id = ?", [batch]), expected[3], name)
            XCTAssertEqual(try count("SELECT count(*) FROM qc_measurement q JOIN qc_sample s ON s.id = q.qc_sample_id WHERE s.batch_id = ?", [batch]),
                           expected[4], name)
            XCTAssertEqual(try count("SELECT count(*) FROM internal_standard_reading WHERE batch_id = ?", [batch]), istd, name)
        }
        // Rigaku: Fe2O3 3.37 mass% of BOG652 → 3.37 × 10 000 × 0.699431 = 23 570.8 mg/kg Fe (python3).
        XCTAssertEqual(try store.db.scalar("SELECT value FROM measurement WHERE unmatched_name = 'BOG652' AND analyte = 'Fe'")?.double ?? 0,
                       23_570.8, accuracy: 0.1)
        XCTAssertEqual(try store.db.scalar("SELECT measured_at FROM measurement WHERE unmatched_name = 'BOG652' AND analyte = 'Fe'")?.string,
                       "2015-03-31T14:33:00")
        // WinLab32: the calibration blank's `[0.00]` is kept as measured with the bracket flag.
        XCTAssertEqual(try count("SELECT count(*) FROM internal_standard_reading WHERE raw_text = '[0.00]' AND value = 0"), 1)
    }
}
