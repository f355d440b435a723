import XCTest
@testable import LIMSStore

final class AnalyteNameTests: XCTestCase {
    func testInstrumentLabelsBecomeElementIsotopeOrLineAndMode() throws {
        let mh = try XCTUnwrap(AnalyteName.parse("139  La  [ No Gas ] "))
        XCTAssertEqual([mh.element, mh.mode], ["La", "No Gas"]); XCTAssertEqual(mh.isotope, 139); XCTAssertFalse(mh.isInternalStandard)
        let istd = try XCTUnwrap(AnalyteName.parse("115  In ( ISTD )  [ No Gas ] "))
        XCTAssertTrue(istd.isInternalStandard); XCTAssertEqual(istd.element, "In"); XCTAssertEqual(istd.isotope, 115)
        let pe = try XCTUnwrap(AnalyteName.parse("La 139\n(mg/L)"))
        XCTAssertEqual(pe.element, "La"); XCTAssertEqual(pe.isotope, 139); XCTAssertEqual(pe.unit, "mg/L")
        let thermo = try XCTUnwrap(AnalyteName.parse("Be 234.861 {144} (Radial)"))
        XCTAssertEqual(thermo.element, "Be"); XCTAssertEqual(thermo.wavelengthNm ?? 0, 234.861, accuracy: 1e-9); XCTAssertEqual(thermo.mode, "Radial")
        XCTAssertNil(thermo.isotope)
        let au = try XCTUnwrap(AnalyteName.parse("Au 242.80"))
        XCTAssertEqual(au.wavelengthNm ?? 0, 242.80, accuracy: 1e-9)
        XCTAssertEqual(AnalyteName.parse("139La")?.isotope, 139)
        XCTAssertEqual(AnalyteName.parse("La139")?.element, "La")
        XCTAssertEqual(AnalyteName.parse("La")?.key, "La")
        let oxide = try XCTUnwrap(AnalyteName.parse("Fe2O3"))
        XCTAssertEqual(oxide.element, "Fe"); XCTAssertEqual(oxide.oxide, "Fe2O3")
        // Oxides ending in a digit are oxides, not an element glued to an isotope number ("SiO" + 2).
        for (label, element) in [("SiO2", "Si"), ("TiO2", "Ti"), ("K2O", "K"), ("P2O5", "P")] {
            XCTAssertEqual(AnalyteName.parse(label)?.element, element, label)
            XCTAssertEqual(AnalyteName.parse(label)?.oxide, label, label)
        }
        XCTAssertNil(AnalyteName.parse("Sample Name"))
        XCTAssertNil(AnalyteName.parse("Xx 12"))
        XCTAssertNil(AnalyteName.parse(""))
    }

    /// Expected factors computed independently in python3 from IUPAC standard atomic weights
    /// (O 15.999, Fe 55.845, Al 26.982, Si 28.085, K 39.098, Ca 40.078, Mg 24.305, Na 22.990, Ti 47.867,
    /// Mn 54.938, P 30.974) as `n*A/(n*A + m*15.999)`, rounded to 5 places; tolerance 1e-5.
    /// Two figures listed in issue 3 are off in the 4th place: K2O→K is 0.83015 (listed 0.8301) and
    /// TiO2→Ti is 0.59935 (listed 0.5995); the code computes the factors from the weights.
    func testOxideFactorsAgreeWithAtomicWeights() {
        let expected: [String: Double] = ["Fe2O3": 0.69943, "Al2O3": 0.52926, "SiO2": 0.46744, "K2O": 0.83015, "CaO": 0.71470,
                                          "MgO": 0.60304, "Na2O": 0.74186, "TiO2": 0.59935, "MnO": 0.77446, "P2O5": 0.43643]
        for (oxide, factor) in expected {
            XCTAssertEqual(OxideStoichiometry.elementFraction(oxide) ?? 0, factor, accuracy: 1e-5, oxide)
        }
    }
}
