import XCTest
@testable import Reports
import LIMSStore

/// The byte writer of report CSVs gives the same text as the String path it replaced:
/// `String(Int64)` for whole numbers, `CSVField.csv` for text.
final class TidyTableBytesTests: XCTestCase {
    func testIntegersAreWrittenAsStringWouldPrintThem() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, 999_999_999_999_999, -999_999_999_999_999]
        var x: Int64 = 1
        for _ in 0..<15 { values += [x, x - 1, -x, -(x - 1)]; x *= 10 }
        for value in values {
            var buffer: [UInt8] = []
            TidyTable.appendInteger(value, to: &buffer)
            XCTAssertEqual(String(decoding: buffer, as: UTF8.self), String(value))
        }
    }

    func testCellsAreTheTextOfTheStringPath() {
        let texts = ["La", "C1-S", "a,b", "say \"hi\"", "=SUM(A1)", "+1", "-", "=", "@x", "two\nlines", "Ce/Ce*", "é"]
        for text in texts {
            var buffer: [UInt8] = []
            TidyTable.appendCSV(TidyTable.Cell.text(text), to: &buffer)
            XCTAssertEqual(String(decoding: buffer, as: UTF8.self), CSVField.csv(text), text)
        }
        for (number, expected) in [(-0.0, "0"), (45.2, "45.2"), (3.0, "3"), (1e15, "\(1e15)"), (0.000123, "0.000123")] {
            var buffer: [UInt8] = []
            TidyTable.appendCSV(TidyTable.Cell.number(number), to: &buffer)
            XCTAssertEqual(String(decoding: buffer, as: UTF8.self), expected, "\(number)")
        }
    }
}
