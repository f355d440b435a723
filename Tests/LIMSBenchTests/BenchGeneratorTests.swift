import XCTest
@testable import LIMSBench
import LIMSStore
import LIMSTestSupport

/// The benchmark's synthetic lab must look like the real instrument export and be the same
/// for the same seed. (The benchmark itself never runs under `swift test`.)
final class BenchGeneratorTests: XCTestCase {
    /// 120 samples: a calibration block, two check pairs (after samples 50 and 100).
    func generate(seed: UInt64 = 7, samples: Int = 120) throws -> (dir: URL, run: SyntheticLab.RunFiles, sheets: SyntheticLab.SheetFiles) {
        let dir = TestSupport.temporaryDirectory("bench-gen")
        let lab = SyntheticLab(sampleCount: samples, seed: seed)
        let sheets = try lab.writeSheets(in: dir.path)
        let run = try lab.writeRun(agilentPath: dir.appendingPathComponent("run.csv").path,
                                   longPath: dir.appendingPathComponent("long.csv").path)
        return (dir, run, sheets)
    }

    func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    func testHeaderRowsAreExactlyTheRealMassHunterExport() throws {
        guard let real = TestSupport.sharedInstrumentFixture("agilent7900_masshunter_User_Raw.csv") else {
            throw XCTSkip("../shared is absent")
        }
        let realLines = try lines(real.path)
        let generated = try lines(try generate().run.agilentPath)
        XCTAssertEqual(generated[0], realLines[0], "row 1: analyte groups like '139  La  [ No Gas ] ' over 4 columns")
        XCTAssertEqual(generated[1], realLines[1], "row 2: Rjct … Sample Name, then CPS / CPS RSD / Conc. [ ppb ] / Conc. RSD")
    }

    func testRowsFollowTheLayoutAndTheLongCSVHoldsTheSameValues() throws {
        let (_, run, sheets) = try generate()
        let table = try lines(run.agilentPath).dropLast().map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        XCTAssertEqual(table.count, 2 + 9 + 120 + 4)
        XCTAssertEqual(run.rows, 133)
        XCTAssertEqual(run.values, 133 * 69)
        XCTAssertEqual(Set(table.map(\.count)), [7 + 69 * 4 + 2 * 2])
        let registered = try lines(sheets.samples).dropFirst().dropLast().map { String($0.split(separator: ",")[0]) }
        XCTAssertEqual(registered.count, 120)
        let long = try lines(run.longPath).dropLast()
        XCTAssertEqual(long.first, "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on")
        XCTAssertEqual(long.count - 1, run.values)

        var sampleNames: [String] = []
        var longIndex = 1
        for (index, row) in table.dropFirst(2).enumerated() {
            XCTAssertEqual(row[0], "")
            XCTAssertEqual(row[1], "FAUX")
            XCTAssertEqual(row[2], "\(String(format: "%03d", index + 1))\(["Sample": "SMPL", "CalBlk": "CALB", "CalStd": "CALS"][String(row[4])] ?? "?").d")
            XCTAssertNotNil(row[3].wholeMatch(of: /\d\d\/\d\d\/2018 \d\d:\d\d/), "\(row[3])")
            if row[4] == "Sample" { sampleNames.append(String(row[6])) }
            for analyte in 0..<69 {
                let conc = row[7 + 4 * analyte + 2]
                XCTAssertTrue(conc == "<0.000" || Double(conc) != nil, "conc cell \(conc)")
                XCTAssertEqual(long[longIndex], "\(row[6]),\(AgilentPanel.analytes[analyte].longName),\(conc),ppb,,,ICP-MS,2018-12-19")
                longIndex += 1
            }
        }
        XCTAssertEqual(sampleNames, registered, "every Sample row is a registered sample, in order")
        XCTAssertEqual(table[2 + 9 + 50][4], "CalBlk", "a check pair follows every 50 samples")
        XCTAssertEqual(table[2 + 9 + 51][6], "Traces 10 ppb")
        XCTAssertTrue(sampleNames.allSatisfy { $0.hasSuffix(String(format: "%06d", sampleNames.firstIndex(of: $0)! + 1)) })
    }

    func testSameSeedSameBytesOtherSeedOtherNumbers() throws {
        let a = try generate(seed: 42), b = try generate(seed: 42), c = try generate(seed: 43)
        for path in [\SyntheticLab.RunFiles.agilentPath, \.longPath] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a.run[keyPath: path])),
                           try Data(contentsOf: URL(fileURLWithPath: b.run[keyPath: path])))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a.sheets.samples)),
                       try Data(contentsOf: URL(fileURLWithPath: b.sheets.samples)))
        let aLines = try lines(a.run.agilentPath), cLines = try lines(c.run.agilentPath)
        XCTAssertEqual(aLines[0..<2], cLines[0..<2])
        XCTAssertNotEqual(aLines[20], cLines[20])
    }

    /// The benchmark's profile made CSVReader copy runs of unquoted bytes at once; the
    /// generated file (~0.5 MB, so many 64 KiB chunk boundaries fall inside fields) must read
    /// exactly as a plain split on ';' reads it.
    func testCSVReaderReadsTheGeneratedFileAcrossChunkBoundaries() throws {
        let run = try generate().run
        let expected = try lines(run.agilentPath).dropLast().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        let reader = try CSVReader(url: URL(fileURLWithPath: run.agilentPath))
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record.fields) }
        XCTAssertEqual(records, expected)
        let odd = try CSVReader(text: "a\"b;\"c;d\";e\r\nf;;\n", fileName: "q.csv").readAll().map(\.fields)
        XCTAssertEqual(odd, [["a\"b", "c;d", "e"], ["f", "", ""]], "a quote inside an unquoted field is text")
    }

    /// SHA256 was rewritten to compress blocks in place (16 → 146 MB/s); the digest of the
    /// generated file, fed in odd chunk sizes, must equal coreutils' sha256sum of it.
    func testSHA256OfAFileInOddChunksMatchesSha256sum() throws {
        let run = try generate().run
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else { throw XCTSkip("no sha256sum") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [run.agilentPath]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(output.prefix(64))
        let data = try Data(contentsOf: URL(fileURLWithPath: run.agilentPath))
        var hasher = SHA256()
        var start = 0, step = 1
        while start < data.count {
            let end = min(data.count, start + step)
            hasher.update(data[start..<end])
            start = end
            step = step % 977 + 13
        }
        XCTAssertEqual(SHA256.hexString(hasher.finalize()), expected)
        XCTAssertEqual(SHA256.hex(Array(data)), expected)
    }

    func testNumbersAreWrittenAsTheRealFileWritesThem() {
        // Cell texts copied from agilent7900_masshunter_User_Raw.csv.
        for text in ["1.78725E-06", "2.02074E-05", "1093219.4", "10", "0.108563471", "2565.896667", "274124.3567"] {
            var out: [UInt8] = []
            ByteWriter.appendNumber(Double(text)!, significant: 10, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), text)
        }
    }

    func testScaleArithmeticAndGrowthFit() throws {
        for values in [10_000, 1_000_000] {
            let samples = SyntheticLab.samples(forValues: values)
            XCTAssertGreaterThanOrEqual(SyntheticLab.valueCount(samples: samples), values)
            XCTAssertLessThan(SyntheticLab.valueCount(samples: samples - 1), values)
        }
        XCTAssertEqual(try BenchOptions.parseScales("1e4, 1e6,25000", name: "--scales"), [10_000, 25_000, 1_000_000])
        XCTAssertThrowsError(try BenchOptions.parseScales("1e4,ten", name: "--scales"))
        // Expected values from numpy: np.polyfit(np.log(n), np.log(t), 1)[0] for
        // n = 1e4, 1e5, 1e6 and t = 0.05, 0.31, 2.9 → 0.881714; t = n·ln n → 1.08804563.
        let sizes = [1e4, 1e5, 1e6]
        XCTAssertEqual(Statistics.logLogSlope(zip(sizes, [0.05, 0.31, 2.9]).map { ($0, $1) })!, 0.881714, accuracy: 1e-6)
        XCTAssertEqual(Statistics.nLogNSlope(sizes)!, 1.08804563, accuracy: 1e-8)
        XCTAssertEqual(Statistics.median([3, 1, 2, 10]), 2.5)
    }
}
