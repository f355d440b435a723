import XCTest
@testable import Reports
@testable import LIMSStore
import LIMSTestSupport

/// The leaching and seepage reports built from a store, on a small case computed by hand
/// (each expected number is worked out in the comments).
final class LeachingReportTests: XCTestCase {
    var store: LabStore!

    override func setUpWithError() throws {
        store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
    }

    func importSheet(_ importer: any SheetImporter, _ text: String) throws {
        let sheet = try Sheet(reader: try CSVReader(text: text, fileName: "t.csv"), columns: importer.columns)
        try store.write {
            let batchID = try store.insertBatch(ImportBatch(kind: importer.kind, fileName: "t.csv", filePath: nil,
                                                            sha256: SHA256.hex(Array(text.utf8)),
                                                            fileSize: Int64(text.utf8.count), format: "sheet"))
            for row in sheet.rows { try importer.importRow(row, store: store, batchID: batchID) }
        }
    }

    func seedRuns() throws {
        try importSheet(LeachingRunSheet(), """
            run,soil_sample,method,soil_mass_g,bulk_density_g_cm3,electrolyte,voltage_gradient_v_cm,t_ion_mg_kg
            R1,C1-S,conventional,500,1.25,(NH4)2SO4,,100
            R2,C1-S,electrokinetic,500,1.25,(NH4)2SO4,1,
            """)
        try importSheet(LeachateSheet(), """
            run,leachate_sample,time_h,volume_ml,position,La,Ce,Nd,Al
            R1,L1,2,50,outlet,2,<0.2,1,10
            R1,L2,2,25,anode,1,,,
            R1,L3,5,100,outlet,,,,
            R1,L4,10,100,outlet,0.05,,,2
            R2,L5,4,50,outlet,4,,,5
            """)
        // L3's values come from an instrument import (matched by the leachate's code), one in µg/L.
        let l3 = try store.requireSample(code: "L3").id
        for (analyte, value, unit) in [("La", 0.5, "mg/L"), ("Nd", 0.3, "mg/L"), ("Ce", 40.0, "µg/L")] {
            try store.db.execute("""
                INSERT INTO measurement (sample_id, analyte, value, raw_text, unit, method) VALUES (?, ?, ?, ?, ?, 'ICP-MS')
                """, [l3, analyte, value, String(value), unit])
        }
        try importSheet(ElectricLogSheet(), "run,time_h,voltage_v,current_ma\nR2,0,10,100\nR2,1,10,80\nR2,3,10,60\n")
        try importSheet(CathodeSheet(), "run,element,amount_mg\nR2,La,1\nR2,Ce,0.5\n")
        try importSheet(LeachingResidualSheet(), "run,position,distance_cm,element,c_initial_mg_kg,c_final_mg_kg\nR2,S1,1,REE,100,20\n")
    }

    func testLeachingReportByHand() throws {
        try seedRuns()
        let report = try LeachingReport.build(store: store, options: .init(referenceRunCode: "R1", tolerancePercent: 5))
        let r1 = report.results[0], r2 = report.results[1]
        // R1 at 2 h: L1 La 2 + Ce <0.2 → 0.1 (DL/2) + Nd 1 = 3.1 mg/L × 50 mL / 500 g = 0.31; L2 1 × 25 / 500 = 0.05 → 0.36.
        // 5 h: L3 (ICP) 0.5 + 0.3 = 0.8 × 100 / 500 = 0.16 (Ce in µg/L left out) → 0.52. 10 h: 0.05 × 100 / 500 = 0.01 → 0.53.
        XCTAssertEqual(r1.timeline.map(\.timeH), [2, 5, 10])
        for (a, b) in zip(r1.timeline.map(\.cumulativeMgPerKg), [0.36, 0.52, 0.53]) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(r1.reeBasis, "sum of La–Lu")
        XCTAssertEqual(r1.recoveryPercent!, 0.53, accuracy: 1e-12)            // 0.53 / 100 × 100
        XCTAssertEqual(r1.timeToEquilibriumH, 5)                               // 0.53 − 0.52 ≤ 5 % × 0.53; 0.53 − 0.36 is not
        XCTAssertEqual(r1.substitutedValues, 1)
        XCTAssertTrue(r1.notes.contains("L3 Ce: unit µg/L is not mg/L; left out"), "\(r1.notes)")
        XCTAssertEqual(r1.elementTotals["Al"]!, 1.4, accuracy: 1e-12)         // 10 × 50/500 + 2 × 100/500
        XCTAssertNil(r1.energyKWh)
        // R2: 4 × 50 / 500 = 0.4; cathode La 1 + Ce 0.5 = 1.5 mg / 0.5 kg = 3 mg/kg; no T_ion.
        XCTAssertEqual(r2.leachateREEMgPerKg, 0.4, accuracy: 1e-12)
        XCTAssertEqual(r2.cathodeREEMgPerKg!, 3, accuracy: 1e-12)
        XCTAssertNil(r2.recoveryPercent)
        XCTAssertTrue(r2.notes.contains("no T_ion for run R2; recovery efficiency not computed"))
        // Al 5 × 50/500 = 0.5 against R1's 1.4: (1.4 − 0.5)/1.4 × 100 = 64.2857 %.
        XCTAssertEqual(r2.referenceRunCode, "R1")
        XCTAssertEqual(r2.impurities.first { $0.element == "Al" }!.reductionPercent!, 64.28571428571429, accuracy: 1e-9)
        // P = 1.0, 0.8, 0.6 W at 0, 1, 3 h: (1 + 0.8)/2·1 + (0.8 + 0.6)/2·2 = 2.3 Wh = 0.0023 kWh;
        // soil volume 500 g / 1.25 g/cm³ = 400 cm³ → 0.0023 / 0.0004 = 5.75 kWh/m³.
        XCTAssertEqual(r2.energyKWh!, 0.0023, accuracy: 1e-15)
        XCTAssertEqual(r2.energyKWhPerM3!, 5.75, accuracy: 1e-12)
        XCTAssertEqual(r2.removals.first!.efficiencyPercent, 80, accuracy: 1e-12)

        let md = report.markdown(figuresDirectory: "f")
        XCTAssertTrue(md.contains("| R1 | 0.53 | – | 0.5 | 5 | – | – |"), md)
        XCTAssertTrue(md.contains("| R2 | R1 | – | 0.5 (−64.3 %) |"), md)  // impurity columns in atomic order: Na, Al …
        XCTAssertTrue(md.contains("R1: 1 below-detection value(s) substituted by DL/2"))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        let runs = json["runs"] as! [[String: Any]]
        XCTAssertTrue(runs[1]["recovery_percent"] is NSNull)
        XCTAssertEqual(runs[0]["time_to_equilibrium_h"] as? Double, 5)
        XCTAssertTrue(report.figures[0].svg.contains("<polyline"))
    }

    func testOnlySelectedRunsAndUnknownRun() throws {
        try seedRuns()
        XCTAssertEqual(try LeachingReport.build(store: store, options: .init(runCodes: ["R2"])).results.map(\.run.code), ["R2"])
        XCTAssertThrowsError(try LeachingReport.build(store: store, options: .init(runCodes: ["R3"]))) { error in
            XCTAssertEqual("\(error)", "leaching run \"R3\" does not exist; did you mean \"R1\", \"R2\"?")
        }
    }

    func testSeepageReportByHand() throws {
        try importSheet(SeepageTestSheet(), """
            test,sample,solution,concentration_percent,specimen_length_cm,specimen_area_cm2,standpipe_area_cm2
            W,C1-S,water,,4,30,0.5
            W2,M1-S,water,,4,30,0.5
            """)
        // W: k = 0.5·4/(30·600)·ln(100/80) = 2.47938e-5 cm/s at 20 °C (η ratio 1); at 25 °C ×0.8881659730903543.
        try importSheet(HeadReadingSheet(), "test,reading,h1_cm,h2_cm,dt_s,temperature_c\nW,1,100,80,600,20\nW,2,100,80,600,25\nW2,1,100,80,600,\n")
        let report = try SeepageReport.build(store: store)
        let k = 0.5 * 4 / (30 * 600) * log(100.0 / 80)
        let w = report.tests[0]
        XCTAssertTrue(w.correctedTo20C)
        XCTAssertEqual(w.readings[1].k20!, k * 0.8881659730903543, accuracy: 1e-15)
        XCTAssertEqual(w.meanK!, k * (1 + 0.8881659730903543) / 2, accuracy: 1e-15)
        // W2 has no temperature: k_T, said so.
        XCTAssertFalse(report.tests[1].correctedTo20C)
        XCTAssertEqual(report.tests[1].meanK!, k, accuracy: 1e-15)
        XCTAssertEqual(report.conditions.count, 1)
        XCTAssertEqual(report.conditions[0].tests, ["W", "W2"])
        let md = report.markdown(figuresDirectory: nil)
        XCTAssertTrue(md.contains("| W2 | M1-S | – | water | 0 | – | 4 | 30 | 0.5 | 1 | 2.479e-05 | – | k_T (not corrected) |"), md)
        let uncorrected = try SeepageReport.build(store: store, options: .init(correctTo20C: false))
        // Without the correction both readings of W are k_T = k (same heads and time).
        XCTAssertFalse(uncorrected.tests[0].correctedTo20C)
        XCTAssertEqual(uncorrected.tests[0].meanK!, k, accuracy: 1e-15)
    }
}
