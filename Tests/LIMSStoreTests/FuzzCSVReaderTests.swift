import Foundation
import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// A reader of the lab's input files, as the fuzz tests drive it: bytes in a file → records,
/// or an error. Instrument readers join the fuzzing by adding one line to `FuzzTargets.readers`.
struct FuzzReader: Sendable {
    let name: String
    let read: @Sendable (_ file: URL) throws -> Void
}

enum FuzzTargets {
    /// The samples sheet template (shared vocabulary), used to fuzz `Sheet` and `SheetRow`.
    static let sampleColumns: [SheetColumn] = [
        SheetColumn("code", required: true, help: "sample code"), SheetColumn("plot", help: "plot code"),
        SheetColumn("parent", help: "parent sample"), SheetColumn("type", help: "sample type"),
        SheetColumn("depth_top_cm", help: "cm"), SheetColumn("depth_bottom_cm", help: "cm"),
        SheetColumn("collected_on", help: "YYYY-MM-DD"), SheetColumn("mass_g", help: "g"),
        SheetColumn("preparation", help: "steps"), SheetColumn("description", help: "text"),
    ]

    /// Every reader fed by the fuzz tests. When an instrument reader lands, add it here, e.g.
    /// `FuzzReader(name: "MassHunter") { _ = try MassHunterReader(url: $0).readAll() },`
    /// Every instrument reader, each forced on every input (auto-detection would pick few of them).
    static let instrumentReaders: [FuzzReader] = ResultsFormat.allCases.map { format in
        FuzzReader(name: "results reader \(format.rawValue)") { url in
            let opened = try ResultsFormat.open(url: url, displayName: url.path, options: ResultsImportOptions(format: format),
                                                dateOrder: .dmy, dateOrderIsExplicit: false)
            do {
                while try opened.reader.next() != nil {}
            } catch is DateOrderEvidence {
                // A date that proves the other order: the importer starts over; not a reader failure.
            }
        }
    }

    static let readers: [FuzzReader] = instrumentReaders + [
        FuzzReader(name: "CSVReader, detected delimiter") { try drain(CSVReader(url: $0)) },
        FuzzReader(name: "CSVReader, ';'") { try drain(CSVReader(url: $0, delimiter: ";")) },
        FuzzReader(name: "CSVReader, tab") { try drain(CSVReader(url: $0, delimiter: "\t")) },
        FuzzReader(name: "Sheet, samples template") { url in
            let sheet = try Sheet(reader: CSVReader(url: url), columns: sampleColumns)
            for row in sheet.rows { try exerciseAccessors(row) }
        },
    ]

    static func drain(_ reader: CSVReader) throws {
        while try reader.next() != nil {}
    }

    /// Calls every typed accessor on every column; each must return a value within its
    /// bounds or throw a diagnostic at this row and that column.
    static func exerciseAccessors(_ row: SheetRow) throws {
        for column in sampleColumns.map(\.name) {
            let index = row.layout.columnIndex[column]
            func expectLocated(_ body: () throws -> Void) throws {
                do { try body() } catch let error as ImportDiagnostic {
                    guard error.line == row.line, error.column == index.map({ $0 + 1 }),
                          error.message.hasPrefix("\(column): ") else {
                        throw PropertyViolation("diagnostic at the wrong place: \(error) (row line \(row.line), column \(String(describing: index)))")
                    }
                }
            }
            _ = row.text(column)
            try expectLocated {
                if let value = try row.number(column, unit: "g", minimum: 0, maximum: 1000) {
                    guard value.isFinite, value >= 0, value <= 1000 else {
                        throw PropertyViolation("number(\(column)) returned \(value) outside 0...1000")
                    }
                }
            }
            try expectLocated {
                if let value = try row.number(column, minimum: 0, exclusiveMinimum: true) {
                    guard value > 0 else { throw PropertyViolation("number(\(column)) returned \(value), not > 0") }
                }
            }
            try expectLocated {
                if let value = try row.integer(column, minimum: 1) {
                    guard value >= 1 else { throw PropertyViolation("integer(\(column)) returned \(value) < 1") }
                }
            }
            try expectLocated {
                if let value = try row.date(column) {
                    guard Validate.isISODate(value) else { throw PropertyViolation("date(\(column)) returned \(value)") }
                }
            }
            try expectLocated { _ = try row.choice(column, ["bulk", "block", "extract"]) }
            try expectLocated { _ = try row.requiredText(column) }
            try expectLocated { _ = try row.requiredNumber(column) }
        }
    }
}

/// A broken property (not a diagnostic for the user): fails the fuzz case.
struct PropertyViolation: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Checks that an error from a reader is a clear, located diagnostic: `file:line:col: error: message`,
/// the right file name, a line inside the file, a column ≥ 1.
func clearDiagnosticProblem(_ error: Error, fileName: String, lineCount: Int) -> String? {
    if let error = error as? PropertyViolation { return error.description }
    let diagnostics: [ImportDiagnostic]
    switch error {
    case let one as ImportDiagnostic: diagnostics = [one]
    case let many as ImportDiagnostics:
        guard !many.diagnostics.isEmpty else { return "an empty ImportDiagnostics" }
        diagnostics = many.diagnostics
    default:
        return "an error that is not a located diagnostic: \(type(of: error)): \(error)"
    }
    for diagnostic in diagnostics {
        if diagnostic.file != fileName { return "diagnostic names \(diagnostic.file), not \(fileName)" }
        if diagnostic.line < 1 || diagnostic.line > lineCount + 1 {
            return "diagnostic line \(diagnostic.line) outside the file's \(lineCount) lines: \(diagnostic)"
        }
        if let column = diagnostic.column, column < 1 { return "diagnostic column \(column) < 1: \(diagnostic)" }
        if diagnostic.message.trimmingCharacters(in: .whitespaces).isEmpty { return "empty message: \(diagnostic)" }
        let text = diagnostic.description
        if text.range(of: #"^.+:\d+:\d+: error: .+"#, options: .regularExpression) == nil {
            return "diagnostic not in file:line:col form: \(text)"
        }
    }
    return nil
}

/// Physical lines of a byte buffer as the reader counts them (LF, CRLF or lone CR).
func physicalLineCount(_ bytes: [UInt8]) -> Int {
    var count = 1
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0x0A { count += 1 } else if bytes[i] == 0x0D {
            count += 1
            if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
        }
        i += 1
    }
    return count
}

/// Hostile input for every CSV reader: random bytes, CSV-like noise, and mutated real
/// instrument exports. Never a crash, a hang or an error that is not a located diagnostic.
/// Seeded: a failure prints its case and seed; LIMS_FUZZ_SEED=… replays, LIMS_FUZZ_CASES=… runs more.
final class FuzzCSVReaderTests: XCTestCase {
    static let master = SeededRandom.masterSeed(fallback: 0x5EED_CAFE_2026)

    /// Real files to mutate: ../shared/fixtures/instruments and the project's Tests/Fixtures.
    static let seedFiles: [URL] = {
        var urls: [URL] = []
        var folders = [TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures")]
        // ../shared beside the clone (CI), or LIMS_SHARED_DIR when working in a worktree.
        let shared = TestSupport.sharedDirectory
            ?? ProcessInfo.processInfo.environment["LIMS_SHARED_DIR"].map { URL(fileURLWithPath: $0) }
        if let shared { folders.append(shared.appendingPathComponent("fixtures/instruments")) }
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["csv", "txt", "tsv"].contains(url.pathExtension.lowercased()) {
                urls.append(url)
            }
        }
        return urls.sorted { $0.path < $1.path }
    }()

    static let seedContents: [[UInt8]] = seedFiles.compactMap { try? Array(Data(contentsOf: $0)) }
    /// The same files cut into lines once (cutting 300 kB per case would dominate the run time).
    static let seedLines: [[[UInt8]]] = seedContents.map { bytes in
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) + [0x0A] }
    }

    /// A small slice of a real file: its first lines (headers) plus a window of later lines.
    static func slice(_ lines: [[UInt8]], using random: inout SeededRandom) -> [UInt8] {
        guard lines.count > 4 else { return lines.flatMap { $0 } }
        let head = lines.prefix(random.int(in: 1...4))
        let start = random.int(in: 0...(lines.count - 1))
        let window = lines[start..<min(lines.count, start + random.int(in: 1...6))]
        // Instrument lines run to 3 kB: keep a case small so thousands fit in seconds.
        return Array((head + window).flatMap { $0 }.prefix(random.int(in: 256...4000)))
    }

    func fuzz(_ name: String, cases: Int, make: @escaping @Sendable (inout SeededRandom) -> [UInt8]) {
        let directory = TestSupport.temporaryDirectory("lims-fuzz")
        let readers = FuzzTargets.readers
        let failures = FuzzHarness.run(target: name, master: Self.master, cases: SeededRandom.caseCount(default: cases)) { random, index in
            let bytes = make(&random)
            // One file, rewritten per case (the readers under test read files, as imports do).
            let url = directory.appendingPathComponent("case.csv")
            do { try Data(bytes).write(to: url) } catch { return "cannot write the case file: \(error)" }
            let lines = physicalLineCount(bytes)
            for reader in readers {
                do {
                    try reader.read(url)
                } catch {
                    if let problem = clearDiagnosticProblem(error, fileName: url.path, lineCount: lines) {
                        return "\(reader.name): \(problem)"
                    }
                }
            }
            return nil
        }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"))
    }

    func testRandomBytes() {
        fuzz("random bytes", cases: 1500) { random in random.bytes(count: random.int(in: 0...300)) }
    }

    func testCSVLikeNoise() {
        fuzz("CSV-like noise", cases: 1000) { random in Mutator.csvLike(using: &random) }
    }

    func testMutatedSlicesOfRealInstrumentFiles() throws {
        let lines = Self.seedLines
        guard !lines.isEmpty else { throw XCTSkip("no fixture files (../shared/fixtures/instruments absent)") }
        fuzz("mutated instrument slices", cases: 400) { random in
            Mutator.mutate(Self.slice(random.pick(lines), using: &random), using: &random)
        }
    }

    /// Whole files past the reader's 64 KiB chunk, so chunk boundaries meet quotes and line ends.
    func testMutatedWholeInstrumentFiles() throws {
        let contents = Self.seedContents
        guard !contents.isEmpty else { throw XCTSkip("no fixture files (../shared/fixtures/instruments absent)") }
        fuzz("mutated whole instrument files", cases: 4 * contents.count) { random in
            Mutator.mutate(random.pick(contents), using: &random, rounds: random.int(in: 1...40))
        }
    }

    /// Valid CSV written from random fields (quotes, delimiters, line breaks, non-ASCII inside)
    /// reads back exactly — the reader is not only crash-free but right.
    func testRoundTripOfRandomTables() {
        let alphabet: [String] = ["a", "B", "7", ".", "-", " ", "\"", ",", ";", "\t", "\n", "\r\n", "\r", "µ", "é", "<", "ppb", "Ce 413.380"]
        let failures = FuzzHarness.run(target: "round trip", master: Self.master, cases: SeededRandom.caseCount(default: 1500)) { random, _ in
            let delimiter = random.pick([",", ";", "\t"])
            let lineEnd = random.pick(["\n", "\r\n"])
            let width = random.int(in: 1...6)
            let table: [[String]] = (0..<random.int(in: 1...8)).map { _ in
                (0..<width).map { _ in (0..<random.int(in: 0...6)).map { _ in random.pick(alphabet) }.joined() }
            }
            func encode(_ field: String) -> String {
                let needsQuotes = field.isEmpty && width == 1
                    || field.contains(where: { "\"\r\n".contains($0) || String($0) == delimiter })
                    || field.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }
                return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            var text = (random.chance(0.3) ? "\u{FEFF}" : "")
                + table.map { $0.map(encode).joined(separator: delimiter) }.joined(separator: lineEnd)
            if random.chance(0.5) { text += lineEnd }
            do {
                let records = try CSVReader(text: text, fileName: "t.csv", delimiter: Character(delimiter)).readAll()
                if records.map(\.fields) != table {
                    return "read \(records.map(\.fields)) from \(text.debugDescription), expected \(table)"
                }
            } catch {
                return "valid CSV refused: \(error) — \(text.debugDescription)"
            }
            return nil
        }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"))
    }

    /// Sheets with real and misspelled headers in any order, then mutated rows: Sheet and every
    /// SheetRow accessor either give a value within bounds or a diagnostic at the right cell.
    func testSheetsWithHostileHeadersAndCells() {
        let names = FuzzTargets.sampleColumns.map(\.name) + ["Code", " mass_g ", "mas_g", "", "code"]
        let cells = ["C1-S", "", " 12.5 ", "-4", "1e400", "nan", "inf", "0", "2019-02-30", "2019-03-14", "bulk",
                     "<0.05", "1,5", "12abc", "\"q\"", "９", "0x10", "+3", "-0", "2147483648", "99999999999999999999"]
        let failures = FuzzHarness.run(target: "sheet", master: Self.master, cases: SeededRandom.caseCount(default: 1500)) { random, _ in
            let header = (0..<random.int(in: 1...8)).map { _ in random.pick(names) }
            var lines = [header.joined(separator: ",")]
            for _ in 0..<random.int(in: 0...6) {
                lines.append((0..<random.int(in: 0...(header.count + 1))).map { _ in random.pick(cells) }.joined(separator: ","))
            }
            var bytes = Array(lines.joined(separator: "\n").utf8)
            if random.chance(0.3) { bytes = Mutator.mutate(bytes, using: &random) }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let sheet = try Sheet(reader: CSVReader(text: text, fileName: "s.csv", delimiter: ","),
                                      columns: FuzzTargets.sampleColumns)
                for row in sheet.rows { try FuzzTargets.exerciseAccessors(row) }
            } catch {
                return clearDiagnosticProblem(error, fileName: "s.csv", lineCount: physicalLineCount(Array(text.utf8)))
            }
            return nil
        }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"))
    }
}
