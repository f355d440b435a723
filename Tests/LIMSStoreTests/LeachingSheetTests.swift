import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The leaching and seepage sheet importers and the schema's guards, through the store.
final class LeachingSheetTests: XCTestCase {
    var store: LabStore!

    override func setUpWithError() throws {
        store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
    }

    /// Imports a sheet the way the runner does: one transaction, a batch, every row's
    /// diagnostics collected, nothing written on error.
    @discardableResult
    func importSheet(_ importer: any SheetImporter, _ text: String, file: String = "sheet.csv") throws -> Int64 {
        let sheet = try Sheet(reader: try CSVReader(text: text, fileName: file), columns: importer.columns)
        return try store.write {
            let batchID = try store.insertBatch(ImportBatch(kind: importer.kind, fileName: file, filePath: nil,
                                                            sha256: SHA256.hex(Array(text.utf8)),
                                                            fileSize: Int64(text.utf8.count), format: "sheet"))
            var problems: [ImportDiagnostic] = []
            for row in sheet.rows {
                do { try store.db.writeTransaction { try importer.importRow(row, store: store, batchID: batchID) } }
                catch let d as ImportDiagnostic { problems.append(d) }
            }
            if !problems.isEmpty { throw ImportDiagnostics(problems) }
            return batchID
        }
    }

    func diagnostics(_ body: () throws -> Void) -> [String] {
        do { try body(); return [] } catch let error as ImportDiagnostics { return error.diagnostics.map(\.description) }
        catch { return ["unexpected: \(error)"] }
    }

    func count(_ table: String) throws -> Int {
        try store.db.scalar("SELECT count(*) FROM \(table)")?.int ?? -1
    }

    let runs = """
        run,soil_sample,method,soil_mass_g,column_diameter_cm,column_height_cm,electrolyte,electrolyte_percent,voltage_gradient_v_cm,power_on_h,power_off_h,t_ion_mg_kg,reference_run
        CL-1,C1-S,conventional,1000,8,20,(NH4)2SO4,2,,,,500,
        EK-1,C1-S,electrokinetic,1000,8,20,(NH4)2SO4,2,1.5,12,12,500,CL-1

        """

    func testRunsLeachatesAndMeasurementsAreWrittenAndReadBack() throws {
        try importSheet(LeachingRunSheet(), runs)
        let ek = try XCTUnwrap(try store.leachingRun(code: "EK-1"))
        XCTAssertEqual(ek.referenceRunCode, "CL-1")
        XCTAssertEqual(ek.voltageGradientVPerCm, 1.5)
        XCTAssertEqual(ek.soilVolumeCm3!, Double.pi * 16 * 20, accuracy: 1e-9)
        let batch = try importSheet(LeachateSheet(), """
            run,leachate_sample,time_h,volume_ml,position,La,Ce,REE
            EK-1,EK-1-L1,6,100,outlet,1.5,<0.01,
            EK-1,EK-1-L2,6,40,anode,nd,,3
            """)
        let samplings = try store.leachateSamplings(runID: ek.id)
        XCTAssertEqual(samplings.map(\.position), ["anode", "outlet"])
        let leachate = try XCTUnwrap(try store.sample(code: "EK-1-L1"))
        XCTAssertEqual(leachate.type, "leachate")
        XCTAssertEqual(leachate.parentCode, "C1-S")
        XCTAssertEqual(leachate.plotCode, "C1")
        let values = try store.leachateConcentrations(sampleID: leachate.id)
        XCTAssertEqual(values.map(\.analyte), ["La", "Ce"], "atomic order (AnalyteOrder)")
        XCTAssertEqual(values[1].qualifier, "<")
        XCTAssertNil(values[1].value, "below detection is never a number, let alone zero")
        XCTAssertEqual(values[1].detectionLimit, 0.01)
        XCTAssertEqual(values[1].rawText, "<0.01")
        let row = try XCTUnwrap(try store.db.firstRow("SELECT * FROM measurement WHERE analyte = 'La'"))
        XCTAssertEqual(row.string("method"), "sheet")
        XCTAssertEqual(row.string("unit"), "mg/L")
        XCTAssertEqual(row.string("matrix"), "solution")
        XCTAssertEqual(row.int64("batch_id"), batch)
        XCTAssertEqual(row.int("source_row"), 2)
        XCTAssertEqual(row.int("source_column"), 6)
        XCTAssertEqual(try store.db.scalar("SELECT qualifier FROM measurement WHERE analyte = 'La' AND raw_text = 'nd'")?.string, "nd")
    }

    func testRunSheetRefusesImpossibleRunsAndWritesNothing() throws {
        let problems = diagnostics {
            try importSheet(LeachingRunSheet(), """
                run,soil_sample,method,soil_mass_g,electrolyte,voltage_gradient_v_cm,power_on_h,reference_run
                A,C1-S,conventional,1000,(NH4)2SO4,2,,
                B,C1-S,electrokinetic,1000,(NH4)2SO4,0,,
                C,C1-S,conventional,1000,(NH4)2SO4,,12,
                D,C1-S,batch,1000,(NH4)2SO4,,,
                E,C1-S,conventional,0,(NH4)2SO4,,,
                F,C1-S,conventional,10,(NH4)2SO4,,,F
                G,C1-S,conventional,10,(NH4)2SO4,,,Z
                """, file: "runs.csv")
        }
        XCTAssertEqual(problems, [
            "runs.csv:2:6: error: voltage_gradient_v_cm: \"2\" is not valid; expected empty or 0 for a conventional run (or method electrokinetic)",
            "runs.csv:3:6: error: voltage_gradient_v_cm: \"0\" is not valid; expected a voltage gradient > 0 V/cm for an electrokinetic run",
            "runs.csv:4:7: error: power_on_h: a power schedule belongs to an electrokinetic run",
            "runs.csv:5:3: error: method: \"batch\" is not valid; expected one of conventional, electrokinetic",
            "runs.csv:6:4: error: soil_mass_g: \"0\" is not valid; expected a number > 0 g",
            "runs.csv:7:8: error: reference_run: \"F\" is not valid; expected another run than this one",
            "runs.csv:8:8: error: reference_run: leaching run \"Z\" does not exist (import it first with the leaching-runs sheet)",
        ])
        XCTAssertEqual(try count("leaching_run"), 0)
        XCTAssertEqual(try count("import_batch"), 0)
    }

    func testLeachateSampleMustBeALeachateOfTheRunsSoil() throws {
        try importSheet(LeachingRunSheet(), runs)
        let problems = diagnostics {
            try importSheet(LeachateSheet(), """
                run,leachate_sample,time_h,volume_ml
                CL-1,M1-S,6,100
                CL-1,CL-1-L1,6,100
                CL-1,CL-1-L2,6,100
                CL-1,CL-1-L3,-1,100
                """, file: "leachate.csv")
        }
        XCTAssertEqual(problems, [
            "leachate.csv:2:2: error: leachate_sample: sample \"M1-S\" exists but is not a leachate of C1-S (type bulk); use a new code",
            "leachate.csv:4:3: error: time_h: run CL-1 already has a collection at 6 h at outlet",
            "leachate.csv:5:3: error: time_h: \"-1\" is not valid; expected a number ≥ 0 h",
        ])
        XCTAssertNil(try store.sample(code: "CL-1-L1"), "nothing written")
    }

    func testElectricLogAndCathodeBelongToElectrokineticRuns() throws {
        try importSheet(LeachingRunSheet(), runs)
        let problems = diagnostics {
            try importSheet(ElectricLogSheet(), "run,time_h,voltage_v,current_ma\nCL-1,0,20,30\nEK-1,0,20,-3\n", file: "log.csv")
        }
        XCTAssertEqual(problems, [
            "log.csv:2:1: error: run: run CL-1 is a conventional run; an electric log belongs to an electrokinetic run",
            "log.csv:3:4: error: current_ma: \"-3\" is not valid; expected a number ≥ 0 mA",
        ])
        try importSheet(ElectricLogSheet(), "run,time_h,voltage_v,current_ma\nEK-1,0,30,40\nEK-1,2,30,35\n")
        XCTAssertEqual(try store.electricReadings(runID: try store.requireLeachingRun(code: "EK-1").id).count, 2)
        XCTAssertEqual(diagnostics { try importSheet(CathodeSheet(), "run,element,amount_mg\nEK-1,lanthanum,3\n", file: "c.csv") },
                       ["c.csv:2:2: error: element: \"lanthanum\" is not valid; expected an element symbol (La, Ce, Al …) or REE"])
        try importSheet(CathodeSheet(), "run,element,amount_mg\nEK-1,REE,3.5\n")
        XCTAssertEqual(try store.cathodeRecoveries(runID: try store.requireLeachingRun(code: "EK-1").id),
                       [CathodeRecovery(element: "REE", amountMg: 3.5)])
    }

    func testSeepageTestsReadingsAndSWCC() throws {
        let tests = """
            test,sample,solution,concentration_percent,path,specimen_length_cm,specimen_diameter_cm,standpipe_area_cm2,dry_density_g_cm3
            SP-W,C1-S,water,,,4,6.18,0.5,1.55
            SP-P,C1-S,(NH4)2SO4,1,3%->1%,4,6.18,0.5,1.55
            """
        try importSheet(SeepageTestSheet(), tests)
        let water = try XCTUnwrap(try store.seepageTest(code: "SP-W"))
        XCTAssertEqual(water.specimenAreaCm2, Double.pi * 6.18 * 6.18 / 4, accuracy: 1e-12)
        XCTAssertEqual(water.conditionLabel, "water")
        XCTAssertEqual(try store.seepageTest(code: "SP-P")?.conditionLabel, "1 % (NH4)2SO4 (path 3%->1%)")
        let bad = diagnostics {
            try importSheet(SeepageTestSheet(), """
                test,sample,solution,concentration_percent,specimen_length_cm,specimen_area_cm2,standpipe_area_cm2
                X1,C1-S,water,3,4,30,0.5
                X2,C1-S,MgSO4,,4,30,0.5
                X3,C1-S,MgSO4,3,4,30,40
                X4,C1-S,MgSO4,3,4,,0.5
                """, file: "tests.csv")
        }
        XCTAssertEqual(bad, [
            "tests.csv:2:4: error: concentration_percent: \"3\" is not valid; expected 0 or empty for water",
            "tests.csv:3:4: error: concentration_percent: an empty cell is not valid; expected a concentration > 0 % for MgSO4",
            "tests.csv:4:7: error: standpipe_area_cm2: \"40\" is not valid; expected a standpipe smaller than the specimen (30 cm2)",
            "tests.csv:5:6: error: specimen_area_cm2: an empty cell is not valid; expected an area in cm2 (or specimen_diameter_cm in cm)",
        ])
        XCTAssertEqual(diagnostics {
            try importSheet(HeadReadingSheet(), "test,reading,h1_cm,h2_cm,dt_s,temperature_c\nSP-W,1,80,90,600,20\nSP-X,1,90,80,600,20\n", file: "h.csv")
        }, [
            "h.csv:2:4: error: h2_cm: \"90\" is not valid; expected a head lower than h1 = 80 cm (falling head)",
            "h.csv:3:1: error: test: seepage test \"SP-X\" does not exist; did you mean \"SP-P\", \"SP-W\"? (import it first with the seepage-tests sheet)",
        ])
        try importSheet(HeadReadingSheet(), "test,reading,h1_cm,h2_cm,dt_s,temperature_c\nSP-W,1,100,80,600,22\nSP-W,2,100,79,600,\n")
        XCTAssertEqual(try store.headReadings(testID: water.id).map(\.temperatureC), [22, nil])

        XCTAssertEqual(diagnostics {
            try importSheet(SWCCSheet(), """
                test,sample,seepage_test,suction_kpa,water_content_percent,dry_density_g_cm3
                W1,,,0,26,1.55
                W2,C1-S,,0,26,
                """, file: "s.csv")
        }, [
            "s.csv:2:2: error: sample: an empty cell is not valid; expected the sample code on the first row of test W1",
            "s.csv:3:6: error: dry_density_g_cm3: an empty cell is not valid; expected a dry density (g/cm3) on this row or on the test's first row (needed for θ = w·ρd/ρw)",
        ])
        try importSheet(SWCCSheet(), """
            test,sample,seepage_test,suction_kpa,water_content_percent,dry_density_g_cm3
            W1,C1-S,SP-W,0,26,1.55
            W1,,,10,20,
            W1,C1-S,,100,8,1.6
            """)
        let swcc = try XCTUnwrap(try store.swccTests().first)
        XCTAssertEqual(swcc.seepageTestCode, "SP-W")
        XCTAssertEqual(swcc.steps.map(\.suctionKPa), [0, 10, 100])
        XCTAssertEqual(swcc.steps.map(\.waterContent), [0.26, 0.20, 0.08])
        XCTAssertEqual(swcc.steps.map(\.dryDensityGPerCm3), [1.55, nil, 1.6])
        XCTAssertEqual(diagnostics {
            try importSheet(SWCCSheet(), "test,sample,suction_kpa,water_content_percent\nW1,M1-S,50,10\nW1,,10,19\n", file: "s2.csv")
        }, [
            "s2.csv:2:2: error: sample: \"M1-S\" is not valid; expected C1-S as on the first row of test W1 (or empty)",
            "s2.csv:3:3: error: suction_kpa: test W1 already has a step at 10 kPa",
        ])
    }

    func testSchemaRefusesImpossibleValues() throws {
        try importSheet(LeachingRunSheet(), runs)
        let soil = try store.requireSample(code: "C1-S").id
        let cases: [(String, [any SQLValueConvertible])] = [
            ("INSERT INTO leaching_run (code, soil_sample_id, method, soil_mass_g, electrolyte, voltage_gradient_v_cm) VALUES ('X', ?, 'conventional', 10, 'w', 2)", [soil]),
            ("INSERT INTO leaching_run (code, soil_sample_id, method, soil_mass_g, electrolyte) VALUES ('X', ?, 'electrokinetic', 10, 'w')", [soil]),
            ("INSERT INTO leaching_run (code, soil_sample_id, method, soil_mass_g, electrolyte) VALUES ('X', ?, 'conventional', -1, 'w')", [soil]),
            ("INSERT INTO leaching_run (code, soil_sample_id, method, soil_mass_g, electrolyte, bulk_density_g_cm3) VALUES ('X', ?, 'conventional', 1, 'w', 9)", [soil]),
            ("INSERT INTO leaching_run (code, soil_sample_id, method, soil_mass_g, electrolyte) VALUES ('X', 99999, 'conventional', 1, 'w')", []),
            ("INSERT INTO seepage_test (code, sample_id, solution, concentration_percent, specimen_length_cm, specimen_area_cm2, standpipe_area_cm2) VALUES ('S', ?, 'water', 2, 1, 1, 1)", [soil]),
            ("INSERT INTO swcc_step (swcc_test_id, suction_kpa, water_content) VALUES (99999, 1, 0.2)", []),
        ]
        for (sql, arguments) in cases {
            XCTAssertThrowsError(try store.db.execute(sql, arguments), sql) { error in
                XCTAssertTrue((error as? DatabaseError)?.isConstraintViolation == true, "\(error)")
            }
        }
    }
}
