import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// Mutated workbooks: the reader gives records or an `ImportDiagnostic` naming the file — never a
/// crash, a hang or another kind of error. Seeded (`LIMS_FUZZ_SEED`, `LIMS_FUZZ_CASES`).
final class XLSXFuzzTests: XCTestCase {
    func readAll(_ url: URL) throws {
        let book = try XLSXWorkbook(url: url, displayName: "case.xlsx")
        for index in book.sheetNames.indices { _ = try book.sheet(at: index).readAll() }
    }

    func check(_ url: URL, label: String) -> String? {
        do {
            try readAll(url)
        } catch let diagnostic as ImportDiagnostic {
            if diagnostic.file != "case.xlsx" { return "\(label): diagnostic names \(diagnostic.file)" }
        } catch {
            return "\(label): an error that is not a located diagnostic: \(type(of: error)): \(error)"
        }
        return nil
    }

    /// Whole archives with bytes flipped, inserted and deleted (mostly zip and zlib damage).
    func testMutatedArchives() throws {
        let dir = TestSupport.temporaryDirectory("lims-xlsx-fuzz")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sources = ["small_openpyxl.xlsx", "handmade_parts.xlsx"].map { Array(try! Data(contentsOf: TestSupport.fixture("input/\($0)"))) }
        let master = SeededRandom.masterSeed(fallback: 0x5EED_0001_C0DE)
        var failures: [String] = []
        for index in 0..<SeededRandom.caseCount(default: 300) {
            var random = SeededRandom(seed: SeededRandom.caseSeed(master: master, index: index))
            let bytes = Mutator.mutate(random.pick(sources), using: &random)
            let url = dir.appendingPathComponent("case.xlsx")
            try Data(bytes).write(to: url)
            if let failure = check(url, label: "case \(index) (seed \(String(master, radix: 16)))") { failures.append(failure) }
        }
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).joined(separator: "\n"))
    }

    /// The sheet and shared-strings XML mutated, in a valid (stored) archive: the XML scanner and the sheet reader.
    func testMutatedSheetXML() throws {
        let dir = TestSupport.temporaryDirectory("lims-xlsx-fuzz-xml")
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = try ZipArchive(url: TestSupport.fixture("input/handmade_parts.xlsx"))
        var parts: [(String, [UInt8])] = []
        for entry in archive.entries { parts.append((entry.name, try archive.data(entry))) }
        let master = SeededRandom.masterSeed(fallback: 0x5EED_0002_C0DE)
        var failures: [String] = []
        for index in 0..<SeededRandom.caseCount(default: 400) {
            var random = SeededRandom(seed: SeededRandom.caseSeed(master: master, index: index))
            let target = random.pick(["xl/worksheets/data.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"])
            let mutated = parts.map { name, data in (name, name == target ? Mutator.mutate(data, using: &random) : data) }
            let url = dir.appendingPathComponent("case.xlsx")
            try StoredZipWriter.write(url, parts: mutated.map { ($0.0, String(decoding: $0.1, as: UTF8.self)) })
            if let failure = check(url, label: "case \(index) \(target) (seed \(String(master, radix: 16)))") { failures.append(failure) }
        }
        XCTAssertTrue(failures.isEmpty, failures.prefix(5).joined(separator: "\n"))
    }
}
