import XCTest
@testable import LIMSCLI
import LIMSTestSupport

/// The progress line's text (rate, ETA) with an injected clock, and that it stays silent when
/// stderr is not a terminal or the step is short.
final class ProgressLineTests: XCTestCase {
    /// A clock the test moves by hand.
    final class FakeClock: @unchecked Sendable {
        var now = 100.0
    }

    func testBytesWithTotalShowPercentRateAndETA() {
        // 138 MB of 330 MB after 5.75 s: 24.0 MB/s, (330 - 138) / 24 = 8.0 s left.
        let text = ProgressLine.text(label: "importing run.csv", unit: .bytes, done: 138_000_000, total: 330_000_000, elapsed: 5.75)
        XCTAssertEqual(text, "importing run.csv: 41% 138/330 MB, 24.0 MB/s, ETA 8 s")
    }

    func testItemsWithTotalGroupThousandsAndShowMinutes() {
        // 12,500 of 100,000 rows in 10 s: 1,250 rows/s; 87,500 / 1,250 = 70 s = 1 min 10 s.
        let text = ProgressLine.text(label: "registering samples", unit: .items("rows"), done: 12_500, total: 100_000, elapsed: 10)
        XCTAssertEqual(text, "registering samples: 12% 12,500/100,000 rows, 1,250 rows/s, ETA 1 min 10 s")
    }

    func testWithoutATotalThereIsNoPercentNorETA() {
        let text = ProgressLine.text(label: "reading <stdin>", unit: .bytes, done: 5_500_000, total: nil, elapsed: 2)
        XCTAssertEqual(text, "reading <stdin>: 5.5 MB, 2.8 MB/s")
    }

    func testDurationsAndGrouping() {
        XCTAssertEqual(ProgressLine.duration(0.2), "1 s")
        XCTAssertEqual(ProgressLine.duration(59), "59 s")
        XCTAssertEqual(ProgressLine.duration(65), "1 min 05 s")
        XCTAssertEqual(ProgressLine.duration(7380), "2 h 03 min")
        XCTAssertEqual(ProgressLine.grouped(0), "0")
        XCTAssertEqual(ProgressLine.grouped(999), "999")
        XCTAssertEqual(ProgressLine.grouped(1_234_567), "1,234,567")
    }

    func testDrawsOnlyAfterTheDelayAndNotTooOften() {
        let clock = FakeClock()
        var written: [String] = []
        let line = ProgressLine("sections", unit: .items("sections"), total: 6, enabled: true, delay: 2, interval: 0.25,
                                clock: { clock.now }, write: { written.append($0) })
        clock.now += 1
        line.update(1)
        XCTAssertEqual(written, [], "a step under 2 s shows nothing")
        clock.now += 1.5   // 2.5 s in, 3 of 6 done: 1.2 sections/s → rounded 1, 3 left / 1.2 = 2.5 s → 3 s
        line.update(3)
        XCTAssertEqual(written, ["\rsections: 50% 3/6 sections, 1 sections/s, ETA 3 s"])
        clock.now += 0.1
        line.update(4)
        XCTAssertEqual(written.count, 1, "redrawn at most every 0.25 s")
        clock.now += 0.5   // 3.1 s in, all 6 done
        line.finish(6)
        XCTAssertEqual(written.last, "\n")
        XCTAssertEqual(written[written.count - 2], "\rsections: 100% 6/6 sections, 2 sections/s, ETA 0 s")
    }

    func testAShortStepPrintsNothingEvenAtTheEnd() {
        let clock = FakeClock()
        var written: [String] = []
        let line = ProgressLine("x", unit: .bytes, total: 10, enabled: true, clock: { clock.now }, write: { written.append($0) })
        clock.now += 0.5
        line.update(10)
        line.finish(10)
        XCTAssertEqual(written, [])
    }

    func testNotATerminalPrintsNothing() {
        let clock = FakeClock()
        var written: [String] = []
        let line = ProgressLine("x", unit: .bytes, total: 10, enabled: false, clock: { clock.now }, write: { written.append($0) })
        for step in 1...10 {
            clock.now += 1
            line.update(Double(step))
        }
        line.finish(10)
        XCTAssertEqual(written, [])
    }

    func testALongerLineIsOverwrittenWithSpaces() {
        let clock = FakeClock()
        var written: [String] = []
        let line = ProgressLine("r", unit: .items("rows"), total: nil, enabled: true, delay: 0, interval: 0,
                                clock: { clock.now }, write: { written.append($0) })
        clock.now += 1
        line.update(1_000_000)   // "r: 1,000,000 rows, 1,000,000 rows/s"
        clock.now += 1
        line.update(2)           // "r: 2 rows, 1 rows/s" is shorter: padded to the old width
        XCTAssertEqual(written[0], "\rr: 1,000,000 rows, 1,000,000 rows/s")
        XCTAssertEqual(written[1].count, written[0].count)
        XCTAssertTrue(written[1].hasPrefix("\rr: 2 rows, 1 rows/s "), written[1])
    }
}
