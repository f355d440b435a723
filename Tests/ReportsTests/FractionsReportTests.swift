import XCTest
import LIMSStore
import LIMSTestSupport
@testable import Reports

/// Size fractions through the store. Expected numbers from Tests/Fixtures/reports/independent_check.py (numpy):
/// three classes × three replicates of C1-S, La and Fe (mg/kg) and TOC (%) on each fraction and the bulk.
final class FractionsReportTests: XCTestCase {
    static let classes: [(String, Double?, Double?)] = [("250-2000 um", 250, 2000), ("50-250 um", 50, 250), ("<50 um", nil, 50)]
    static let masses = [[58.3, 23.1, 18.6], [56.9, 24.5, 18.6], [59.2, 22.6, 18.2]]   // [replicate][class]
    static let la = [[30.1, 31.5, 29.8], [52.3, 50.9, 53.8], [110.2, 108.7, 112.5]]   // [class][replicate]
    static let fe = [[8000.0, 8200, 7900], [15000, 14800, 15500], [42000, 41000, 43000]]
    static let toc = [[0.12, 0.10, 0.11], [0.25, 0.27, 0.24], [0.80, 0.85, 0.78]]

    func makeLab(recoveryOnly: Bool = false) throws -> ReportTestLab {
        let lab = try ReportTestLab.make()
        try lab.measure("C1-S", "La", 45.2)
        try lab.measure("C1-S", "Fe", 15500)
        try lab.property("C1-S", "TOC", 0.30, unit: "%")
        for replicate in 0..<3 {
            for (c, (label, lower, upper)) in Self.classes.enumerated() {
                let code = "C1-F\(c + 1)-r\(replicate + 1)"
                try lab.fraction("C1-S", label, lower: lower, upper: upper, replicate: replicate + 1,
                                 massG: Self.masses[replicate][c], fractionSample: code)
                try lab.measure(code, "La", Self.la[c][replicate])
                try lab.measure(code, "Fe", Self.fe[c][replicate])
                try lab.property(code, "TOC", Self.toc[c][replicate], unit: "%")
            }
        }
        return lab
    }

    func testMassPercentEnrichmentAndRecovery() throws {
        let lab = try makeLab()
        var options = ReportOptions()
        options.recoveryRange = 95...110
        let document = try ReportBuilder(store: lab.store, options: options).build([.fractions])
        let sample = try ReportTestLab.json(document).object("sections").object("fractions").array("samples")[0]
        XCTAssertEqual(sample["sample"] as? String, "C1-S")
        let classes = sample.array("classes")
        XCTAssertEqual(classes.map { $0["class"] as? String }, ["250-2000 um", "50-250 um", "<50 um"])
        let expectedMass = [(58.1333333333, 1.15902257671), (23.4, 0.98488578018), (18.4666666667, 0.230940107676)]
        for (c, (mean, sd)) in zip(classes, expectedMass) {
            XCTAssertEqual(c.double("mass_percent_mean")!, mean, accuracy: 1e-9)
            XCTAssertEqual(c.double("mass_percent_sd")!, sd, accuracy: 1e-9)
            XCTAssertEqual(c["replicates"] as? Int, 3)
        }
        let expected: [String: ([Double], Double)] = [
            "La": ([0.674041297935, 1.15781710914, 2.44395280236], 111.408849558),
            "Fe": ([0.518279569892, 0.974193548387, 2.70967741935], 102.964157706),
            "TOC": ([0.366666666667, 0.844444444444, 2.7], 90.9355555556),
        ]
        let quantities = sample.array("quantities")
        XCTAssertEqual(quantities.map { $0["quantity"] as? String }, ["Fe", "La", "TOC"], "atomic order, non-elements last")
        for q in quantities {
            let (efs, recovery) = expected[q["quantity"] as! String]!
            for (c, ef) in zip(q.array("classes"), efs) { XCTAssertEqual(c.double("enrichment_factor")!, ef, accuracy: 1e-9) }
            XCTAssertEqual(q.double("recovery_percent")!, recovery, accuracy: 1e-8)
        }
        // 95–110 %: La (111.4) and TOC (90.9) are flagged, Fe (103.0) is not.
        XCTAssertEqual(quantities.map { $0["recovery_flag"] as? Bool }, [false, true, true])
        XCTAssertTrue(document.warnings.contains("C1-S La: mass-balance recovery 111 % is outside 95–110 %"), "\(document.warnings)")
        let md = document.markdown()
        XCTAssertTrue(md.contains("| 250-2000 um | 250–2000 | 3 | 58.1 ± 1.2 |"), md)
        XCTAssertTrue(md.contains("| <50 um | < 50 | 3 | 18.47 ± 0.23 |"), md)   // SD to 2 significant figures
        XCTAssertTrue(md.contains("| Fe | mg/kg | 15500 | 8033 (0.52) | 15100 (0.97) | 42000 (2.71) | 103 |  |"), md)
        XCTAssertEqual(document.figures.map(\.fileName), ["fraction-enrichment-C1-S.svg"])
        XCTAssertTrue(document.figures[0].svg.contains("<rect"))
    }

    func testMassPercentsByReplicate() {
        let p = SizeFractions.massPercents([(1, "a", 30), (1, "b", 70), (2, "a", 1), (2, "b", 3)])
        XCTAssertEqual(p[1]!["a"]!, 30, accuracy: 1e-12)
        XCTAssertEqual(p[2]!["b"]!, 75, accuracy: 1e-12)
        XCTAssertEqual(SizeFractions.recoveryPercent(classes: [(0.3, 10), (0.7, 20)], bulk: 17)!, 100, accuracy: 1e-12)
        XCTAssertNil(SizeFractions.recoveryPercent(classes: [(0.3, 10), (0.7, nil)], bulk: 17))
    }

    func testFractionWithoutSampleAndBulkWithoutValue() throws {
        let lab = try ReportTestLab.make()
        try lab.fraction("R1-S", "coarse", lower: 250, upper: 2000, replicate: 1, massG: 60, fractionSample: "R1-F1")
        try lab.fraction("R1-S", "fine", lower: nil, upper: 250, replicate: 1, massG: 40, fractionSample: nil)
        try lab.measure("R1-F1", "La", 30)
        let document = try ReportBuilder(store: lab.store).build([.fractions])
        XCTAssertTrue(document.hasContent)
        XCTAssertTrue(document.warnings.contains("R1-S class fine replicate 1: no fraction sample registered, so no concentrations"), "\(document.warnings)")
        XCTAssertTrue(document.warnings.contains("R1-S: no bulk value for La; EF and recovery not computed there"), "\(document.warnings)")
    }
}
