import XCTest
import Foundation
@testable import LIMSStore
import LIMSTestSupport

/// The pieces that make imports fast without changing what they write: the audit JSON written
/// directly (same text as Foundation's), and the reader thread of the results import
/// (same cells, same order, same errors in the same places).
final class ImportPipelineTests: XCTestCase {
    // MARK: Audit JSON

    /// The direct writer must give byte for byte what JSONSerialization gives (the oracle, run here).
    func testPlainJSONIsFoundationsText() throws {
        let objects: [[String: Any]] = [
            ["code": "C1-S", "plot_id": Int64(3), "parent_id": NSNull(), "type": "bulk", "depth_top_cm": 0.0,
             "depth_bottom_cm": 10.0, "collected_on": "2018-07-10", "mass_g": 378.7, "description": "composite of 5 cores"],
            ["value": 41.7, "unit": "mg/kg", "qualifier": "<", "tiny": 1e-05, "huge": 1e21, "sum": 0.1 + 0.2, "zero": -0.0,
             "big": 123456789012345680.0, "int": 850, "yes": true, "no": false],
            ["steps": ["air-dried", "sieved <2 mm", "ground <150 um"], "empty": [String]()],
            ["text": "a/b \"quoted\" back\\slash\nnew\tline\r\u{1}\u{8}\u{c}\u{1f} é 漢 😇", "a_b": 1, "ab": 2, "a": 3, "a_": 4],
            ["nan": Double.nan, "inf": Double.infinity, "missing": Optional<String>.none as Any],
            [:],
        ]
        for object in objects {
            let plain = try XCTUnwrap(JSONText.plainObject(object), "\(object)")
            var cleaned = object.mapValues { value -> Any in
                if let double = value as? Double, !double.isFinite { return NSNull() }
                return value
            }
            cleaned["missing"] = cleaned["missing"].map { _ in NSNull() }
            let foundation = String(data: try JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]), encoding: .utf8)!
            XCTAssertEqual(plain, foundation)
            XCTAssertEqual(JSONText.encode(object), foundation)
        }
    }

    /// Keys or values outside the plain set go the Foundation way (same text as before).
    func testOtherObjectsFallBackToFoundation() {
        XCTAssertNil(JSONText.plainObject(["Mass": 1]))            // upper case: the collator's order
        XCTAssertNil(JSONText.plainObject(["a1": 1]))              // digits sort differently there
        XCTAssertNil(JSONText.plainObject(["a": ["x": 1]]))        // nested object
        XCTAssertNil(JSONText.plainObject(["a": Optional<Int>.some(3) as Any]))
    }

    // MARK: Reader thread

    /// A reader that yields `count` cells and records an error at every `errorEvery`-th cell.
    final class CountingReader: ResultsReading {
        let context: ResultsReadContext
        let count: Int
        let errorEvery: Int
        let throwAt: Int?
        var produced = 0

        init(context: ResultsReadContext, count: Int, errorEvery: Int, throwAt: Int? = nil) {
            self.context = context
            self.count = count
            self.errorEvery = errorEvery
            self.throwAt = throwAt
        }

        func next() throws -> ResultCell? {
            guard produced < count else { return nil }
            produced += 1
            if produced == throwAt { throw ImportDiagnostic(file: "f.csv", line: produced, column: 1, message: "unreadable") }
            if produced % errorEvery == 0 { context.error(line: produced, column: 1, "reader \(produced)") }
            return ResultCell(run: produced, label: "S\(produced)", sampleType: nil, analyte: AnalyteName.parse("La")!,
                              value: MeasuredValue(raw: "1", value: 1, qualifier: .measured), unit: "mg/kg", method: nil,
                              measuredAt: nil, line: produced, column: 2)
        }
    }

    func makeContext() throws -> ResultsReadContext {
        ResultsReadContext(csv: try CSVReader(text: "a\n1\n", fileName: "f.csv"), dateOrder: .dmy)
    }

    /// A stage that passes the cells' lines on in chunks of 1000 and, like the importer's own
    /// checks, records an error at every 5th cell (on the reading thread, in the context).
    final class LineStage: CellStage {
        let context: ResultsReadContext
        init(context: ResultsReadContext) { self.context = context }
        func makeChunk() -> [Int] { [] }
        func take(_ cell: ResultCell, into chunk: inout [Int]) -> Bool {
            chunk.append(cell.line)
            if cell.line % 5 == 0 { context.error(line: cell.line, column: 2, "writer \(cell.line)") }
            return chunk.count == 1000
        }
        func finishChunk(_ chunk: inout [Int]) {}
    }

    /// The stage's errors land where they would have without the thread: after the reader's
    /// errors of the same and earlier cells. Expected: the sequential run of the same two rules.
    func testCellsComeInOrderAndErrorsKeepTheirPlace() throws {
        let count = 10_000   // several chunks
        // Sequential reference: reader errors every 7th cell, writer errors every 5th cell.
        let sequential = try makeContext()
        let plainReader = CountingReader(context: sequential, count: count, errorEvery: 7)
        while let cell = try plainReader.next() {
            if cell.line % 5 == 0 { sequential.error(line: cell.line, column: 2, "writer \(cell.line)") }
        }

        let threaded = try makeContext()
        let pipeline = CellPipeline(reader: CountingReader(context: threaded, count: count, errorEvery: 7),
                                    stage: LineStage(context: threaded))
        var lines: [Int] = []
        while let chunk = try pipeline.next() { lines += chunk }
        pipeline.finish()
        XCTAssertEqual(lines, Array(1...count))
        XCTAssertEqual(threaded.diagnostics.map(\.message), sequential.diagnostics.map(\.message))
        XCTAssertEqual(threaded.diagnostics.count, 1000)   // the cap, as without the thread
        XCTAssertEqual(threaded.uncountedErrors, sequential.uncountedErrors)
        XCTAssertEqual(threaded.uncountedErrors, count / 7 + count / 5 - 1000)
    }

    /// A reader error is thrown after the cells before it, not earlier; stopping early joins the thread.
    func testAReaderErrorIsThrownWhereItHappened() throws {
        let context = try makeContext()
        let pipeline = CellPipeline(reader: CountingReader(context: context, count: 9000, errorEvery: 1_000_000, throwAt: 5000),
                                    stage: LineStage(context: context))
        var seen = 0
        XCTAssertThrowsError(try { while let chunk = try pipeline.next() { seen += chunk.count } }()) { error in
            XCTAssertEqual((error as? ImportDiagnostic)?.line, 5000)
        }
        XCTAssertEqual(seen, 4999)
        pipeline.stop()

        let early = try makeContext()
        let long = CountingReader(context: early, count: 1_000_000, errorEvery: 1_000_000)
        let stopped = CellPipeline(reader: long, stage: LineStage(context: early))
        _ = try stopped.next()
        stopped.stop()   // the writer failed: the reader stops at its next chunk, and its thread has ended
        XCTAssertLessThan(long.produced, 100_000)
    }
}
