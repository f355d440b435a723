import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// Lab sheet imports through `SheetImport`, on the project's own fixtures (Tests/Fixtures/sheets).
final class SheetImportTests: XCTestCase {
    static let order = ["sites", "treatments", "plots", "samples", "fractions", "extractions", "properties",
                        "thin-sections", "xrf-maps", "pois", "xanes", "lcf", "correlations",
                        // Leaching and seepage experiments (LeachingSheets.all).
                        "leaching-runs", "leachate", "electric-log", "cathode", "leaching-residuals",
                        "seepage-tests", "head-readings", "swcc"]

    func labFile(_ kind: String) -> URL {
        let csv = TestSupport.fixture("sheets/lab/\(kind).csv")
        return FileManager.default.fileExists(atPath: csv.path) ? csv : TestSupport.fixture("sheets/lab/\(kind).tsv")
    }

    @discardableResult
    func importSheet(_ store: LabStore, _ kind: String, _ url: URL? = nil,
                     _ options: SheetImportOptions = SheetImportOptions()) throws -> SheetImportSummary {
        var options = options
        if options.displayName == nil { options.displayName = (url ?? labFile(kind)).lastPathComponent }
        return try SheetImport(store: store, importer: SheetRegistry.importer(kind: kind)!, url: url ?? labFile(kind),
                               options: options).run()
    }

    /// A store with the lab fixtures imported up to and including `last`.
    func labStore(through last: String = "correlations") throws -> LabStore {
        let store = try TestSupport.makeStore()
        for kind in Self.order {
            try importSheet(store, kind)
            if kind == last { break }
        }
        return store
    }

    func count(_ store: LabStore, _ sql: String, _ args: [any SQLValueConvertible] = []) throws -> Int {
        try store.db.scalar(sql, args)?.int ?? -1
    }

    func counts(_ store: LabStore) throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try store.tableCounts().map { ($0.table, $0.count) })
    }

    /// Writes `text` to a fresh folder under `name` (the file name matters for --replace).
    func write(_ text: String, name: String) throws -> URL {
        let url = TestSupport.temporaryDirectory("sheet").appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    // MARK: Good files

    func testEveryLabFixtureImportsInOrderWithOneBatchEach() throws {
        let store = try labStore()
        let tables = try counts(store)
        let expected = ["site": 1, "treatment": 3, "plot": 9, "sample": 8 + 3 + 3, "preparation_step": 13,
                        "size_fraction": 9, "cacl2_extraction": 3, "soil_property": 9, "thin_section": 1, "xrf_map": 2,
                        "poi": 4, "xanes_result": 3, "lcf_fit": 2, "lcf_component": 4, "map_correlation": 3,
                        "import_batch": 13, "measurement": 0]
        for (table, n) in expected { XCTAssertEqual(tables[table], n, table) }
        let batches = try store.batches()
        XCTAssertEqual(batches.map(\.kind), Array(Self.order.prefix(13)), "the lab fixtures cover the 13 lab kinds; leaching kinds have their own tests")
        XCTAssertTrue(batches.allSatisfy { $0.status == "active" && $0.format == "sheet-csv" && $0.sha256.count == 64 })
        XCTAssertEqual(batches.first { $0.kind == "samples" }?.rowCount, 8)
        XCTAssertEqual(batches.first { $0.kind == "samples" }?.operatorName, "tester")
        // Every record a sheet created is in the audit log with its batch.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM audit_log WHERE action = 'insert' AND table_name = 'sample' AND batch_id IS NOT NULL"), 14)
    }

    func testTrapsBOMCRLFDecimalCommaHeaderOrderTrailingDelimiterWindows1252AndLineBreaks() throws {
        let store = try labStore(through: "samples")
        let site = try XCTUnwrap(store.site(code: "DN"))
        XCTAssertEqual(site.description, "heap-leached tailings, ion-adsorption REE deposit", "quoted comma; BOM and CRLF gone")
        XCTAssertEqual(try XCTUnwrap(site.latitude), 24.78, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(store.treatment(code: "miscanthus")?.amendmentRateKgPerM2), 2.6, accuracy: 1e-12,
                       "decimal comma in a ';' file")
        XCTAssertNil(try store.treatment(code: "control")?.amendmentRateKgPerM2)
        XCTAssertEqual(try store.plots().count, 9, "blank lines skipped, trailing delimiter accepted")
        XCTAssertEqual(try store.plot(code: "R1")?.areaM2, 1700)
        let ground = try XCTUnwrap(store.sample(code: "C1-S-G"))
        XCTAssertEqual(ground.parentCode, "C1-S")
        XCTAssertEqual(ground.plotCode, "C1", "a sub-sample inherits its parent's plot")
        XCTAssertEqual(try store.sample(code: "C3-S")?.type, "bulk", "empty type = bulk")
        XCTAssertEqual(try store.sample(code: "R1-P")?.description, "pit 1, layer A\ndark brown, many roots")
        let steps = { (code: String) in
            try store.db.rows("""
                SELECT p.step_no, p.action, p.operator FROM preparation_step p JOIN sample s ON s.id = p.sample_id
                WHERE s.code = ? ORDER BY p.step_no
                """, [code]).map { "\($0.int("step_no")!):\($0.string("action")!)" }
        }
        XCTAssertEqual(try steps("C1-S-G"), ["1:ground <150 µm"], "Windows-1252 µ decoded")
        XCTAssertEqual(try steps("R1-P"), ["1:air-dried", "2:sieved <2 mm"], "empty steps dropped, spaces trimmed")
        XCTAssertEqual(try steps("C1-S"), ["1:air-dried", "2:sieved <2 mm"])
    }

    func testFractionMassPercentPerReplicateMatchesIndependentComputation() throws {
        let store = try labStore(through: "fractions")
        // Expected: python3/numpy, m_i / sum(m of the replicate) * 100 for the fixture's masses
        // (rep 1: 58.42, 23.05, 18.31 g; rep 2: 57.10, 24.20, 18.90; rep 3: 59.60, 22.90, 18.20).
        let expected: [Int: [Double]] = [1: [58.548807, 23.100822, 18.350371],
                                         2: [56.986028, 24.151697, 18.862275],
                                         3: [59.185700, 22.740814, 18.073486]]
        for (replicate, percents) in expected {
            let rows = try store.db.rows("""
                SELECT class_label, mass_percent FROM size_fraction WHERE replicate = ? ORDER BY upper_um DESC
                """, [replicate])
            XCTAssertEqual(rows.map { $0.string("class_label")! }, ["250-2000 um", "50-250 um", "<50 um"])
            for (row, percent) in zip(rows, percents) {
                XCTAssertEqual(try XCTUnwrap(row.double("mass_percent")), percent, accuracy: 1e-6)
            }
        }
        let f1 = try XCTUnwrap(store.sample(code: "C1-S-F1"))
        XCTAssertEqual(f1.type, "size_fraction")
        XCTAssertEqual(f1.parentCode, "C1-S")
        XCTAssertEqual(f1.plotCode, "C1")
        XCTAssertEqual(try count(store, "SELECT count(*) FROM size_fraction WHERE fraction_sample_id IS NOT NULL"), 3)
        XCTAssertNil(try store.db.scalar("SELECT lower_um FROM size_fraction WHERE replicate = 3 AND class_label = '<50 um'")?.double)
    }

    func testExtractionsRegisterTheExtractAsAChildSampleAndWarnOnAWrongRatio() throws {
        let store = try labStore(through: "samples")
        let summary = try importSheet(store, "extractions")
        let extract = try XCTUnwrap(store.sample(code: "C2-S-E1"))
        XCTAssertEqual(extract.type, "extract")
        XCTAssertEqual(extract.parentCode, "C2-S")
        XCTAssertEqual(extract.plotCode, "C2")
        let row = try XCTUnwrap(store.db.firstRow("""
            SELECT e.*, s.code AS soil FROM cacl2_extraction e JOIN sample s ON s.id = e.sample_id
            WHERE e.extract_sample_id = ?
            """, [extract.id]))
        XCTAssertEqual(row.string("soil"), "C2-S")
        XCTAssertEqual(row.double("soil_mass_g"), 10.02)
        XCTAssertNil(row.double("solution_mass_g"))
        XCTAssertEqual(row.double("solution_volume_ml"), 20)
        XCTAssertEqual(row.double("cacl2_mmol_l"), 1, "empty = 1 mM")
        XCTAssertEqual(summary.counts.samplesRegistered, 3)
        // M1-S-E1: 25 g solution / 10 g soil = 1:2.5, not the 1:2 written.
        XCTAssertEqual(summary.warnings, ["extractions.csv:4:7: warning: ratio 1:2 but the masses give 1:2.5 (25 / 10)"])
        XCTAssertEqual(try store.batches().last?.warnings, summary.warnings)
    }

    func testPropertiesConvertUnitsKeepOriginalsAndNeverTurnCensoredIntoZero() throws {
        let store = try labStore(through: "samples")
        let summary = try importSheet(store, "properties")
        func value(_ sample: String, _ property: String) throws -> Row {
            try XCTUnwrap(store.db.firstRow("""
                SELECT p.* FROM soil_property p JOIN sample s ON s.id = p.sample_id WHERE s.code = ? AND p.property = ?
                """, [sample, property]))
        }
        // Conversions (by hand): meq/100g = cmol+/kg; 1.2 g/kg = 0.12 %; 150 mg/kg = 0.015 %.
        let cec = try value("C1-S", "CEC")
        XCTAssertEqual(cec.double("value"), 3.1)
        XCTAssertEqual(cec.string("unit"), "cmol+/kg")
        XCTAssertEqual(cec.string("original_unit"), "meq/100g")
        XCTAssertEqual(try XCTUnwrap(value("C1-S", "TOC").double("value")), 0.12, accuracy: 1e-12)
        XCTAssertEqual(try value("C1-S", "TOC").string("raw_text"), "1.2")
        XCTAssertEqual(try XCTUnwrap(value("C1-S", "TN").double("value")), 0.015, accuracy: 1e-12)
        XCTAssertEqual(try value("C1-S", "TN").string("original_unit"), "mg/kg")
        XCTAssertEqual(try value("C1-S", "pH_H2O").string("unit"), "")
        XCTAssertEqual(try value("M1-S", "TOC").double("value"), 0.87)
        let sodium = try value("C1-S", "exch_Na")
        XCTAssertTrue(sodium["value"].isNull, "below detection is not zero")
        XCTAssertEqual(sodium.string("qualifier"), "<")
        XCTAssertEqual(sodium.double("detection_limit"), 0.05)
        XCTAssertEqual(sodium.string("raw_text"), "<0.05")
        let potassium = try value("M1-S", "exch_K")
        XCTAssertEqual(potassium.string("qualifier"), "nd")
        XCTAssertTrue(potassium["value"].isNull)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM soil_property WHERE batch_id = ?", [summary.batchID]), 9)
        let batch = try XCTUnwrap(store.batch(id: summary.batchID))
        XCTAssertEqual(batch.valueCount, 9)
        XCTAssertEqual(batch.censoredCount, 1)
        XCTAssertEqual(batch.sampleCount, 2)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM audit_log WHERE table_name = 'soil_property' AND sample_id IS NOT NULL"), 9)
    }

    func testThinSectionChainReferencesByCodesAndWarns() throws {
        let store = try labStore(through: "xrf-maps")
        let pois = try importSheet(store, "pois")
        XCTAssertEqual(pois.warnings, ["pois.csv:5:4: warning: x_um 2500 is outside map map2 (0 to 900 um)"])
        try importSheet(store, "xanes")
        let lcf = try importSheet(store, "lcf")
        XCTAssertEqual(lcf.warnings, ["lcf.csv: warning: the fractions of the Fe K fit at POI2 sum to 0.85, not 1"])
        try importSheet(store, "correlations")
        XCTAssertEqual(try store.db.scalar("""
            SELECT c.r_squared FROM map_correlation c WHERE element_a = 'La' AND element_b = 'Ce'
            """)?.double, 0.0004)
        XCTAssertEqual(try store.db.scalar("""
            SELECT x.oxidation_state FROM xanes_result x JOIN poi p ON p.id = x.poi_id WHERE p.label = 'POI3'
            """)?.string, "Ce(IV)")
        XCTAssertEqual(try store.db.scalar("""
            SELECT group_concat(c.phase || '=' || c.fraction, ' ') FROM lcf_component c JOIN lcf_fit f ON f.id = c.lcf_fit_id
            JOIN poi p ON p.id = f.poi_id WHERE p.label = 'POI1' ORDER BY c.id
            """)?.string, "goethite=0.62 ferrihydrite=0.38")
    }

    func testUnknownReferencesInTheThinSectionChainSuggestCodes() throws {
        let store = try labStore(through: "pois")
        let url = try write("""
            thin_section,map,poi,edge,oxidation_state,ce4_fraction,e0_ev,notes
            TS-R1-B2,map1,POI1,Ce L3,,,,
            TS-R1-B1,map3,POI1,Ce L3,,,,
            TS-R1-B1,map1,POI9,Ce L3,Ce(V),,,
            TS-R1-B1,map1,POI1,Ce L3,mixed,1.5,,
            """ + "\n", name: "xanes.csv")
        XCTAssertThrowsError(try importSheet(store, "xanes", url)) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "xanes.csv:2:1: error: thin_section: no thin section \"TS-R1-B2\" is registered; did you mean \"TS-R1-B1\"? (import it first: lims import thin-sections)",
                "xanes.csv:3:2: error: map: no XRF map \"map3\" is registered on thin section TS-R1-B1; did you mean \"map1\", \"map2\"? (import it first: lims import xrf-maps)",
                "xanes.csv:4:3: error: poi: no POI \"POI9\" is registered on map map1 of TS-R1-B1; did you mean \"POI1\", \"POI2\"? (import it first: lims import pois)",
                "xanes.csv:5:6: error: ce4_fraction: \"1.5\" is not valid; expected a number ≤ 1",
            ])
        }
        XCTAssertEqual(try count(store, "SELECT count(*) FROM xanes_result"), 0)
    }

    // MARK: Re-import, --replace, --dry-run

    func testSameFileTwiceIsRefusedAndNothingChanges() throws {
        let store = try labStore(through: "samples")
        let before = try counts(store)
        XCTAssertThrowsError(try importSheet(store, "samples")) { error in
            let refusal = error as? SheetAlreadyImported
            XCTAssertEqual(refusal?.batch.id, 4)
            XCTAssertTrue("\(error)".hasPrefix("samples.csv was already imported as batch 4 (samples sheet samples.csv, "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("nothing was written. Use --replace to replace that batch"), "\(error)")
        }
        XCTAssertEqual(try counts(store), before)
    }

    func testReplaceUpdatesRegisterRecordsByCodeAuditsOldAndNewAndKeepsReferencedLeftovers() throws {
        let store = try labStore(through: "thin-sections")   // TS-R1-B1 refers to sample R1-B1
        let samplesBatch = try XCTUnwrap(store.batches().first { $0.kind == "samples" })
        // The corrected register: C2-S mass 640 → 660 and one step more, R1-P2 and R1-B1 dropped, C9-S new.
        let corrected = """
            code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description
            C1-S,C1,,bulk,0,10,2018-07-10,850,air-dried; sieved <2 mm,composite of 5 cores
            C1-S-G,,C1-S,subsample,,,,50,ground <150 µm,aliquot for fusion
            C2-S,C2,,bulk,0,10,2018-07-10,660,air-dried; sieved <2 mm; ground <150 um,
            C3-S,C3,,,0,10,2018-07-10,720,air-dried; sieved <2 mm,
            M1-S,M1,,bulk,0,10,2018-07-11,910,air-dried; sieved <2 mm,
            R1-P,R1,,pit_layer,0,10,2018-07-12,1000,air-dried;;sieved <2 mm ; ,"pit 1, layer A
            dark brown, many roots"
            C9-S,C3,,bulk,10,20,2018-07-10,700,,new sample
            """ + "\n"
        let url = try write(corrected, name: "samples.csv")
        // Without --replace a changed record is refused, naming old and new values.
        XCTAssertThrowsError(try importSheet(store, "samples", url)) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "samples.csv:4:1: error: code: sample C2-S already exists with other values (mass_g: 640 → 660; preparation: air-dried; sieved <2 mm → air-dried; sieved <2 mm; ground <150 um); import the corrected sheet with --replace to update it",
            ])
        }
        let summary = try importSheet(store, "samples", url, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.replacedBatchID, samplesBatch.id)
        XCTAssertEqual(summary.counts.updated, 1)
        XCTAssertEqual(summary.counts.inserted, 1)
        XCTAssertEqual(summary.counts.unchanged, 5)
        XCTAssertEqual(summary.counts.deleted, 1, "R1-P2: nothing refers to it")
        XCTAssertEqual(summary.counts.kept, 1, "R1-B1: a thin section refers to it")
        XCTAssertEqual(summary.warnings, ["samples.csv: warning: sample R1-B1 came from batch \(samplesBatch.id) and is not in the new file, but other data refer to it (results, sub-samples …); it was kept"])
        XCTAssertEqual(try store.sample(code: "C2-S")?.massG, 660)
        XCTAssertNil(try store.sample(code: "R1-P2"))
        XCTAssertNotNil(try store.sample(code: "R1-B1"))
        XCTAssertEqual(try store.sample(code: "C9-S")?.depthTopCm, 10)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM preparation_step p JOIN sample s ON s.id = p.sample_id WHERE s.code = 'C2-S'"), 3)
        XCTAssertEqual(try store.batch(id: samplesBatch.id)?.status, "replaced")
        XCTAssertEqual(try store.batch(id: summary.batchID)?.replacesBatchID, samplesBatch.id)
        let c2 = try XCTUnwrap(store.sample(code: "C2-S"))
        let update = try XCTUnwrap(store.auditEntries(sampleID: c2.id).first { $0.action == "update" && $0.tableName == "sample" })
        XCTAssertEqual(update.oldValue, #"{"mass_g":640}"#)
        XCTAssertEqual(update.newValue, #"{"mass_g":660}"#)
        XCTAssertEqual(update.batchID, summary.batchID)
        XCTAssertEqual(update.reason, "samples sheet samples.csv, batch \(summary.batchID), replaces batch \(samplesBatch.id)")
        XCTAssertTrue(try store.auditEntries().contains { $0.action == "delete" && $0.summary.hasPrefix("sample R1-P2 deleted") })
    }

    func testReplaceDeletesAnExtractionWithoutResultsButKeepsOneWhoseExtractHasResults() throws {
        let store = try labStore(through: "extractions")
        let old = try XCTUnwrap(store.batches().first { $0.kind == "extractions" })
        // An ICP result on the extract C1-S-E1 (as the results import would write it).
        let extract = try XCTUnwrap(store.sample(code: "C1-S-E1"))
        try store.db.execute("""
            INSERT INTO measurement (sample_id, analyte, value, raw_text, unit, matrix) VALUES (?, 'La', 0.012, '0.012', 'mg/L', 'solution')
            """, [extract.id])
        let url = try write("""
            sample,extract_id,soil_mass_g,solution_mass_g,solution_volume_ml,cacl2_mmol_l,ratio,contact_time_h,extracted_on,filter_um,notes
            M1-S,M1-S-E1,10.00,20.00,,1,1:2,48,2018-09-03,0.45,ratio corrected
            """ + "\n", name: "extractions.csv")
        let summary = try importSheet(store, "extractions", url, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.counts.updated, 1, "M1-S-E1 solution mass 25 → 20, notes")
        XCTAssertNil(try store.sample(code: "C2-S-E1"), "no results: extraction and extract deleted")
        XCTAssertEqual(try count(store, "SELECT count(*) FROM cacl2_extraction"), 2)
        XCTAssertNotNil(try store.sample(code: "C1-S-E1"))
        XCTAssertEqual(try count(store, "SELECT count(*) FROM cacl2_extraction WHERE extract_sample_id = ?", [extract.id]), 1,
                       "the extraction of an extract with results is kept with it")
        XCTAssertEqual(summary.warnings, [
            "extractions.csv: warning: CaCl2 extraction C1-S-E1 came from batch \(old.id) and is not in the new file, but other data refer to it (results, sub-samples …); it was kept",
            "extractions.csv: warning: sample C1-S-E1 came from batch \(old.id) and is not in the new file, but other data refer to it (results, sub-samples …); it was kept",
        ])
        XCTAssertEqual(summary.counts.deleted, 2)
        XCTAssertEqual(try store.db.scalar("SELECT solution_mass_g FROM cacl2_extraction e JOIN sample s ON s.id = e.extract_sample_id WHERE s.code = 'M1-S-E1'")?.double, 20)
    }

    func testReplaceRecomputesMassPercentAfterAClassIsDropped() throws {
        let store = try labStore(through: "fractions")
        // Replicate 2 re-weighed without the fine class: percents over the two remaining classes.
        let url = try write("""
            parent_sample,class,lower_um,upper_um,replicate,mass_g,fraction_sample,method
            C1-S,250-2000 um,250,2000,1,58.42,C1-S-F1,wet sieving
            C1-S,50-250 um,50,250,1,23.05,C1-S-F2,wet sieving
            C1-S,<50 um,0,50,1,18.31,C1-S-F3,wet sieving
            C1-S,250-2000 um,250,2000,2,57.10,,wet sieving
            C1-S,50-250 um,50,250,2,24.20,,wet sieving
            """ + "\n", name: "fractions.tsv")
        let summary = try importSheet(store, "fractions", url, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.counts.deleted, 4, "replicate 2 <50 um and the three classes of replicate 3")
        // 57.10 / (57.10 + 24.20) * 100 = 70.233702 (python3).
        XCTAssertEqual(try XCTUnwrap(store.db.scalar("SELECT mass_percent FROM size_fraction WHERE replicate = 2 AND class_label = '250-2000 um'")?.double),
                       70.233702, accuracy: 1e-6)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM size_fraction"), 5)
    }

    func testReplaceOfAValueSheetRetiresTheOldValuesAndInsertsTheNewOnes() throws {
        let store = try labStore(through: "properties")
        let old = try XCTUnwrap(store.batches().first { $0.kind == "properties" })
        let url = try write("""
            sample,property,value,unit,method,measured_on
            C1-S,pH_H2O,4.48,,water 1:2.5,2018-08-20
            C1-S,exch_Na,<0.02,cmol+/kg,cobalt hexamine,2018-08-21
            """ + "\n", name: "properties.csv")
        let summary = try importSheet(store, "properties", url, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.counts.retired, 9)
        XCTAssertEqual(summary.counts.values, 2)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM soil_property WHERE batch_id = ? AND status = 'retired'", [old.id]), 9)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM soil_property WHERE status = 'valid'"), 2)
        XCTAssertEqual(try store.db.scalar("SELECT value FROM soil_property WHERE status = 'valid' AND property = 'pH_H2O'")?.double, 4.48)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM audit_log WHERE action = 'retire' AND sample_id IS NOT NULL AND batch_id = ?",
                                 [summary.batchID]), 9)
        XCTAssertEqual(try store.batch(id: old.id)?.status, "replaced")
    }

    func testReplaceWithTheSameContentSwapsTheBatchAndChangesNoRecord() throws {
        let store = try labStore(through: "plots")
        let summary = try importSheet(store, "plots", nil, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.counts.unchanged, 9)
        XCTAssertEqual(summary.counts.inserted + summary.counts.updated + summary.counts.deleted, 0)
        XCTAssertEqual(try store.batches().filter { $0.kind == "plots" }.map(\.status), ["replaced", "active"])
        XCTAssertEqual(try store.plots().count, 9)
    }

    func testDryRunReportsWhatWouldBeWrittenAndWritesNothing() throws {
        let store = try labStore(through: "samples")
        let before = try counts(store)
        let summary = try importSheet(store, "fractions", nil, SheetImportOptions(dryRun: true))
        XCTAssertTrue(summary.dryRun)
        XCTAssertEqual(summary.counts.inserted, 12)
        XCTAssertEqual(try counts(store), before)
        XCTAssertEqual(summary.lines.first, "Dry run: fractions.tsv (fractions sheet, 9 rows) would be imported as batch 5. Nothing was written.")
        XCTAssertTrue(summary.lines.contains("  insert sample C1-S-F1 (line 2)"), summary.lines.joined(separator: "\n"))
        // The real import afterwards is not refused: the dry run left no batch behind.
        XCTAssertEqual(try importSheet(store, "fractions").batchID, 5)
    }

    // MARK: Bad input: located errors, nothing written

    func testEveryBadInputIsALocatedErrorAndNothingIsWritten() throws {
        let store = try labStore(through: "samples")
        let before = try counts(store)
        let cases: [(kind: String, file: String, delimiter: Character?, expected: [String])] = [
            ("properties", "properties-semicolon.csv", ",", [
                "properties-semicolon.csv:1:1: error: the header \"sample;property;value;unit;method;measured_on\" is one column when split on ','; the file seems to use ';' as delimiter (wrong delimiter? try --delimiter ';'); expected the columns sample,property,value,unit,method,measured_on"]),
            ("samples", "samples-pipe.csv", nil, [
                "samples-pipe.csv:1:1: error: the header \"code|plot|parent|type|depth_top_cm|depth_bottom_cm|collected_on|mass_g|preparation|description\" is one column when split on ','; the file seems to use '|' as delimiter (wrong delimiter? try --delimiter '|'); expected the columns code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description"]),
            ("properties", "properties-too-many-fields.csv", nil, [
                "properties-too-many-fields.csv:3:7: error: this row has 7 fields but the header has 6; expected 6 (wrong delimiter or an unquoted comma?)"]),
            ("samples", "samples-too-few-fields.csv", nil, [
                "samples-too-few-fields.csv:3:7: error: this row has 6 field(s) but the header has 10; expected 10 (a truncated row, or a wrong delimiter?)"]),
            ("samples", "samples-text-in-number.csv", nil, [
                "samples-text-in-number.csv:2:8: error: mass_g: \"about 850\" is not valid; expected a number in g"]),
            ("properties", "properties-unknown-unit.csv", nil, [
                "properties-unknown-unit.csv:3:4: error: unit: \"ppm\" is not valid; expected a unit of CEC: cmol+/kg, cmol/kg, cmolc/kg, meq/100g, mmol+/kg (unknown unit)"]),
            ("fractions", "fractions-negative-mass.csv", nil, [
                "fractions-negative-mass.csv:3:6: error: mass_g: \"-1.2\" is not valid; expected a number ≥ 0 g"]),
            ("properties", "properties-unknown-sample.csv", nil, [
                "properties-unknown-sample.csv:3:1: error: sample: no sample \"C1-SS\" is registered; did you mean \"C1-S\", \"C1-S-G\", \"C2-S\"? (register it first: lims import samples, or lims sample add)"]),
            ("samples", "samples.xlsx", nil, [
                "samples.xlsx:1:1: error: this is a zip archive (an .xlsx workbook?) without its end-of-central-directory record: truncated or damaged; expected a complete .xlsx workbook"]),
            ("samples", "samples.xlsx", ",", [
                "samples.xlsx:1:1: error: this is a zip archive (an .xlsx workbook?) without its end-of-central-directory record: truncated or damaged; expected a complete .xlsx workbook"]),
            ("samples", "empty.csv", nil, [
                "empty.csv:1:1: error: the file is empty; expected a header row with the columns code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description"]),
            ("extractions", "extractions-truncated.csv", nil, [
                "extractions-truncated.csv:2:11: error: a quoted field is not closed before the end of the file (truncated file?)"]),
            ("samples", "samples-unknown-column.csv", nil, [
                "samples-unknown-column.csv:1:3: error: unknown column \"parnt\"; did you mean \"parent\"? (expected columns: code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description)"]),
            ("extractions", "extractions-no-solution.csv", nil, [
                "extractions-no-solution.csv:2:4: error: solution_mass_g: solution_mass_g and solution_volume_ml are both empty; expected at least one (g or mL of CaCl2 solution)",
                "extractions-no-solution.csv:3:3: error: soil_mass_g: \"0\" is not valid; expected a number > 0 g"]),
            ("samples", "samples-many-errors.csv", nil, [
                "samples-many-errors.csv:3:6: error: depth_bottom_cm: \"10\" is not valid; expected a depth below the top (depth_top_cm is 30 cm)",
                "samples-many-errors.csv:4:7: error: collected_on: \"10/07/2018\" is not valid; expected a date written YYYY-MM-DD",
                "samples-many-errors.csv:5:3: error: parent: no sample \"C9-Z\" is registered; did you mean \"C9-A\", \"C1-S\", \"C2-S\"? (register it first: lims import samples, or lims sample add)",
                "samples-many-errors.csv:6:4: error: type: \"soil\" is not valid; expected one of block, bulk, extract, leachate, other, pit_layer, size_fraction, solution, subsample",
                "samples-many-errors.csv:7:1: error: code: sample C9-A appears twice in this file (first on line 2); expected one row per sample"]),
            // Every bad cell of a row, in column order, in one pass (CellProblems).
            ("samples", "samples-every-bad-cell.csv", nil, [
                "samples-every-bad-cell.csv:2:2: error: plot: no plot \"Q7\" is registered; did you mean \"C1\", \"C2\", \"C3\"? (import it first: lims import plots)",
                "samples-every-bad-cell.csv:2:3: error: parent: no sample \"C9-Y\" is registered; did you mean \"C1-S\", \"C2-S\", \"C3-S\"? (register it first: lims import samples, or lims sample add)",
                "samples-every-bad-cell.csv:2:4: error: type: \"soil\" is not valid; expected one of block, bulk, extract, leachate, other, pit_layer, size_fraction, solution, subsample",
                "samples-every-bad-cell.csv:2:5: error: depth_top_cm: \"-1\" is not valid; expected a number ≥ 0 cm",
                "samples-every-bad-cell.csv:2:6: error: depth_bottom_cm: \"ten\" is not valid; expected a number in cm",
                "samples-every-bad-cell.csv:2:7: error: collected_on: \"2018-02-30\" is not valid; expected a date that exists (2018-02 has 28 days)",
                "samples-every-bad-cell.csv:2:8: error: mass_g: \"heavy\" is not valid; expected a number in g",
                "samples-every-bad-cell.csv:3:7: error: collected_on: \"2019-02-29\" is not valid; expected a date that exists (2019-02 has 28 days)",
                "samples-every-bad-cell.csv:3:8: error: mass_g: \"-5\" is not valid; expected a number ≥ 0 g"]),
            // A sheet whose rows run in savepoints: noted cells and the importer's own refusal
            // (mass_g required) together, without a second error for a cell already noted.
            ("fractions", "fractions-every-bad-cell.csv", nil, [
                "fractions-every-bad-cell.csv:2:3: error: lower_um: \"abc\" is not valid; expected a number in um",
                "fractions-every-bad-cell.csv:2:5: error: replicate: \"0\" is not valid; expected a whole number ≥ 1",
                "fractions-every-bad-cell.csv:2:6: error: mass_g: \"-1\" is not valid; expected a number ≥ 0 g",
                "fractions-every-bad-cell.csv:3:5: error: replicate: \"two\" is not valid; expected a whole number",
                "fractions-every-bad-cell.csv:3:6: error: mass_g: an empty cell is not valid; expected a number in g (this column is required)"]),
        ]
        for entry in cases {
            let url = TestSupport.fixture("sheets/bad/\(entry.file)")
            XCTAssertThrowsError(try importSheet(store, entry.kind, url, SheetImportOptions(delimiter: entry.delimiter)), entry.file) { error in
                XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), entry.expected, entry.file)
                XCTAssertEqual((error as? ImportDiagnostics)?.diagnosticLines.last, "\(entry.expected.count) error(s); nothing was written")
            }
            XCTAssertEqual(try counts(store), before, entry.file)
        }
    }

    func testOtherPropertyErrors() throws {
        let store = try labStore(through: "samples")
        let url = try write("""
            sample,property,value,unit,method,measured_on
            C1-S,pH,4.5,,,
            C1-S,pH_H2O,15,,,
            C1-S,TOC,<abc,%,,
            C1-S,TN,,%,,
            C1-S,TOC,2000,g/kg,,
            C1-S,CEC,-1,cmol+/kg,,
            C1-S,exch_Ca,1.2,,,
            """ + "\n", name: "properties.csv")
        XCTAssertThrowsError(try importSheet(store, "properties", url)) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "properties.csv:2:2: error: property: \"pH\" is not valid; expected one of pH_H2O, CEC, exch_Al, exch_Ca, exch_K, exch_Mg, exch_Na, TOC, TN, TC (did you mean \"TC\"?)",
                "properties.csv:3:3: error: value: \"15\" is not valid; expected a pH_H2O from 0 to 14",
                "properties.csv:4:3: error: value: \"<abc\" is not valid; expected a number, or < followed by a number ≥ 0 (e.g. <0.05)",
                "properties.csv:5:3: error: value: an empty cell is not valid; expected a value (this column is required)",
                "properties.csv:6:3: error: value: \"2000\" is not valid; expected a TOC from 0 to 100 % after conversion from g/kg",
                "properties.csv:7:3: error: value: \"-1\" is not valid; expected a CEC ≥ 0 cmol+/kg",
                "properties.csv:8:4: error: unit: an empty cell is not valid; expected a unit of exch_Ca: cmol+/kg, cmol/kg, cmolc/kg, meq/100g, mmol+/kg (the unit is required)",
            ])
        }
    }

    func testHeaderOnlyFileIsABatchWithAWarning() throws {
        let store = try labStore(through: "plots")
        let url = try write("code,plot,parent,type\n", name: "samples.csv")
        let summary = try importSheet(store, "samples", url)
        XCTAssertEqual(summary.rowCount, 0)
        XCTAssertEqual(summary.warnings, ["samples.csv: warning: the file has a header but no rows; nothing to import"])
    }

    func testReadmeLabSheetsSectionListsEveryKindWithItsColumns() throws {
        let readme = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.components(separatedBy: "## Lab sheets").last)
        for importer in SheetRegistry.all {
            XCTAssertTrue(section.contains("| `\(importer.kind)` | `\(importer.columnNames.joined(separator: ","))` |"), importer.kind)
        }
    }

    func testRegistryKindsAreUniqueAndEveryTemplateExampleImportsInOrder() throws {
        XCTAssertEqual(Set(SheetRegistry.kinds).count, SheetRegistry.all.count)
        XCTAssertEqual(SheetRegistry.kinds, Self.order)
        let store = try TestSupport.makeStore()
        for importer in SheetRegistry.all {
            let csv = importer.columns.map(\.name).joined(separator: ",") + "\n"
                + importer.columns.map { CSVText.escape($0.example) }.joined(separator: ",") + "\n"
            let summary = try importSheet(store, importer.kind, try write(csv, name: "\(importer.kind).csv"))
            XCTAssertEqual(summary.counts.inserted > 0, true, importer.kind)
        }
    }
}
