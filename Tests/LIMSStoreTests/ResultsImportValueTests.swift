import XCTest
@testable import LIMSStore

/// Cells, units, QC labels and dates, one rule at a time.
final class ResultsImportValueTests: XCTestCase {
    func testCellsBecomeQualifiersNeverZeros() throws {
        func parse(_ text: String, comma: Bool = false) throws -> MeasuredValue { try MeasuredValue.parse(text, decimalComma: comma) }
        XCTAssertEqual(try parse("<0.000").qualifier, .below); XCTAssertNil(try parse("<0.000").value)
        XCTAssertNil(try parse("<0.000").detectionLimit, "<0.000 gives no usable DL; 0 would make DL/2 a zero")
        XCTAssertEqual(try parse("< 0.05").detectionLimit, 0.05)
        XCTAssertEqual(try parse("<DL").qualifier, .below)
        XCTAssertEqual(try parse("n.d.").qualifier, .notDetected)
        XCTAssertEqual(try parse("N/A").qualifier, .notAvailable)
        XCTAssertEqual(try parse("-").qualifier, .notAvailable)
        XCTAssertEqual(try parse("").qualifier, .notMeasured)
        XCTAssertEqual(try parse(">1000").qualifier, .above)
        XCTAssertEqual(try parse("5.10871E-06").value ?? 0, 5.10871e-6, accuracy: 1e-15)
        XCTAssertEqual(try parse("-0.046").value, -0.046)
        XCTAssertEqual(try parse("12,5", comma: true).value, 12.5)
        XCTAssertThrowsError(try parse("12,5"))
        XCTAssertThrowsError(try parse("abc"))
        XCTAssertEqual(try parse("  3.5 ").raw, "  3.5 ")
        let flagged = try parse("-0.002").applyingFlags("uv")
        XCTAssertEqual(flagged.qualifier, .below); XCTAssertEqual(flagged.value, -0.002); XCTAssertEqual(flagged.flags, "uv")
        XCTAssertEqual(try parse("-").applyingFlags("x").qualifier, .above)
    }

    func testUnitsConvertToTheCanonicalUnitOfTheMatrix() throws {
        XCTAssertEqual(try UnitConversion.factor("ppb", matrix: .solution), 0.001)
        XCTAssertEqual(try UnitConversion.factor("µg/L", matrix: .solution), 0.001)
        XCTAssertEqual(try UnitConversion.factor("ug/L", matrix: .solution), 0.001)
        XCTAssertEqual(try UnitConversion.factor("ppm", matrix: .solid), 1)
        XCTAssertEqual(try UnitConversion.factor("ppm", matrix: .solution), 1)
        XCTAssertEqual(try UnitConversion.factor("µg/g", matrix: .solid), 1)
        XCTAssertEqual(try UnitConversion.factor("wt%", matrix: .solid), 10_000)
        XCTAssertEqual(try UnitConversion.factor("g/kg", matrix: .solid), 1000)
        XCTAssertEqual(try UnitConversion.factor("Y (ppm)", matrix: .solution), 1)
        XCTAssertEqual(try UnitConversion.matrix(for: "ppb", sampleMatrix: nil), .solution)
        XCTAssertEqual(try UnitConversion.matrix(for: "mg/kg", sampleMatrix: nil), .solid)
        XCTAssertThrowsError(try UnitConversion.matrix(for: "ppm", sampleMatrix: nil)) { XCTAssertEqual($0 as? UnitConversion.Failure, .ambiguousMatrix) }
        XCTAssertThrowsError(try UnitConversion.factor("mg/kg", matrix: .solution)) { XCTAssertEqual($0 as? UnitConversion.Failure, .wrongMatrix(unitMatrix: .solid)) }
        XCTAssertThrowsError(try UnitConversion.factor("furlongs", matrix: .solid)) { XCTAssertEqual($0 as? UnitConversion.Failure, .unknownUnit) }
    }

    func testQCRowsFromTypeColumnOrLabel() {
        XCTAssertEqual(QCClassifier.classify(label: "0", type: "CalBlk")?.type, "cal_blank")
        XCTAssertEqual(QCClassifier.classify(label: "Traces 1 ppb", type: "CalStd")?.type, "cal_std")
        XCTAssertEqual(QCClassifier.classify(label: "Lab Control Sample", type: "LCS")?.type, "ccv")
        XCTAssertEqual(QCClassifier.classify(label: "BLANK", type: "Samp")?.type, "blank")
        XCTAssertEqual(QCClassifier.classify(label: "Cal Blank", type: nil)?.type, "cal_blank")
        XCTAssertEqual(QCClassifier.classify(label: "CCV 2", type: nil)?.type, "ccv")
        XCTAssertEqual(QCClassifier.classify(label: "Deriv TracesETMaj", type: "Sample")?.type, "ccv")
        XCTAssertEqual(QCClassifier.classify(label: "OREAS 45d", type: nil), .init(type: "crm", crmName: "OREAS 45d"))
        XCTAssertEqual(QCClassifier.classify(label: "ORREAS-DPL 600", type: nil)?.crmName, "OREAS 600")
        XCTAssertEqual(QCClassifier.classify(label: "930ppb", type: nil)?.type, "cal_std")
        XCTAssertEqual(QCClassifier.classify(label: "R1-S - DNU", type: "Sample")?.type, "dnu")
        XCTAssertEqual(QCClassifier.classify(label: "R1-S D", type: nil), .init(type: "duplicate", duplicateOf: "R1-S"))
        XCTAssertNil(QCClassifier.classify(label: "A00035507002*GA02D", type: "Samp"))
        XCTAssertNil(QCClassifier.classify(label: "TB1", type: "Sample"))
    }

    func testDatesWithAConfigurableDayMonthOrder() throws {
        XCTAssertEqual(try InstrumentDate.parse(date: "08/02/2016", time: "14:11:28", order: .dmy), "2016-02-08T14:11:28")
        XCTAssertEqual(try InstrumentDate.parse(date: "08/02/2016", time: "14:11:28", order: .mdy), "2016-08-02T14:11:28")
        XCTAssertEqual(try InstrumentDate.parse(date: "28-05-21", time: "1:00:15 PM", order: .dmy), "2021-05-28T13:00:15")
        XCTAssertEqual(try InstrumentDate.parse(date: "19/12/2018 10:42", order: .dmy), "2018-12-19T10:42:00")
        XCTAssertEqual(try InstrumentDate.parse(date: "2019-03-14", order: .mdy), "2019-03-14")
        XCTAssertThrowsError(try InstrumentDate.parse(date: "19/12/2018", order: .mdy))
        XCTAssertThrowsError(try InstrumentDate.parse(date: "31/02/2018", order: .dmy))
    }
}
