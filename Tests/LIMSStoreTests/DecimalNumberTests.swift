import XCTest
@testable import LIMSStore

/// The one number parser (issue 16): what it accepts and what it refuses, and why.
/// Accepted values are compared with the literal Swift parses at compile time (both are
/// correctly rounded IEEE doubles, as Python's float() gives: exact equality).
final class DecimalNumberTests: XCTestCase {
    func testDecimalNumbersAreRead() {
        let accepted: [(String, Double)] = [
            ("12", 12), ("-0.5", -0.5), ("+4E2", 400), (".5", 0.5), ("5.", 5), ("1.2e-3", 0.0012), ("  12.5\t", 12.5),
            ("0", 0), ("-0", 0), ("0.000", 0), ("0e-999", 0), ("1e-300", 1e-300), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("2.2250738585072014e-308", .leastNormalMagnitude), ("00012", 12),
        ]
        for (text, expected) in accepted {
            XCTAssertEqual(DecimalNumber.double(text), expected, text)
        }
        XCTAssertEqual(DecimalNumber.double("4,52", decimalComma: true), 4.52)
        XCTAssertEqual(DecimalNumber.double("-1,5e-2", decimalComma: true), -0.015)
        XCTAssertEqual(DecimalNumber.double("4.52", decimalComma: true), 4.52)
        XCTAssertEqual(DecimalNumber.double(Substring("x12.5").dropFirst()), 12.5)
    }

    func testEverythingElseIsRefusedWithItsReason() {
        let refused: [(String, DecimalNumber.Failure)] = [
            ("0x10", .hexadecimal), ("-0X1A", .hexadecimal), ("0x", .hexadecimal), ("inf", .notFinite), ("-Infinity", .notFinite),
            ("nan", .notFinite), ("NaN(123)", .notFinite), ("1e999", .overflow), ("-1e309", .overflow),
            ("1e-999", .underflow), ("2.225e-308", .underflow), ("-4.9e-324", .underflow), ("", .empty), ("  ", .empty),
            (".", .notDecimal), ("e5", .notDecimal), ("1e", .notDecimal), ("1e+", .notDecimal), ("--1", .notDecimal),
            ("1.2.3", .notDecimal), ("1_000", .notDecimal), ("1 000", .notDecimal), ("1,5", .notDecimal), ("١٢", .notDecimal),
            ("１２", .notDecimal), ("12abc", .notDecimal), ("4\u{0}00.5", .notDecimal), ("<0.5", .notDecimal),
        ]
        for (text, failure) in refused {
            XCTAssertEqual(DecimalNumber.parse(text), .failure(failure), text)
        }
        XCTAssertEqual(DecimalNumber.parse("1,5,3", decimalComma: true), .failure(.notDecimal))
    }

    /// MeasuredValue goes through the same parser: no hex by the fast path, no negative limit.
    func testMeasuredValuesUseTheStrictParser() throws {
        XCTAssertThrowsError(try MeasuredValue.parse("0x10"))
        XCTAssertThrowsError(try MeasuredValue.parse("1e-999"))
        XCTAssertThrowsError(try MeasuredValue.parse("<-5"))
        XCTAssertThrowsError(try MeasuredValue.parse(">-inf"))
        XCTAssertEqual(try MeasuredValue.parse("-0.25").value, -0.25)
        XCTAssertEqual(try MeasuredValue.parse("<0.05").detectionLimit, 0.05)
        XCTAssertEqual(try MeasuredValue.parse("<0,05", decimalComma: true).detectionLimit, 0.05)
        XCTAssertEqual(try MeasuredValue.parse("<0.000").qualifier, .below)
    }
}
