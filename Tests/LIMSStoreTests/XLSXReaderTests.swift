import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The ZIP and .xlsx readers against what openpyxl reads. Every expected number below was printed by
/// `python3 Tests/Fixtures/input/make_input_fixtures.py` (openpyxl 3.1.5, Python zipfile/hashlib);
/// texts compare exactly, numbers through '%.17g' of the stored text (exact, no tolerance).
final class XLSXReaderTests: XCTestCase {
    func inputFixture(_ name: String) -> URL { TestSupport.fixture("input/\(name)") }

    /// What the Python script summarises per sheet: rows with a non-empty cell, the last such row,
    /// the last column, non-empty cells and SHA-256 of "COORD\tVALUE\n" lines (VALUE numeric → %.17g).
    struct SheetSummary: Equatable, CustomStringConvertible {
        var rows = 0, lastRow = 0, lastColumn = 0, cells = 0
        var sha256 = ""
        var description: String { "rows=\(rows) last_row=\(lastRow) last_col=\(lastColumn) cells=\(cells) sha256=\(sha256)" }
    }

    static func looksNumeric(_ text: String) -> Bool {
        // ^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$, as in the script.
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int { let n = bytes.prefix { $0 >= 48 && $0 <= 57 }.count; bytes = bytes.dropFirst(n); return n }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); _ = digits() }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    static func summarize(_ reader: any RecordReading) throws -> SheetSummary {
        var summary = SheetSummary()
        var hasher = SHA256()
        while let record = try reader.next() {
            var any = false
            for (index, field) in record.fields.enumerated() where !field.isEmpty {
                any = true
                summary.cells += 1
                summary.lastRow = max(summary.lastRow, record.line)
                summary.lastColumn = max(summary.lastColumn, index + 1)
                let value = looksNumeric(field) ? String(format: "%.17g", Double(field)!) : field
                hasher.update(Array("\(CellReference.columnLetters(index + 1))\(record.line)\t\(value)\n".utf8))
            }
            if any { summary.rows += 1 }
        }
        summary.sha256 = SHA256.hexString(hasher.finalize())
        return summary
    }

    func summaries(_ url: URL) throws -> [String: String] {
        let book = try XLSXWorkbook(url: url, displayName: url.lastPathComponent)
        var result: [String: String] = [:]
        for index in book.sheetNames.indices { result[book.sheetNames[index]] = try Self.summarize(book.sheet(at: index)).description }
        return result
    }

    // MARK: Real instrument workbooks

    func testPerkinElmerSyngistixWorkbookReadsAsOpenpyxlDoes() throws {
        guard let url = TestSupport.sharedInstrumentFixture("perkinelmer_nexion350x_syngistix.xlsx"),
              FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("../shared is absent") }
        let book = try XLSXWorkbook(url: url, displayName: "syngistix.xlsx")
        XCTAssertEqual(book.sheetNames, ["Raw Intensities", "Raw Intensities RSDs", "Net Intensities", "Net Intensities RSDs",
                                         "Concentrations", " Org Concentrations", "Concentrations RSDs",
                                         "Unfactored Concentrations", "Internal Standards", "QC"])
        let expected: [String: String] = [
            "Raw Intensities": "rows=48 last_row=48 last_col=37 cells=1360 sha256=04efbe1d10b684471e320b2781acc42c0c577ed49c867e3508b3b28853eeb9d2",
            "Raw Intensities RSDs": "rows=46 last_row=46 last_col=37 cells=1353 sha256=0efa52845fbb3f122b51e4d73c26fc3ea6e3fad8a3060ab304ddd615a3dc8f00",
            "Net Intensities": "rows=48 last_row=48 last_col=37 cells=1360 sha256=d73e3c481885075853c4dcadf5f61e8fcb8187ab092e414c917f2da51fa29bf2",
            "Net Intensities RSDs": "rows=46 last_row=46 last_col=37 cells=1353 sha256=18f1524f08028b3fee6d8bf37031bb58bce458294fa596f849f779e0cc8977f1",
            "Concentrations": "rows=12 last_row=12 last_col=37 cells=257 sha256=a3837c573edbef8f00f4825c291f43f79609ebef2a5201be02e62301d3ad5d86",
            " Org Concentrations": "rows=48 last_row=48 last_col=37 cells=1292 sha256=2107a3ce74d2f77ad16ef5ac6c0c7c1315b6e1352c4b3644ab06f0c7554129a4",
            "Concentrations RSDs": "rows=46 last_row=46 last_col=37 cells=1286 sha256=fb71ad51fa526f8be8667d1f498f8c959ecb7c94572505c39e41948b136573ca",
            "Unfactored Concentrations": "rows=48 last_row=48 last_col=37 cells=1292 sha256=c3cb7dfed4ff1e20ecfe4373dc1209cb645251f78c6d7432c8575e3a1fe0d595",
            "Internal Standards": "rows=45 last_row=45 last_col=1 cells=45 sha256=5433b148dd52f45733c8a135a2c87d96039ef8a090844e0243ccd5c51bf5194c",
            "QC": "rows=0 last_row=0 last_col=0 cells=0 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ]
        XCTAssertEqual(try summaries(url), expected)

        // A few cells, by name and by number: headers with embedded newlines, numbers as stored.
        let concentrations = try InputDocument.open(url: url, displayName: "syngistix.xlsx", sheet: "5")
        XCTAssertEqual(concentrations.sheetName, "Concentrations")
        let rows = try concentrations.readAll()
        XCTAssertEqual(rows[0].line, 1)
        XCTAssertEqual(Array(rows[0].fields.prefix(10)), [" ", "Sample Id", "R", "Acquisition Time", "QC Status", "Dataset File",
                                                          "Method File", "Ag 107\n(mg/L)", "Al 27\n(mg/L)", "As 75\n(mg/L)"])
        XCTAssertEqual(rows[0].fields.count, 37)
        XCTAssertEqual(rows[1].fields[0], "1")
        XCTAssertEqual(rows[1].fields[1], "BLK")
        XCTAssertEqual(rows[1].fields[3], "13/09/19 11:47:11 AM")
        XCTAssertEqual(rows[2].fields[1], "DU-0001")
        XCTAssertEqual(Array(rows[2].fields[7...9]), ["0.111", "0.555", "0.25"])
        XCTAssertTrue(rows.allSatisfy { $0.fields.count == 37 }, "every row is padded to the sheet's width")
    }

    func testAgilent8900WorkbookReadsAsOpenpyxlDoes() throws {
        guard let url = TestSupport.sharedInstrumentFixture("agilent8900_masshunter_jpquast.xlsx"),
              FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("../shared is absent") }
        XCTAssertEqual(try summaries(url), [
            "input": "rows=51 last_row=53 last_col=160 cells=7952 sha256=e9d2dbed0336cbcc8af1f1b32d89a0a95e5f51d4ca23be3d1394d1f6abf37078",
        ])
        // No sheet given: the first sheet with data.
        let records = try InputDocument.open(url: url, displayName: "agilent.xlsx").readAll()
        let byRow = Dictionary(records.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byRow[3]?[4], "24  Mg  [ No Gas ] ")
        XCTAssertEqual(byRow[3]?[7], "24 -> 24  Mg  [ No Gas MS ] ")
        XCTAssertEqual(Array(byRow[4]!.fields[2...7]), ["Type", "Sample Name", "Conc. [ ppb ]", "CPS", "Conc. RSD", "Conc. [ ppb ]"])
        XCTAssertEqual(Array(byRow[5]!.fields[2...7]), ["CalBlk", "MIV 0 ppb", "0", "2539.5", "N/A", "0"])
    }

    // MARK: Small workbooks made for the test

    func testOpenpyxlWorkbookTypesGapsAndDates() throws {
        let url = inputFixture("small_openpyxl.xlsx")
        XCTAssertEqual(try summaries(url), [
            "Results": "rows=6 last_row=7 last_col=7 cells=29 sha256=e63849081ba2eba5bbb1bad376b19f1bd2c9ca3fb33db8c71f4ce3bce9764616",
            "Notes 2": "rows=2 last_row=3 last_col=4 cells=3 sha256=2c93b9eed48aca2820cc69a423cafa8bc7be4c18474002e0742fea96034d1fcc",
        ])
        let rows = try InputDocument.open(url: url, sheet: "Results").readAll()
        XCTAssertEqual(rows.map(\.line), [1, 2, 3, 5, 6, 7], "row 4 is absent; rows keep their sheet numbers")
        XCTAssertEqual(rows[0].fields, ["sample", "analyte", "value", "unit", "", "measured_on", "ok"], "the gap column E is an empty field")
        XCTAssertEqual(rows[1].fields, ["C1-S", "La", "45.2", "mg/kg", "", "2019-03-14", "TRUE"])
        XCTAssertEqual(rows[2].fields, ["C1-S", "Ce", "0.111", "mg/kg", "", "2019-03-14T13:45:30", "FALSE"])
        XCTAssertEqual(rows[3].fields, ["C2-S", "Nd", "1.50694863922671", "µg/g", "", "", ""])
        XCTAssertEqual(rows[4].fields, ["C2-S", "Sm", "-0.01", "mg/kg", "", "1900-01-05", ""])
        XCTAssertEqual(rows[5].fields[0], "rich inline")
        XCTAssertEqual(Double(rows[5].fields[2]), 1.2e-05)
        let notes = try InputDocument.open(url: url, sheet: "2").readAll()
        XCTAssertEqual(notes.map(\.fields), [["", "La 139\n(mg/L)", "", "7"], ["", "  padded  ", "", ""]])
    }

    func testHandmadePartsRichTextPhoneticInline1904AndErrors() throws {
        let url = inputFixture("handmade_parts.xlsx")
        XCTAssertEqual(try summaries(url), [
            "Data & QC": "rows=3 last_row=4 last_col=5 cells=12 sha256=77dd46b365a18dbad3230e90ebc4c511722077e9b6afb6ec73f81c44c1916225",
        ])
        let book = try XLSXWorkbook(url: url, displayName: "handmade.xlsx")
        XCTAssertTrue(book.date1904)
        let rows = try book.sheet("Data & QC").readAll()
        XCTAssertEqual(rows.map(\.line), [1, 3, 4], "a <row> without r follows the previous row")
        XCTAssertEqual(rows[0].fields, ["Sample Id", "Ce 140", "", "Nd 146", ""], "runs joined, the phonetic guide left out")
        // 0.111 in a custom number format without date tokens stays as stored; 42000.5 in dd/mm/yyyy hh:mm
        // with the 1904 system is 2018-12-28 12:00 (openpyxl: datetime(2018, 12, 28, 12, 0)); 0 in format 14 is 00:00:00.
        XCTAssertEqual(rows[1].fields, ["  OREAS 45d <QC> ", "0.111", "2018-12-28T12:00:00", "00:00:00", ""])
        XCTAssertEqual(rows[2].fields, ["line one\nline two", "1.50694863922671", "#N/A", "=text", "FALSE"])
    }

    func testWorkbookCopyOfLongResultsGivesTheCSVRecords() throws {
        let csv = try InputDocument.open(url: TestSupport.fixture("instruments/long_results_small.csv")).readAll()
        let xlsx = try InputDocument.open(url: inputFixture("long_results_small.xlsx"), displayName: "long.xlsx").readAll()
        XCTAssertEqual(xlsx.count, csv.count)
        for (a, b) in zip(csv, xlsx) {
            XCTAssertEqual(a.line, b.line)
            XCTAssertEqual(a.fields.count, b.fields.count, "line \(a.line)")
            for (x, y) in zip(a.fields, b.fields) {
                // openpyxl stores 5.0 as "5": the same number, so numbers compare as numbers.
                if let p = Double(x), let q = Double(y) { XCTAssertEqual(p, q, "line \(a.line)") } else { XCTAssertEqual(x, y, "line \(a.line)") }
            }
        }
        XCTAssertEqual(xlsx[1].fields, ["C1-S", "La", "45.2", "mg/kg", "", "0.05", "ICP-MS", "2019-03-14"])
    }

    // MARK: Selection, locations and damaged archives

    func testSheetSelectionAndDiagnosticLocations() throws {
        let url = inputFixture("small_openpyxl.xlsx")
        XCTAssertEqual(try InputDocument.sheetNames(url), ["Results", "Notes 2"])
        XCTAssertEqual(try InputDocument.sheetNames(TestSupport.fixture("instruments/long_results_small.csv")), [])
        XCTAssertThrowsError(try InputDocument.open(url: url, displayName: "small.xlsx", sheet: "Summary")) { error in
            XCTAssertEqual("\(error)", "small.xlsx: error: the workbook has no sheet \"Summary\"; expected a sheet name or a number 1–2: 1 \"Results\", 2 \"Notes 2\"")
        }
        XCTAssertThrowsError(try InputDocument.open(url: TestSupport.fixture("instruments/long_results_small.csv"), displayName: "long.csv", sheet: "1")) { error in
            XCTAssertTrue("\(error)".hasPrefix("long.csv:1:1: error: --sheet 1 was given but this is a text file"), "\(error)")
        }
        let reader = try InputDocument.open(url: url, displayName: "small.xlsx", sheet: "Notes 2")
        XCTAssertEqual(reader.diagnostic(line: 7, column: 2, "bad").description, "small.xlsx:'Notes 2'!B7: error: bad")
        XCTAssertEqual(ImportDiagnostic(file: "f.xlsx", line: 12, column: 28, message: "m", sheet: "Results").description, "f.xlsx:Results!AB12: error: m")
        XCTAssertEqual(ImportDiagnostic(file: "f.xlsx", line: 12, column: nil, message: "m", sheet: "Results").description, "f.xlsx:Results!12:12: error: m")
        XCTAssertEqual(ImportDiagnostic(file: "f.csv", line: 3, column: 2, message: "m").description, "f.csv:3:2: error: m")
        XCTAssertEqual(CellReference.columnLetters(16_384), "XFD")
        XCTAssertEqual(CellReference.parse("AB12".utf8)?.column, 28)
        XCTAssertEqual(CellReference.parse("$C$3".utf8)?.row, 3)
    }

    /// Expected values from openpyxl 3.1.5: `styles.numbers.is_date_format(code)` and
    /// `utils.datetime.from_excel(serial[, CALENDAR_MAC_1904])` (printed by a one-off script; exact).
    func testDateFormatsAndSerialsAsOpenpyxlReadsThem() {
        let codes: [(String, Bool)] = [
            ("yyyy-mm-dd", true), ("0.00", false), ("[Red]0.00", false), ("\"d\"0", false), ("h:mm", true),
            ("[h]:mm:ss", true), ("dd/mm/yyyy\\ hh:mm", true), ("General", false), ("0.000\" mg/kg\"", false),
            ("[$-409]mmm d, yyyy", true), ("#,##0_);[Red](#,##0)", false), ("_(* #,##0.00_)", false), ("0.00E+00", false),
            ("mm:ss", true),
        ]
        for (code, isDate) in codes { XCTAssertEqual(ExcelNumberFormat.kind(code) != nil, isDate, code) }
        let serials: [(Double, Bool, String)] = [
            (1, false, "1900-01-01"), (59, false, "1900-02-28"), (60, false, "1900-02-28"), (61, false, "1900-03-01"),
            (43831.5, false, "2020-01-01T12:00:00"), (45000.75, false, "2023-03-15T18:00:00"),
            (1.25, true, "1904-01-02T06:00:00"), (42000.5, true, "2018-12-28T12:00:00"), (0.5, false, "12:00:00"),
        ]
        for (serial, date1904, iso) in serials {
            XCTAssertEqual(ExcelNumberFormat.isoText(serial: serial, date1904: date1904, showsTime: false), iso, "\(serial)")
        }
    }

    func testZipEntriesStoredAndDeflatedMatchPythonZipfile() throws {
        let archive = try ZipArchive(url: inputFixture("handmade_parts.xlsx"), displayName: "handmade.xlsx")
        // name: (method, size, crc, sha256) as Python's zipfile read them.
        let expected: [String: (UInt16, Int, UInt32, String)] = [
            "_rels/.rels": (0, 281, 0x2d91_5981, "b3e79a18390cd42ec86ade6c6c0a24dc2d7a09e71a03d69f3bb74fd661d2210d"),
            "xl/styles.xml": (0, 587, 0xf33c_fbdd, "39951a69319a9d8d2b0e4ed005ce52326b0d1c80f02b469d95ddf9bba2db2784"),
            "xl/sharedStrings.xml": (8, 466, 0x3b06_db76, "cca02265b1fe296788793bc0cc4f87e40d2f219332aa3b32fe379ef941166631"),
            "xl/worksheets/data.xml": (8, 671, 0x476e_aa6d, "b0e049ebf0372ec91d7e6ce42000ada9dfdf244214bf7780fdfa4544d2f0ca0c"),
        ]
        XCTAssertEqual(archive.entries.count, 7)
        for (name, (method, size, crc, sha)) in expected {
            let entry = try XCTUnwrap(archive.entry(named: name))
            XCTAssertEqual(entry.method, method, name)
            XCTAssertEqual(entry.uncompressedSize, size, name)
            XCTAssertEqual(entry.crc32, crc, name)
            XCTAssertEqual(SHA256.hex(try archive.data(entry)), sha, name)
        }
        XCTAssertTrue(ZipArchive.hasSignature(inputFixture("handmade_parts.xlsx")))
        XCTAssertFalse(ZipArchive.hasSignature(TestSupport.fixture("instruments/long_results_small.csv")))
    }

    /// Writes damaged copies of handmade_parts.xlsx and checks each is refused by name.
    func testDamagedArchivesAreRefusedNamingFileAndEntry() throws {
        let original = Array(try Data(contentsOf: inputFixture("handmade_parts.xlsx")))
        let dir = TestSupport.temporaryDirectory("lims-zip")
        defer { try? FileManager.default.removeItem(at: dir) }
        func attempt(_ bytes: [UInt8], _ name: String) -> String {
            let url = dir.appendingPathComponent(name)
            try! Data(bytes).write(to: url)
            do {
                let book = try XLSXWorkbook(url: url, displayName: name)
                _ = try book.sheet(at: 0).readAll()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        func find(_ text: String, after start: Int = 0) -> Int {
            let needle = Array(text.utf8)
            for i in start..<(original.count - needle.count) where Array(original[i..<(i + needle.count)]) == needle { return i }
            XCTFail("\(text) not found"); return 0
        }
        // A changed byte in the stored styles part: the CRC-32 no longer matches.
        var badCRC = original
        let styles = find("<styleSheet")
        badCRC[styles + 1] = UInt8(ascii: "S")
        XCTAssertTrue(attempt(badCRC, "crc.xlsx").hasPrefix("crc.xlsx: error: entry xl/styles.xml: CRC-32 mismatch (computed "), attempt(badCRC, "crc.xlsx"))
        // Cut in half: no end-of-central-directory record.
        XCTAssertEqual(attempt(Array(original.prefix(original.count / 2)), "half.xlsx"),
                       "half.xlsx:1:1: error: this is a zip archive (an .xlsx workbook?) without its end-of-central-directory record: truncated or damaged; expected a complete .xlsx workbook")
        // Damaged deflate data in the sheet part (local data overwritten with 0xFF).
        var badDeflate = original
        // The local header (PK\3\4) whose name at offset 30 is the sheet part; its data follows the name.
        let name = Array("xl/worksheets/data.xml".utf8)
        let local = try XCTUnwrap((0..<(original.count - 60)).first { i in
            original[i] == 0x50 && original[i + 1] == 0x4B && original[i + 2] == 3 && original[i + 3] == 4
                && Array(original[(i + 30)..<(i + 30 + name.count)]) == name
        })
        for i in (local + 30 + name.count + 2)..<(local + 30 + name.count + 40) { badDeflate[i] = 0xFF }
        let deflateError = attempt(badDeflate, "deflate.xlsx")
        XCTAssertTrue(deflateError.hasPrefix("deflate.xlsx: error: entry xl/worksheets/data.xml: "), deflateError)
        XCTAssertTrue(deflateError.contains("damaged"), deflateError)
        // The encryption flag set on every central directory record.
        var encrypted = original
        var p = 0
        while p + 4 < encrypted.count {
            if encrypted[p] == 0x50, encrypted[p + 1] == 0x4B, encrypted[p + 2] == 0x01, encrypted[p + 3] == 0x02 { encrypted[p + 8] |= 1 }
            p += 1
        }
        XCTAssertTrue(attempt(encrypted, "locked.xlsx").contains("the entry is encrypted"), attempt(encrypted, "locked.xlsx"))
        // Not an .xlsx at all: a ZIP without a workbook part.
        XCTAssertFalse(InputDocument.isWorkbook(TestSupport.fixture("instruments/long_results_small.csv")))
    }

    /// 10^5 rows stream through one record at a time (the workbook is written here, stored, by a
    /// tiny ZIP writer of the test's own with its own CRC-32, so no Python is needed at run time).
    func testLargeSheetStreams() throws {
        let dir = TestSupport.temporaryDirectory("lims-xlsx-large")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("large.xlsx")
        var sheet = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D100001"/><sheetData>"#
        sheet += #"<row r="1"><c r="A1" t="inlineStr"><is><t>sample</t></is></c><c r="B1" t="inlineStr"><is><t>analyte</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c><c r="D1" t="inlineStr"><is><t>unit</t></is></c></row>"#
        for i in 0..<100_000 {
            let r = i + 2
            sheet += #"<row r="\#(r)"><c r="A\#(r)" t="inlineStr"><is><t>S\#(i)</t></is></c><c r="B\#(r)" t="inlineStr"><is><t>La</t></is></c><c r="C\#(r)"><v>\#(i / 2).\#(i % 2 == 0 ? "0" : "5")</v></c><c r="D\#(r)" t="inlineStr"><is><t>mg/kg</t></is></c></row>"#
        }
        sheet += "</sheetData></worksheet>"
        try StoredZipWriter.write(url, parts: [
            ("_rels/.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="big" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", sheet),
        ])
        let reader = try InputDocument.open(url: url)
        var count = 0, sum = 0.0
        var last: CSVRecord?
        let start = Date()
        while let record = try reader.next() {
            count += 1
            if record.line > 1 { sum += Double(record[2])! }
            last = record
        }
        print("XLSXReaderTests: 10^5 rows (\(sheet.utf8.count) bytes of sheet XML) read in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(count, 100_001)
        XCTAssertEqual(last?.fields, ["S99999", "La", "49999.5", "mg/kg"])
        XCTAssertEqual(last?.line, 100_001)
        // Σ i/2 for i < 10^5 = 99999 · 100000 / 4.
        XCTAssertEqual(sum, 2_499_975_000, accuracy: 1e-6)
    }
}

/// A minimal ZIP writer (stored entries only) for test workbooks, with its own CRC-32.
enum StoredZipWriter {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[n] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func write(_ url: URL, parts: [(String, String)]) throws {
        var out: [UInt8] = [], directory: [UInt8] = []
        func u16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        for (name, text) in parts {
            let data = Array(text.utf8), nameBytes = Array(name.utf8), crc = crc32(data), offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out); u16(nameBytes.count, &out); u16(0, &out)
            out += nameBytes + data
            u32(0x0201_4B50, &directory); u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(0, &directory)
            u16(0, &directory); u16(0, &directory); u32(crc, &directory); u32(UInt32(data.count), &directory)
            u32(UInt32(data.count), &directory); u16(nameBytes.count, &directory); u16(0, &directory); u16(0, &directory)
            u16(0, &directory); u16(0, &directory); u32(0, &directory); u32(offset, &directory)
            directory += nameBytes
        }
        let directoryOffset = UInt32(out.count)
        out += directory
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(parts.count, &out); u16(parts.count, &out)
        u32(UInt32(directory.count), &out); u32(directoryOffset, &out); u16(0, &out)
        try Data(out).write(to: url)
    }
}
