import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// CSVReader's encodings (UTF-16 LE/BE with and without BOM, UTF-8 BOM, Windows-1252), NUL bytes
/// and length limits. The UTF-16 copies were written by Python's codecs
/// (`python3 Tests/Fixtures/input/make_input_fixtures.py`), independently of the reader's transcoder.
final class TextEncodingReaderTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-encodings") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func inputFixture(_ name: String) -> URL { TestSupport.fixture("input/\(name)") }

    func write(_ bytes: [UInt8], _ name: String) -> URL {
        let url = dir.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url
    }

    func records(_ url: URL, chunkSize: Int = 1 << 16, limits: CSVReader.Limits = .standard, delimiter: Character? = nil) throws -> [CSVRecord] {
        try CSVReader(url: url, delimiter: delimiter, displayName: url.lastPathComponent, chunkSize: chunkSize, limits: limits).readAll()
    }

    func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    var utf8Records: [CSVRecord] { get throws { try records(TestSupport.fixture("instruments/long_results_small.csv")) } }

    func testUTF16CopiesReadAsTheUTF8File() throws {
        let expected = try utf8Records
        XCTAssertEqual(expected.count, 8)
        for name in ["long_results_utf16le_bom.txt", "long_results_utf16be_bom.csv", "long_results_utf16le_nobom.csv"] {
            let reader = try CSVReader(url: inputFixture(name), displayName: name)
            XCTAssertEqual(try reader.readAll(), expected, name)
            XCTAssertEqual(reader.delimiter, name.hasSuffix(".txt") ? UInt8(ascii: "\t") : UInt8(ascii: ","), "delimiter detected on the decoded text: \(name)")
        }
        XCTAssertEqual(try CSVReader(url: inputFixture("long_results_utf16le_bom.txt")).encoding, .utf16LE)
        XCTAssertEqual(try CSVReader(url: inputFixture("long_results_utf16be_bom.csv")).encoding, .utf16BE)
        XCTAssertEqual(try CSVReader(url: inputFixture("long_results_utf16le_nobom.csv")).encoding, .utf16LE)
        // The document entry point gives the same records.
        XCTAssertEqual(try InputDocument.open(url: inputFixture("long_results_utf16le_bom.txt")).readAll(), expected)
    }

    /// Every chunk size from 4 to 13 bytes puts odd bytes and the two halves of surrogate pairs on chunk boundaries.
    func testSurrogatePairsAndOddBytesAcrossChunkBoundaries() throws {
        let source = try Data(contentsOf: inputFixture("encodings_sample.csv"))
        let text = String(decoding: source, as: UTF8.self)
        // From the script: 105 UTF-8 bytes, 92 UTF-16 code units, 90 characters, 2 astral (surrogate pairs).
        XCTAssertEqual(source.count, 105)
        XCTAssertEqual(text.utf16.count, 92)
        XCTAssertEqual(text.unicodeScalars.count, 90)
        let expected = [["sample", "analyte", "note"], ["C1-S", "La", "µg/L ≥ 0.5 — ok"], ["C2-S", "Ce", "𝛼 and 🧪, quoted"], ["C3-S", "Nd", "Ünïcödé"]]
        XCTAssertEqual(try records(inputFixture("encodings_sample.csv")).map(\.fields), expected)
        let le = write([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "le.csv")
        let be = write([0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "be.csv")
        for chunk in 4...13 {
            XCTAssertEqual(try records(le, chunkSize: chunk).map(\.fields), expected, "LE chunk \(chunk)")
            XCTAssertEqual(try records(be, chunkSize: chunk).map(\.fields), expected, "BE chunk \(chunk)")
            XCTAssertEqual(try records(le, chunkSize: chunk).map(\.line), [1, 2, 3, 4])
        }
    }

    func testUTF16OddLengthAndLoneSurrogate() throws {
        // "a,b\n" in UTF-16LE, then half a code unit.
        let odd = write([0xFF, 0xFE, 0x61, 0, 0x2C, 0, 0x62, 0, 0x0A, 0, 0x63], "odd.csv")
        XCTAssertEqual(error { try self.records(odd) }, "odd.csv:1:1: error: the utf-16le text ends with half a character (an odd number of bytes); the file is truncated")
        // A high surrogate followed by 'x' becomes U+FFFD then x.
        let lone = write([0xFF, 0xFE, 0x61, 0, 0x2C, 0, 0x3D, 0xD8, 0x78, 0, 0x0A, 0], "lone.csv")
        XCTAssertEqual(try records(lone).map(\.fields), [["a", "\u{FFFD}x"]])
    }

    func testUTF8BOMAndWindows1252() throws {
        let bom = write([0xEF, 0xBB, 0xBF] + Array("sample;value\r\nC1-S;4,5\r\n".utf8), "bom.csv")
        let reader = try CSVReader(url: bom)
        XCTAssertEqual(reader.encoding, .utf8BOM)
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try reader.readAll().map(\.fields), [["sample", "value"], ["C1-S", "4,5"]])
        // µ (0xB5), ° (0xB0) and € (0x80) as Windows-1252 bytes.
        let cp1252 = write(Array("unit,note\n".utf8) + [0xB5, 0x67, 0x2F, 0x4C, 0x2C, 0x32, 0x35, 0xB0, 0x43, 0x20, 0x80, 0x0A], "cp1252.csv")
        XCTAssertEqual(try records(cp1252).map(\.fields), [["unit", "note"], ["µg/L", "25°C €"]])
    }

    func testNULAnywhereIsALocatedError() throws {
        // The NUL is past the first 4 KiB (the old binary check looked only there) and in the middle of a value.
        var text = "sample,analyte,value,unit\n"
        while text.utf8.count < 5000 { text += "C1-S,La,45.2,mg/kg\n" }
        let lines = text.split(separator: "\n").count
        let bytes = Array(text.utf8) + Array("C2-S,Ce,4".utf8) + [0] + Array("00.5,mg/kg\n".utf8)
        let url = write(bytes, "nul.csv")
        let message = error { try self.records(url) }
        XCTAssertTrue(message.hasPrefix("nul.csv:\(lines + 1):3: error: a NUL byte (0x00) in field 3, at byte \(text.utf8.count + 9) of the text"), message)
        // Same in a quoted field and with tiny chunks.
        // (Long enough that one NUL is not "mostly control bytes", which is refused as binary data.)
        let header = "sample,note\n" + String(repeating: "C1-S,a quoted note follows\n", count: 4)
        let quoted = write(Array((header + "\"x").utf8) + [0] + Array("y\",z\n".utf8), "quoted.csv")
        let quotedMessage = error { try self.records(quoted, chunkSize: 4) }
        XCTAssertTrue(quotedMessage.hasPrefix("quoted.csv:6:1: error: a NUL byte (0x00) in field 1"), quotedMessage)
        // A U+0000 in UTF-16 text is a NUL too.
        let utf16 = write([0xFF, 0xFE] + (header + "c,").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0, 0x0A, 0], "nul16.csv")
        let utf16Message = error { try self.records(utf16) }
        XCTAssertTrue(utf16Message.hasPrefix("nul16.csv:6:2: error: a NUL byte (0x00) in field 2, at byte \(header.utf8.count + 2) of the decoded text"), utf16Message)
    }

    func testFieldAndRecordLimitsStopEarlyWithAShortMessage() throws {
        let limits = CSVReader.Limits(field: 1000, record: 5000, fields: 50)
        let long = write(Array("sample,value\nC1-S,".utf8) + Array(repeating: UInt8(ascii: "7"), count: 20_000) + Array("\n".utf8), "long.csv")
        let message = error { try self.records(long, chunkSize: 64, limits: limits) }
        XCTAssertEqual(message, "long.csv:2:2: error: field 2 is longer than 1000 bytes (starts \"" + String(repeating: "7", count: 40)
                       + "…\"); expected values of at most 1000 bytes (a binary file, or a wrong delimiter?)")
        let quoted = write(Array("sample,value\n\"".utf8) + Array(repeating: UInt8(ascii: "q"), count: 3000) + Array("\"\n".utf8), "quoted.csv")
        XCTAssertTrue(error { try self.records(quoted, limits: limits) }.hasPrefix("quoted.csv:2:1: error: field 1 is longer than 1000 bytes"))
        let wide = write(Array(repeating: Array("abcdefghi,".utf8), count: 600).flatMap { $0 } + [0x0A], "wide.csv")
        XCTAssertTrue(error { try self.records(wide, limits: limits) }.hasPrefix("wide.csv:1:"), "record limit")
        XCTAssertTrue(error { try self.records(wide, limits: limits) }.contains("this record is longer than 5000 bytes or has more than 50 fields"))
        // The standard limits: 1 MiB per field, found in bounded time (the field is 8 MiB).
        let huge = write(Array("a,b\nx,".utf8) + Array(repeating: UInt8(ascii: "z"), count: 8 << 20), "huge.csv")
        let start = Date()
        let hugeMessage = error { try self.records(huge) }
        XCTAssertTrue(hugeMessage.hasPrefix("huge.csv:2:2: error: field 2 is longer than 1 MiB"), hugeMessage)
        XCTAssertLessThan(hugeMessage.count, 300)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testDetection() {
        XCTAssertEqual(TextEncoding.detect([0x61, 0, 0x62, 0, 0x2C, 0]).encoding, .utf16LE)
        XCTAssertEqual(TextEncoding.detect([0, 0x61, 0, 0x62, 0, 0x2C]).encoding, .utf16BE)
        XCTAssertEqual(TextEncoding.detect(Array("ab,c\n".utf8) + [0] + Array("xyz,1\n".utf8)).encoding, .utf8, "one stray NUL is not UTF-16")
        XCTAssertEqual(TextEncoding.detect([0xFF, 0xFE]).bomLength, 2)
        XCTAssertEqual(TextEncoding.detect([0xEF, 0xBB, 0xBF, 0x61]).encoding, .utf8BOM)
    }
}
