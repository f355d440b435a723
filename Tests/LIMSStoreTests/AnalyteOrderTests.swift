import XCTest
@testable import LIMSStore

/// The one analyte order (atomic number, then name). Expected orders written by hand from the
/// periodic table: C 6, Si 14, Fe 26, Co 27, Y 39, La 57, Ce 58, Lu 71.
final class AnalyteOrderTests: XCTestCase {
    func testElementOfAnalyteNames() {
        XCTAssertEqual(AnalyteOrder.element(of: "La"), "La")
        XCTAssertEqual(AnalyteOrder.element(of: "Fe2O3"), "Fe")
        XCTAssertEqual(AnalyteOrder.element(of: "Tb4O7"), "Tb")
        XCTAssertEqual(AnalyteOrder.element(of: "139La"), "La")
        XCTAssertEqual(AnalyteOrder.element(of: "Ce 413.765"), "Ce")
        XCTAssertEqual(AnalyteOrder.element(of: "Co"), "Co")
        XCTAssertEqual(AnalyteOrder.element(of: "C"), "C")
        XCTAssertNil(AnalyteOrder.element(of: "LOI"))
        XCTAssertNil(AnalyteOrder.element(of: "pH"))
        XCTAssertNil(AnalyteOrder.element(of: "REE"))
    }

    func testListsInAtomicOrderWithNonElementsLast() {
        let shuffled = ["Lu", "LOI", "La", "Y", "Fe2O3", "Si", "Ce", "Co", "C", "139La", "TOC"]
        XCTAssertEqual(AnalyteOrder.sorted(shuffled),
                       ["C", "Si", "Fe2O3", "Co", "Y", "139La", "La", "Ce", "Lu", "LOI", "TOC"])
    }

    func testQueryAndReportOrdersAreTheSame() {
        let analytes = ["Nd", "Al", "Y", "Eu", "K", "Sc"]
        XCTAssertEqual(Analytes.ordered(analytes), AnalyteOrder.sorted(analytes))
        XCTAssertEqual(Analytes.ordered(analytes), ["Al", "K", "Sc", "Y", "Nd", "Eu"])
    }
}
