import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// Import profiles: the sheet, its validation (file:line:col), header patterns, storage, and a
/// long-layout import through GenericProfileReader.
final class ImportProfileTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-profile") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func profile(_ text: String, name: String = "p") throws -> ImportProfile {
        try ImportProfile(name: name, settings: try ImportProfileSheet.settings(text: text, fileName: "p.csv"), source: "p.csv")
    }

    func errors(_ text: String) -> [String] {
        do { _ = try profile(text); return [] } catch let error as DiagnosticError { return error.diagnosticLines } catch { return ["\(error)"] }
    }

    func testHeaderPatternsCaptureElementLineAndUnit() throws {
        let massUnit = try HeaderPattern("{element} {mass} ({unit})")
        XCTAssertEqual(massUnit.match("La 139 (ug/L)")?[.element], "La")
        XCTAssertEqual(massUnit.match("La 139 (ug/L)")?[.mass], "139")
        XCTAssertEqual(massUnit.match("La 139 (ug/L)")?[.unit], "ug/L")
        XCTAssertEqual(massUnit.match("La 139\n(ug/L)")?[.unit], "ug/L", "a line break is a space")
        XCTAssertNil(massUnit.match("La 139 (cps)"), "cps is not a concentration unit")
        XCTAssertNil(massUnit.match("Sample (ID)"))
        let glued = try HeaderPattern("{element}{wavelength}")
        XCTAssertEqual(glued.match("Ce413.380")?[.element], "Ce")
        XCTAssertEqual(glued.match("Ce413.380")?[.wavelength], "413.380")
        let underscore = try HeaderPattern("{element}_{unit}")
        XCTAssertEqual(underscore.match("Fe2O3_wt%")?[.element], "Fe2O3", "oxides are elements of a pattern")
        XCTAssertEqual(underscore.match("nd_PPM")?[.element], nil, "element symbols keep their case: nd is not Nd")
        XCTAssertEqual(try HeaderPattern("{element} {wavelength} LOD").match("Ce 413.380 lod")?[.wavelength], "413.380")
        XCTAssertNil(try HeaderPattern("{element} {wavelength}").match("Ce 413.380 LOD"), "the whole header must match")
        XCTAssertThrowsError(try HeaderPattern("{mass} only"))
        XCTAssertThrowsError(try HeaderPattern("{element} {weight}"))
        XCTAssertThrowsError(try HeaderPattern("{element}{unit}"), "{element}{unit} cannot be told apart")
        XCTAssertNil(try HeaderPattern("{element}{mass} [{mode}]").match("139La [He]"), "139La is mass first; this pattern wants the element first")
        let analyte = try XCTUnwrap(GenericProfileReader.analyte(try XCTUnwrap(try HeaderPattern("{element}{mass} [{mode}]").match("La139 [He]")), header: "La139 [He]"))
        XCTAssertEqual(analyte.key, "La 139 [He]")
    }

    func testColumnsByNameLetterOrNumber() {
        XCTAssertEqual(ColumnReference("C")?.index(in: ["sample", "type", "la"]), 2)
        XCTAssertEqual(ColumnReference("AB")?.index(in: []), 27)
        XCTAssertEqual(ColumnReference("ID")?.index(in: ["name", "id"]), 1, "a header named ID wins over column ID")
        XCTAssertEqual(ColumnReference("ID")?.index(in: ["name"]), 237, "else ID is a column letter")
        XCTAssertEqual(ColumnReference("3"), .position(2))
        XCTAssertEqual(ColumnReference("Sample Name"), .header("Sample Name"))
        XCTAssertEqual(ColumnReference("header:B"), .header("B"))
        XCTAssertEqual(ColumnReference("Cd"), .header("Cd"), "mixed case is a header name")
        XCTAssertNil(ColumnReference("0"))
        XCTAssertEqual(ColumnReference.letter(27), "AB")
    }

    func testProfileSheetIsValidatedWithEveryProblemLocated() {
        let lines = errors("""
            # a comment
            key,value
            header_rw,2
            layout,wide
            sample_column,Sample
            analyte_pattern,{element} {mass}
            value_column,Conc
            decimal,komma
            data_starts,1
            layout,long
            unit,cps
            """)
        XCTAssertTrue(lines.contains("p.csv:3:1: error: unknown setting \"header_rw\"; did you mean \"header_row\"? (see lims template import-profile)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:10:1: error: layout is given twice (first on line 4)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:8:2: error: decimal: \"komma\" is not valid; expected one of ,, ., comma, point"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:1:1: error: header_row is missing; expected the row number of the column names (e.g. header_row,1)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:9:2: error: data_starts: 1 is not after the header rows (1); expected a row number > 1"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:11:2: error: unit: \"cps\" is not a concentration unit; expected one of \(UnitConversion.acceptedList)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("p.csv:7:2: error: value_column is for layout long; this profile is wide (use analyte_pattern, or set layout,long)"), lines.joined(separator: "\n"))
        XCTAssertEqual(lines.last, "7 error(s); nothing was written")

        let more = errors("header_row,1\nsample_column,A\nanalyte_pattern,{mass}\ndelimiter,\",\"\ndecimal,comma\nextra,a,b\n")
        XCTAssertTrue(more.contains("p.csv:6:3: error: extra: this row has more than 2 fields (\"b\"); expected key,value — quote a value that holds a comma"), more.joined(separator: "\n"))
        XCTAssertEqual(errors("header_row,1\nsample_column,A\nanalyte_pattern,{mass}\n"),
                       ["p.csv:3:2: error: analyte_pattern: \"{mass}\" is not a header pattern: the pattern has no {element}; expected e.g. {element} {mass} ({unit})",
                        "1 error(s); nothing was written"])
        XCTAssertEqual(errors("header_row,1\nsample_column,A\nanalyte_pattern,{element}\ndelimiter,comma\ndecimal,comma\n"),
                       ["p.csv:5:2: error: decimal: a decimal comma cannot be read in a comma-delimited file; expected decimal point, or another delimiter",
                        "1 error(s); nothing was written"])
        XCTAssertEqual(errors("layout,long\nheader_row,1\nsample_column,A\n").count, 3, "long needs analyte_column and value_column")
    }

    func testProfilesAreStoredListedReplacedAndRemoved() throws {
        let store = try TestSupport.makeStore(operatorName: "li.wei")
        let first = try profile("description,first\nheader_row,1\nsample_column,A\nanalyte_pattern,{element}\n", name: "lab-limsexport")
        try store.addImportProfile(first)
        XCTAssertThrowsError(try store.addImportProfile(first)) { XCTAssertTrue("\($0)".contains("use --replace"), "\($0)") }
        let second = try profile("description,second\nheader_row,2\nsample_column,Sample\nanalyte_pattern,{element}_{unit}\n", name: "LAB-limsexport")
        try store.addImportProfile(second, replace: true)
        let stored = try XCTUnwrap(try store.importProfile(named: "Lab-LimsExport"))
        XCTAssertEqual(stored.profile.description, "second")
        XCTAssertEqual(stored.profile.headerRow, 2)
        XCTAssertEqual(stored.profile.analytePattern?.text, "{element}_{unit}")
        XCTAssertEqual(stored.operatorName, "li.wei")
        XCTAssertEqual(try store.importProfiles().count, 1)
        XCTAssertThrowsError(try store.addImportProfile(try profile("header_row,1\nsample_column,A\nanalyte_pattern,{element}\n", name: "bad name")))
        XCTAssertThrowsError(try store.requireImportProfile(named: "lab-limsexpor")) {
            XCTAssertEqual("\($0)", "import profile \"lab-limsexpor\" does not exist; did you mean \"lab-limsexport\"?")
        }
        try store.removeImportProfile(named: "lab-limsexport")
        XCTAssertEqual(try store.importProfiles().count, 0)
        let audit = try store.auditEntries().filter { $0.tableName == "import_profile" }.map(\.action)
        XCTAssertEqual(audit, ["insert", "update", "delete"])
        // The stored sheet reads back as the same settings.
        let again = try ImportProfile(name: "x", settings: try ImportProfileSheet.settings(text: second.sheet, fileName: "s.csv"), source: "s.csv")
        XCTAssertEqual(again.settings.map(\.value), second.settings.map(\.value))
    }

    /// A long export with an analyte pattern `{element}_{unit}`, a DL column, a dilution column
    /// recorded (not multiplied) and ragged rows. Expected values: the cells × 0.001 for ppb (by hand).
    func testLongLayoutImportThroughAProfile() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        for n in 1...2 { try store.addSample(Sample(code: "C\(n)-E", plotCode: "C\(n)", parentCode: "C\(n)-S", type: "extract")) }
        let file = dir.appendingPathComponent("export.txt")
        try """
            LIMS export v2|run 88
            ID|Analyte|Result|LOD|DF|Remark
            C1-E|La_ppb|12.5|0.5|5
            C1-E|Ce_ppb|<0.5|0.5|5|low
            C2-E|La_ppb|n.d.|0.5
            Mean|La_ppb|12.5||
            Cal Blank|La_ppb|0.01|0.5|1
            """.write(to: file, atomically: true, encoding: .utf8)
        try store.addImportProfile(try profile("""
            layout,long
            delimiter,pipe
            header_row,2
            sample_column,ID
            analyte_column,Analyte
            analyte_pattern,{element}_{unit}
            value_column,Result
            dl_column,LOD
            dilution_column,DF
            dilution,record
            skip_labels,Mean
            ignore_columns,Remark
            """, name: "pipe-long"))
        var options = ResultsImportOptions()
        options.profile = "pipe-long"
        let summary = try ResultsImport(store: store, url: file, options: options).run()
        XCTAssertEqual(summary.sampleValues, 3)
        XCTAssertEqual(summary.qcRows, ["cal_blank": 1])
        XCTAssertEqual(summary.skippedRows, 1)
        XCTAssertEqual(summary.profile, "pipe-long")
        let rows = try store.db.rows("""
            SELECT s.code, m.analyte, m.value, m.detection_limit, m.qualifier, m.dilution_factor, m.flags, m.source_row, m.source_column
            FROM measurement m JOIN sample s ON s.id = m.sample_id ORDER BY m.id
            """).map { row in
            [row.string("code") ?? "", row.string("analyte") ?? "", row.double("value").map(Validate.format) ?? "NULL",
             row.double("detection_limit").map(Validate.format) ?? "NULL", row.string("qualifier") ?? "",
             row.double("dilution_factor").map(Validate.format) ?? "NULL", row.string("flags") ?? "NULL",
             "\(row.int("source_row") ?? 0):\(row.int("source_column") ?? 0)"].joined(separator: " ")
        }
        XCTAssertEqual(rows, ["C1-E La 0.0125 0.0005 = NULL dilution 5 not applied 3:3",
                              "C1-E Ce NULL 0.0005 < NULL dilution 5 not applied 4:3",
                              "C2-E La NULL 0.0005 nd NULL NULL 5:3"])
        XCTAssertEqual(try store.db.scalar("SELECT format FROM import_batch")?.string, "profile:pipe-long")
        XCTAssertEqual(try store.db.scalar("SELECT options ->> '$.profile' FROM import_batch")?.string, "pipe-long")
    }

    /// A header of two rows (MassHunter's analyte group over CPS / Conc. columns), read by a profile,
    /// stores the same concentrations for the samples as the built-in MassHunter reader.
    func testTwoRowHeaderProfileReadsWhatTheMassHunterReaderReads() throws {
        let file = TestSupport.fixture("instruments/masshunter_french_small.csv")
        func values(profile: Bool) throws -> [String] {
            let store = try TestSupport.makeStore()
            try TestSupport.seedSmallLab(store)
            for n in 1...2 { try store.addSample(Sample(code: "C\(n)-E", plotCode: "C\(n)", parentCode: "C\(n)-S", type: "extract")) }
            var options = ResultsImportOptions(allowUnmatched: true)
            if profile {
                try store.addImportProfile(try self.profile("""
                    header_row,1-2
                    sample_column,Sample Sample Name
                    type_column,Sample Type
                    reject_column,Sample Rjct
                    analyte_pattern,{mass} {element} [{mode}] Conc. [{unit}]
                    date_column,Sample Acq. Date-Time
                    """, name: "mh"))
                options.profile = "mh"
            }
            try ResultsImport(store: store, url: file, options: options).run()
            return try store.db.rows("""
                SELECT s.code, m.analyte, m.isotope, m.mode, m.value, m.raw_text, m.unit, m.qualifier, m.measured_at
                FROM measurement m JOIN sample s ON s.id = m.sample_id ORDER BY s.code, m.analyte
                """).map(\.description)
        }
        let builtin = try values(profile: false)
        XCTAssertEqual(builtin.count, 4)
        XCTAssertEqual(try values(profile: true), builtin)
    }

    func testBadCellsAreLocatedAndNothingIsWritten() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let file = dir.appendingPathComponent("wide.csv")
        try "Name,Cu,La,La DL\nC1-S,3,12.5,0.1\nC2-S,4,abc,x\n".write(to: file, atomically: true, encoding: .utf8)
        try store.addImportProfile(try profile("header_row,1\nsample_column,Name\nanalyte_columns,La\ndl_pattern,{element} DL\nunit,mg/kg\n", name: "w"))
        var options = ResultsImportOptions()
        options.profile = "w"
        XCTAssertThrowsError(try ResultsImport(store: store, url: file, options: options).run()) { error in
            let lines = (error as? DiagnosticError)?.diagnosticLines ?? []
            XCTAssertEqual(lines, [
                "\(file.path):3:3: error: La: \"abc\" is not a number; expected a number (e.g. 1.2E-3), <DL, <0.05, n.d., N/A or an empty cell",
                "note: read with import profile w (--profile w); if that is wrong, give --format or --profile",
                "1 error(s); nothing was written",
            ])
        }
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM measurement")?.int, 0)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM import_batch")?.int, 0)
        // A header the profile does not fit: named at the header row, with the columns it has.
        try store.addImportProfile(try profile("header_row,1\nsample_column,Sample ID\nanalyte_pattern,{element} ({unit})\n", name: "w2"))
        options.profile = "w2"
        XCTAssertThrowsError(try ResultsImport(store: store, url: file, options: options).run()) { error in
            let lines = (error as? DiagnosticError)?.diagnosticLines ?? []
            XCTAssertEqual(lines.first, "\(file.path):1:1: error: profile w2: sample_column column \"Sample ID\" is not in the header row (row 1); the header has \"Name\", \"Cu\", \"La\", \"La DL\"")
        }
    }
}
