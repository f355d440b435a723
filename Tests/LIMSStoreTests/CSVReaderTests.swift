import XCTest
@testable import LIMSStore
import LIMSTestSupport

final class CSVReaderTests: XCTestCase {
    func records(_ text: String, delimiter: Character? = nil) throws -> [CSVRecord] {
        try CSVReader(text: text, fileName: "t.csv", delimiter: delimiter).readAll()
    }

    func testQuotedFieldsEmbeddedNewlinesAndLineNumbers() throws {
        let rows = try records("Sample ID,\"La 139\n(mg/L)\",Note\r\nA,1.5,\"say \"\"hi\"\"\"\r\nB,<0.01,\"x, y\"\r\n")
        XCTAssertEqual(rows.map(\.fields), [["Sample ID", "La 139\n(mg/L)", "Note"], ["A", "1.5", "say \"hi\""], ["B", "<0.01", "x, y"]])
        XCTAssertEqual(rows.map(\.line), [1, 3, 4], "the header spans lines 1-2")
    }

    func testBOMAndDelimiterDetection() throws {
        let semicolon = try CSVReader(text: "\u{FEFF};;Raw.Average;Raw.Average;\n;;0;0;\nBe 234;1,5;2;3;\n", fileName: "q.csv")
        XCTAssertEqual(semicolon.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try semicolon.next()?.fields, ["", "", "Raw.Average", "Raw.Average", ""])
        let tab = try CSVReader(text: "a\tb\tc\n1\t2\t3\n", fileName: "t.tsv")
        XCTAssertEqual(tab.delimiter, UInt8(ascii: "\t"))
        let comma = try CSVReader(text: "\"Solution Label\",\"Type\"\n\"Blank; 1\",\"Blk\"\n", fileName: "c.csv")
        XCTAssertEqual(comma.delimiter, UInt8(ascii: ","), "semicolons inside quotes do not count")
    }

    func testTruncatedQuotedFieldIsAnErrorWithLineAndColumn() {
        XCTAssertThrowsError(try records("a,b\n1,\"unfinished\n2,3\n")) { error in
            XCTAssertEqual("\(error)", "t.csv:2:2: error: a quoted field is not closed before the end of the file (truncated file?)")
        }
    }

    func testBinaryFileIsRefused() {
        XCTAssertThrowsError(try CSVReader(text: "PK\u{03}\u{04}\u{00}\u{00}abc", fileName: "book.xlsx")) { error in
            XCTAssertTrue("\(error)".contains("book.xlsx:1:1: error: this is a zip archive"), "\(error)")
        }
    }

    func testWindows1252TextIsDecoded() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("w.csv")
        try Data([0x61, 0x3B, 0xB5, 0x67, 0x0A, 0x31, 0x3B, 0x80, 0x0A]).write(to: url) // "a;µg\n1;€\n" in cp1252
        let rows = try CSVReader(url: url).readAll()
        XCTAssertEqual(rows.map(\.fields), [["a", "µg"], ["1", "€"]])
    }

    func testStreamsAcrossChunkBoundaries() throws {
        let url = TestSupport.temporaryDirectory().appendingPathComponent("big.csv")
        var text = "id,label\n"
        for i in 0..<20_000 { text += "\(i),\"line \(i)\nsecond\"\n" }
        try Data(text.utf8).write(to: url)
        let reader = try CSVReader(url: url)
        var count = 0
        var last: CSVRecord?
        _ = try reader.next()
        while let record = try reader.next() { count += 1; last = record }
        XCTAssertEqual(count, 20_000)
        XCTAssertEqual(last?.fields, ["19999", "line 19999\nsecond"])
        XCTAssertEqual(last?.line, 2 + 2 * 19_999)
    }

    func testSheetChecksHeaderAndReportsCellErrors() throws {
        let columns = [SheetColumn("code", required: true, help: "sample code"),
                       SheetColumn("mass_g", help: "mass in g")]
        XCTAssertThrowsError(try Sheet(reader: CSVReader(text: "code,mas_g\nA,1\n", fileName: "s.csv"), columns: columns)) { error in
            XCTAssertTrue("\(error)".contains("s.csv:1:2: error: unknown column \"mas_g\"; did you mean \"mass_g\"?"), "\(error)")
        }
        let sheet = try Sheet(reader: CSVReader(text: "mass_g,code\n-4,A\n", fileName: "s.csv"), columns: columns)
        XCTAssertThrowsError(try sheet.rows[0].number("mass_g", unit: "g", minimum: 0)) { error in
            XCTAssertEqual("\(error)", "s.csv:2:1: error: mass_g: \"-4\" is not valid; expected a number ≥ 0 g")
        }
        XCTAssertThrowsError(try Sheet(reader: CSVReader(text: "code,mass_g\nA,1,2\n", fileName: "s.csv"), columns: columns)) { error in
            XCTAssertTrue("\(error)".contains("s.csv:2:3: error: this row has 3 fields but the header has 2"), "\(error)")
        }
    }
}
