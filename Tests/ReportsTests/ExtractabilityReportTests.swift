import XCTest
import LIMSStore
import LIMSTestSupport
@testable import Reports

/// Extractability through the store. Expected numbers from Tests/Fixtures/reports/independent_check.py
/// (numpy, written apart from the Swift code): C1-S 10.0 g soil + 20.0 g solution (V = 20 mL at 1 g/mL),
/// C2-S 12.5 g soil + 25.3 mL logged volume (the 25.0 g solution mass is not used), totals S1 and S2.
final class ExtractabilityReportTests: XCTestCase {
    static let extract1: [String: Double?] = Dictionary(uniqueKeysWithValues: zip(Elements.rey,
        [0.150, 0.080, 0.030, 0.120, 0.025, 0.006, 0.022, 0.003, 0.018, 0.004, 0.010, nil, 0.009, 0.0015, 0.140]))

    func makeLab() throws -> ReportTestLab {
        let lab = try ReportTestLab.make()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        try lab.measureAll("C2-S", ReportTestLab.s2)
        try lab.extraction("C1-S", extract: "C1-X", soilG: 10.0, solutionG: 20.0, volumeML: nil)
        try lab.extraction("C2-S", extract: "C2-X", soilG: 12.5, solutionG: 25.0, volumeML: 25.3)
        for (e, c) in Self.extract1 {
            if let c {
                try lab.measure("C1-X", e, c, unit: "mg/L")
                try lab.measure("C2-X", e, 0.5 * c, unit: "mg/L")
            } else {
                try lab.measure("C1-X", e, nil, unit: "mg/L", qualifier: "<", dl: 0.001)
            }
        }
        try lab.measure("C2-X", "Tm", 0.0008, unit: "mg/L")   // measured in C2-X, < DL in C1-X
        return lab
    }

    func testExtractableAmountsPercentagesAndTreatmentSummary() throws {
        let lab = try makeLab()
        var options = ReportOptions()
        options.censoring = .halfDL   // the substitution numbers of independent_check.py
        let document = try ReportBuilder(store: lab.store, options: options).build([.extractability])
        let section = try ReportTestLab.json(document).object("sections").object("extractability")
        let rows = section.array("extractions")
        XCTAssertEqual(rows.map { $0["sample"] as? String }, ["C1-S", "C2-S"])
        let c1 = rows[0].object("elements"), c2 = rows[1].object("elements")
        let tolerance = 1e-9
        XCTAssertEqual(c1.object("La").double("extractable_mg_kg")!, 0.3, accuracy: tolerance)
        XCTAssertEqual(c1.object("La").double("percent_of_total")!, 0.663716814159, accuracy: tolerance)
        XCTAssertEqual(c1.object("Ce").double("percent_of_total")!, 0.16210739615, accuracy: tolerance)
        XCTAssertEqual(c1.object("Tm").double("extractable_mg_kg")!, 0.001, accuracy: tolerance)   // '<0.001' → DL/2
        XCTAssertEqual(c1.object("Tm").double("percent_of_total")!, 0.204081632653, accuracy: tolerance)
        XCTAssertEqual(c1.object("Tm")["substituted"] as? Bool, true)
        XCTAssertEqual(c1.object("Y").double("percent_of_total")!, 0.888888888889, accuracy: tolerance)
        XCTAssertEqual(rows[0].double("sum_ree_extractable_mg_kg")!, 0.958, accuracy: tolerance)
        XCTAssertEqual(rows[0].double("sum_ree_percent_of_total")!, 0.42024916652, accuracy: tolerance)
        XCTAssertEqual(rows[1].double("solution_volume_l")!, 0.0253, accuracy: 1e-15)
        XCTAssertEqual(c2.object("La").double("extractable_mg_kg")!, 0.1518, accuracy: tolerance)
        XCTAssertEqual(c2.object("La").double("percent_of_total")!, 1.22419354839, accuracy: tolerance)
        XCTAssertEqual(c2.object("Tm").double("percent_of_total")!, 0.736, accuracy: tolerance)
        XCTAssertEqual(rows[1].double("sum_ree_extractable_mg_kg")!, 0.4858612, accuracy: tolerance)
        XCTAssertEqual(rows[1].double("sum_ree_percent_of_total")!, 0.85538943662, accuracy: tolerance)

        let la = section.array("by_treatment").first { $0["parameter"] as? String == "La" }!
        let control = la.array("groups").first { $0["treatment"] as? String == "control" }!
        XCTAssertEqual(control.double("mean")!, 0.943955181273, accuracy: tolerance)
        XCTAssertEqual(control.double("sd")!, 0.39631689947, accuracy: tolerance)
        XCTAssertEqual(control["n"] as? Int, 2)

        let md = document.markdown()
        XCTAssertTrue(md.contains("| C1-S | control | C1-X | 10.0 | 20.0 |"), md)
        XCTAssertTrue(md.contains("0.00100 †"), md)   // Tm extractable, marked as substituted
        XCTAssertTrue(md.contains(Extractability.formula))
        XCTAssertEqual(document.figures.map(\.fileName), ["extractability-pattern.svg"])

        // The default rule `km` substitutes nothing: '<0.001' stays an upper limit, 0.001 mg/L × 0.020 L / 0.010 kg
        // = < 0.002 mg/kg (< 0.408 % of Tm 0.49), and ΣREE extractable is < 0.958 − 0.001 + 0.002 = < 0.959.
        let km = try ReportBuilder(store: lab.store).build([.extractability])
        let kmRow = try ReportTestLab.json(km).object("sections").object("extractability").array("extractions")[0]
        XCTAssertEqual(kmRow.object("elements").object("Tm").double("extractable_mg_kg")!, 0.002, accuracy: tolerance)
        XCTAssertEqual(kmRow.object("elements").object("Tm")["upper_limit"] as? Bool, true)
        XCTAssertEqual(kmRow.object("elements").object("Tm")["substituted"] as? Bool, false)
        XCTAssertEqual(kmRow.double("sum_ree_extractable_mg_kg")!, 0.959, accuracy: tolerance)
        let kmMarkdown = km.markdown()
        XCTAssertTrue(kmMarkdown.contains("< 0.00200 |"), kmMarkdown)
        XCTAssertTrue(kmMarkdown.contains("< 0.959 |"), kmMarkdown)
        XCTAssertFalse(kmMarkdown.contains("†"), kmMarkdown)
    }

    func testSampleWithoutTotalsAndExtractWithoutValuesAreReported() throws {
        let lab = try makeLab()
        try lab.extraction("M1-S", extract: "M1-X", soilG: 10, solutionG: 20, volumeML: nil)
        try lab.measure("M1-X", "La", 0.2, unit: "mg/L")
        try lab.measure("M1-X", "Ce", 200, unit: "µg/L")
        try lab.extraction("R1-S", extract: "R1-X", soilG: 10, solutionG: 20, volumeML: nil)
        let document = try ReportBuilder(store: lab.store).build([.extractability])
        let warnings = document.warnings
        XCTAssertTrue(warnings.contains("sample M1-S has no total (mg/kg) for La; % of total not computed there"), "\(warnings)")
        XCTAssertTrue(warnings.contains("extraction of M1-S (extract M1-X): values in µg/L were left out (expected mg/L)"), "\(warnings)")
        XCTAssertTrue(warnings.contains("extraction of R1-S (extract R1-X): the extract has no concentrations in mg/L"), "\(warnings)")
        let rows = try ReportTestLab.json(document).object("sections").object("extractability").array("extractions")
        let m1 = rows.first { $0["sample"] as? String == "M1-S" }!.object("elements").object("La")
        XCTAssertEqual(m1.double("extractable_mg_kg")!, 0.4, accuracy: 1e-12)
        XCTAssertTrue(m1["percent_of_total"] is NSNull)
    }

    func testNoExtractionIsNothingToReport() throws {
        let lab = try ReportTestLab.make()
        let document = try ReportBuilder(store: lab.store).build([.extractability])
        XCTAssertFalse(document.hasContent)
        XCTAssertEqual(document.warnings, ["no CaCl₂ extraction logged for the selected treatments: nothing to report on extractability"])
    }

    func testFormulaAndVolume() {
        XCTAssertEqual(Extractability.solutionVolumeL(volumeML: nil, solutionMassG: 20), 0.02)
        XCTAssertEqual(Extractability.solutionVolumeL(volumeML: 25.3, solutionMassG: 25), 0.0253)
        XCTAssertNil(Extractability.solutionVolumeL(volumeML: nil, solutionMassG: nil))
        let e = Extractability(concentrationMgPerL: 0.15, volumeL: 0.02, soilMassKg: 0.01, totalMgPerKg: 45.2)
        XCTAssertEqual(e.extractableMgPerKg, 0.3, accuracy: 1e-15)
        XCTAssertEqual(e.percentOfTotal!, 0.663716814159, accuracy: 1e-11)
    }
}
