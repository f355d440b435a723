import XCTest
import LIMSTestSupport
@testable import LIMSStore

/// Issue #13: blanks and LOD/LOQ, CRM recovery, duplicates, drift, Westgard rules, the batch verdict.
/// Expected figures come from `Tests/Fixtures/qc/qc_independent.py` (numpy, written without the
/// Swift code); tolerances are stated where a value is compared.
final class QualityControlTests: XCTestCase {
    var store: LabStore!

    override func setUpWithError() throws {
        store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
    }

    func importRun(_ url: URL, _ options: ResultsImportOptions = .init()) throws -> Int64 {
        try XCTUnwrap(try ResultsImport(store: store, url: url, options: options).run().batchID)
    }

    // MARK: Westgard rules on hand-made series (target mean 0, SD 1, so values are z)

    func fired(_ z: [Double]) -> [Int: [WestgardRule]] {
        var result: [Int: [WestgardRule]] = [:]
        for (i, rules) in WestgardRule.evaluate(z, mean: 0, sd: 1).enumerated() where !rules.isEmpty { result[i] = rules }
        return result
    }

    /// Alternating small values break no rule; each series below adds what triggers one rule once.
    func testEachWestgardRuleFiresOnItsSeriesAndNoneOnACalmOne() {
        let calm = [0.5, -0.5, 0.4, -0.6, 0.3, -0.3, 0.8, -0.8, 0.1, -0.2, 0.5, -0.5]
        XCTAssertEqual(fired(calm), [:])
        XCTAssertEqual(fired([0.5, -0.5, 2.5, -0.5, 0.5]), [2: [.oneTwoS]])
        XCTAssertEqual(fired([0.5, -0.5, 3.5, -0.5, 0.5]), [2: [.oneTwoS, .oneThreeS]])
        XCTAssertEqual(fired([0.5, -0.5, 2.4, 2.6, -0.5]), [2: [.oneTwoS], 3: [.oneTwoS, .twoTwoS]])
        XCTAssertEqual(fired([0.5, -0.5, 2.4, -2.3, 0.5]), [2: [.oneTwoS], 3: [.oneTwoS, .rFourS]])
        XCTAssertEqual(fired([0.5, -0.5, 1.5, 1.2, 1.8, 1.1, -0.5]), [5: [.fourOneS]])
        XCTAssertEqual(fired([-0.5, 0.3, 0.2, 0.6, 0.4, 0.1, 0.5, 0.2, 0.3, 0.7, 0.4, -0.2]), [10: [.tenX]])
        // No SD, no rules.
        XCTAssertEqual(WestgardRule.evaluate([1, 2, 3], mean: 2, sd: 0), [[], [], []])
    }

    // MARK: The project's own run with known CRM, duplicate, blank and CCV values

    /// qc_independent.py (a):
    ///   blank La: n=3 mean=0.012 sd=0.002 lod=0.006 loq=0.02
    ///   blank Ce: n=2 mean=0.02 sd=0.001414213562 lod=0.004242640687 loq=0.01414213562
    ///   crm La: recovery=96.02815485 pass=True; crm Ce: recovery=112.496943 pass=False
    ///   rpd C1-S D La: 5.555555556 limit=20 pass; Ce: 25 limit=20 FAIL; C2-S D La: 28.57142857 limit=40 pass
    ///   ccv La: recovery=102.4 pass; ccv Ce: recovery=88 FAIL
    func testOwnRunAgreesWithTheIndependentComputation() throws {
        let batch = try importRun(TestSupport.fixture("qc/qc_run_small.csv"))
        let report = try BatchQCEvaluator(store: store).evaluate(batchID: batch)
        let tolerance = 1e-9
        let la = try XCTUnwrap(report.blanks.first { $0.line.element == "La" })
        XCTAssertEqual(la.n, 3); XCTAssertEqual(la.mean ?? 0, 0.012, accuracy: tolerance)
        XCTAssertEqual(la.lod ?? 0, 0.006, accuracy: tolerance); XCTAssertEqual(la.loq ?? 0, 0.02, accuracy: tolerance)
        let ce = try XCTUnwrap(report.blanks.first { $0.line.element == "Ce" })
        XCTAssertEqual([ce.n, ce.censored], [2, 1]); XCTAssertEqual(ce.lod ?? 0, 0.004242640687, accuracy: 1e-12)

        XCTAssertEqual(report.crm.count, 2)
        XCTAssertEqual(report.crm[0].crmName, "NIST 2709a")
        XCTAssertEqual(report.crm[0].certified?.crmName, "NIST SRM 2709a")
        XCTAssertEqual(report.crm[0].recovery ?? 0, 96.02815485, accuracy: 1e-6); XCTAssertEqual(report.crm[0].pass, true)
        XCTAssertEqual(report.crm[1].recovery ?? 0, 112.496943, accuracy: 1e-6); XCTAssertEqual(report.crm[1].pass, false)

        let pairs = report.duplicates.map { "\($0.label) \($0.line.element) \(String(format: "%.6f", $0.rpd)) \($0.limit ?? -1) \($0.pass ?? false)" }
        XCTAssertEqual(pairs, ["C1-S D La 5.555556 20.0 true", "C1-S D Ce 25.000000 20.0 false", "C2-S D La 28.571429 40.0 true"])
        XCTAssertEqual(report.duplicates[2].note, "near the DL (< 10 × DL): limit doubled")

        XCTAssertEqual(report.drift.map(\.expectedFrom), ["label", "label"])
        XCTAssertEqual(report.drift[0].recovery, 102.4, accuracy: 1e-9); XCTAssertTrue(report.drift[0].pass)
        XCTAssertEqual(report.drift[1].recovery, 88, accuracy: 1e-9); XCTAssertFalse(report.drift[1].pass)

        XCTAssertEqual(report.verdict, .fail)
        XCTAssertEqual(report.reasons.count, 3, "\(report.reasons)")
        XCTAssertTrue(report.reasons[0].hasPrefix("1 CRM recoveries outside 90–110 %: NIST 2709a Ce 112.5 %"), report.reasons[0])
        XCTAssertTrue(report.reasons[1].hasPrefix("1 duplicate RPDs above their limit: C1-S D Ce 25.0 %"), report.reasons[1])
        XCTAssertTrue(report.reasons[2].hasPrefix("1 check-standard recoveries outside 90–110 % (drift): CCV 50 ppb Ce 88.0 %"), report.reasons[2])
    }

    func testLimitsAreTheLabsAndWidenTheVerdict() throws {
        let batch = try importRun(TestSupport.fixture("qc/qc_run_small.csv"))
        try QCSettings.set("crm_recovery_high", to: 115, store: store)
        try QCSettings.set("duplicate_rpd_max", to: 30, store: store)
        try QCSettings.set("ccv_recovery_low", to: 85, store: store)
        let report = try BatchQCEvaluator(store: store).evaluate(batchID: batch)
        XCTAssertEqual(report.verdict, .pass, "\(report.reasons)")
        XCTAssertThrowsError(try QCSettings.set("ccv_recovery_low", to: 120, store: store)) { error in
            XCTAssertTrue("\(error)".contains("ccv_recovery_low (120) not above ccv_recovery_high (110)"), "\(error)")
        }
        XCTAssertEqual(try QCSettings.load(store).ccvRecovery.lowerBound, 85)
        XCTAssertThrowsError(try QCSettings.set("crm_low", to: 1, store: store))
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'qc_setting'")?.int, 3)
    }

    func testBlankCorrectionIsDerivedAndLeavesTheStoredValue() throws {
        let batch = try importRun(TestSupport.fixture("qc/qc_run_small.csv"))
        let result = try BlankCorrection(store: store).apply(batchID: batch)
        XCTAssertEqual(result, BlankCorrection.Result(corrected: 3, lines: 2, skippedLines: []))  // C1-S La, Ce; C2-S La (QC rows are not results)
        // C1-S La 35.0 − blank mean 0.012 = 34.988 (stored value unchanged).
        let row = try XCTUnwrap(try store.db.firstRow("""
            SELECT m.value AS stored, b.value AS corrected, b.blank_n FROM blank_corrected_value b
            JOIN measurement m ON m.id = b.measurement_id JOIN sample s ON s.id = m.sample_id WHERE s.code = 'C1-S' AND m.analyte = 'La'
            """))
        XCTAssertEqual(row.double("stored"), 35.0); XCTAssertEqual(row.double("corrected") ?? 0, 34.988, accuracy: 1e-12)
        XCTAssertEqual(row.int("blank_n"), 3)
        // Again: replaced, not doubled.
        _ = try BlankCorrection(store: store).apply(batchID: batch)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM blank_corrected_value")?.int, 3)
    }

    // MARK: CRM catalog

    func testCRMSheetImportsValuesAndRefusesBadRowsWritingNothing() throws {
        let good = TestSupport.temporaryDirectory().appendingPathComponent("crm.csv")
        try "crm,analyte,value,unit,uncertainty,kind,citation\nTEST-CRM 1,La,40.2,mg/kg,1.1,certified,invented for the test\nTEST-CRM 1,Ce,0.0081,%,,reference,\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let before = try CRMCatalog.all(store).count
        XCTAssertEqual(try CRMCatalog.importSheet(url: good, store: store).added, 2)
        let ce = try XCTUnwrap(CRMCatalog.values(for: "test-crm-1", in: try CRMCatalog.all(store))["Ce"])
        XCTAssertEqual(CRMCatalog.milligramsPerKilogram(ce) ?? 0, 81, accuracy: 1e-9)  // 0.0081 % = 81 mg/kg
        XCTAssertEqual(ce.kind, "reference")
        XCTAssertEqual(try CRMCatalog.importSheet(url: good, store: store).replaced, 2)

        let bad = TestSupport.temporaryDirectory().appendingPathComponent("bad-crm.csv")
        try "crm,analyte,value,unit\nX,Lx,1,mg/kg\nX,La,-2,mg/kg\nX,Ce,3,mg/L\nX,Nd,4,mg/kg\nX,Nd,5,mg/kg\n".write(to: bad, atomically: true, encoding: .utf8)
        let counts = try store.tableCounts().map { "\($0.table)=\($0.count)" }
        XCTAssertThrowsError(try CRMCatalog.importSheet(url: bad, store: store)) { error in
            let text = (error as? DiagnosticError)?.diagnosticLines.joined(separator: "\n") ?? "\(error)"
            for part in ["bad-crm.csv:2:2: error: analyte: \"Lx\" is not valid; expected an element symbol",
                         "bad-crm.csv:3:3: error: value: \"-2\" is not valid; expected a number > 0",
                         "bad-crm.csv:4:4: error: unit: \"mg/L\" is not valid; expected a mass fraction unit",
                         "bad-crm.csv:6:2: error: analyte: X Nd is given twice (first on line 5)"] {
                XCTAssertTrue(text.contains(part), "\(part) not in \(text)")
            }
        }
        XCTAssertEqual(try store.tableCounts().map { "\($0.table)=\($0.count)" }, counts)
        XCTAssertEqual(try CRMCatalog.all(store).count, before + 2)
        XCTAssertEqual(CRMCatalog.key("NIST SRM 2711a"), CRMCatalog.key("srm-2711a"))
        XCTAssertEqual(CRMCatalog.key("OREAS 45d"), CRMCatalog.key("Oreas45D"))
    }

    // MARK: Shared real exports

    /// qc_independent.py (b): Lab Control Sample recovery relative to the first, Mn 257.610:
    ///   100.000000 99.022931 99.725777 99.196010 100.483865 96.317363 98.854821 100.019871 99.556871
    /// (c): OREAS 600 Au: n=8 mean=0.03875 sd=0.03447877194; z[3] = -2.051987 fires 1-2s only.
    func testRealExportsAgreeWithTheIndependentComputation() throws {
        guard let varian = ResultsImportTests.realExport("varian_vistapro_icpexpert_export.csv"),
              let pinaacle = ResultsImportTests.realExport("perkinelmer_winlab32_optima8300_PinAAcle900H.csv") else {
            throw XCTSkip("../shared is absent: the real exports are not checked")
        }
        let v = try BatchQCEvaluator(store: store).evaluate(batchID: try importRun(varian, .init(allowUnmatched: true)))
        let mn = v.drift.filter { $0.line.element == "Mn" }.map(\.recovery)
        let expected = [100.000000, 99.022931, 99.725777, 99.196010, 100.483865, 96.317363, 98.854821, 100.019871, 99.556871]
        XCTAssertEqual(mn.count, expected.count)
        for (a, b) in zip(mn, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertTrue(v.drift.allSatisfy { $0.expectedFrom == "first CCV of the run" && $0.pass })

        let batch = try importRun(pinaacle, .init(allowUnmatched: true))
        let line = AnalyteLine(element: "Au", wavelengthNm: 242.8)
        let chart = try XCTUnwrap(try ControlChart.build(store: store, crm: "OREAS 600", line: line))
        XCTAssertEqual(chart.points.count, 8)
        XCTAssertEqual(chart.mean ?? 0, 0.03875, accuracy: 1e-12)
        XCTAssertEqual(chart.sd ?? 0, 0.03447877194, accuracy: 1e-10)
        XCTAssertEqual(chart.points[3].z ?? 0, -2.051987, accuracy: 1e-6)
        XCTAssertEqual(chart.points.enumerated().filter { !$0.element.rules.isEmpty }.map { "\($0.offset) \($0.element.rules)" }, ["3 [LIMSStore.WestgardRule.oneTwoS]"])
        let report = try BatchQCEvaluator(store: store).evaluate(batchID: batch)
        XCTAssertEqual(report.verdict, .warning)
        XCTAssertEqual(report.westgard.map(\.label), ["ORREAS-DPL 600"])
        // OREAS 45d has no stored certificate here: shown, not judged, and said so.
        XCTAssertTrue(report.crm.allSatisfy { $0.note == "no certified value" })
        XCTAssertTrue(report.reasons.contains("CRMs measured but none has a certified value that can judge them (lims crm import)"))
    }
}
