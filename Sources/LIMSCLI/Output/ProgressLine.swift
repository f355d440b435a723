import Foundation

/// A one-line progress report for a long step, redrawn in place on a terminal's stderr:
///
///     importing run.csv: 42% 138/330 MB, 24.1 MB/s, ETA 8 s
///
/// Shown only when stderr is a terminal and only once the step has run for `delay` seconds
/// (a step that ends sooner prints nothing); never in a pipe, a log or a test's captured output.
/// The clock is injected so the formatting (rate, ETA) can be tested without waiting.
final class ProgressLine: @unchecked Sendable {   // drawn from one thread at a time
    /// What is counted: bytes (shown in MB) or things (rows, sections, pages).
    enum Unit: Equatable {
        case bytes
        case items(String)
    }

    let label: String
    let unit: Unit
    private var total: Double?
    private let clock: () -> Double
    private let write: (String) -> Void
    private let enabled: Bool
    private let delay: Double
    private let interval: Double
    private let start: Double
    private var lastDrawn: Double?
    private var lastWidth = 0

    /// - Parameters:
    ///   - enabled: false when stderr is not a terminal (then nothing is ever written).
    ///   - total: the amount at the end, if known (percent and ETA need it).
    ///   - delay: seconds before the first line (steps shorter than this show none).
    ///   - interval: the least time between two redraws.
    init(_ label: String, unit: Unit, total: Double?, enabled: Bool, delay: Double = 2, interval: Double = 0.25,
         clock: @escaping () -> Double = ProgressLine.monotonicSeconds, write: @escaping (String) -> Void) {
        self.label = label
        self.unit = unit
        self.total = total.flatMap { $0 > 0 ? $0 : nil }
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.write = write
        start = clock()
    }

    /// On the console's stderr, when that is a terminal.
    convenience init(_ label: String, unit: Unit, total: Double?, console: Console) {
        self.init(label, unit: unit, total: total, enabled: console.stderrIsTerminal,
                  write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// Reports that `done` of the total is done (a `total` given here replaces the one known
    /// before); redraws when due.
    func update(_ done: Double, total newTotal: Double? = nil) {
        guard enabled else { return }
        if let newTotal, newTotal > 0 { total = newTotal }
        let now = clock()
        let elapsed = now - start
        guard elapsed >= delay else { return }
        if let lastDrawn, now - lastDrawn < interval { return }
        lastDrawn = now
        draw(Self.text(label: label, unit: unit, done: done, total: total, elapsed: elapsed))
    }

    /// Ends the line (once something was drawn): the last state, then a newline.
    func finish(_ done: Double, total newTotal: Double? = nil) {
        guard enabled, lastDrawn != nil else { return }
        if let newTotal, newTotal > 0 { total = newTotal }
        draw(Self.text(label: label, unit: unit, done: done, total: total, elapsed: clock() - start))
        write("\n")
        lastDrawn = nil
    }

    private func draw(_ text: String) {
        // Spaces over the tail of a longer previous line.
        let padding = max(0, lastWidth - text.count)
        lastWidth = text.count
        write("\r" + text + String(repeating: " ", count: padding))
    }

    // MARK: Formatting

    /// `label: 42% 138/330 MB, 24.1 MB/s, ETA 8 s` (without a total: `label: 138 MB, 24.1 MB/s`).
    static func text(label: String, unit: Unit, done: Double, total: Double?, elapsed: Double) -> String {
        var text = "\(label): "
        if let total {
            let percent = min(100, max(0, Int((done / total * 100).rounded(.down))))
            text += "\(percent)% \(amount(done, unit, withUnit: false))/\(amount(total, unit, withUnit: true))"
        } else {
            text += amount(done, unit, withUnit: true)
        }
        let rate = elapsed > 0 ? done / elapsed : 0
        text += ", \(rateText(rate, unit))"
        if let total, rate > 0 {
            text += ", ETA \(duration(max(0, total - done) / rate))"
        }
        return text
    }

    /// 138 MB (bytes, whole MB from 10 MB on), 1,234 rows.
    static func amount(_ value: Double, _ unit: Unit, withUnit: Bool) -> String {
        switch unit {
        case .bytes:
            let mb = value / 1_000_000
            let number = mb >= 10 ? String(Int(mb.rounded())) : String(format: "%.1f", mb)
            return withUnit ? number + " MB" : number
        case .items(let name):
            let number = grouped(Int(value.rounded()))
            return withUnit ? "\(number) \(name)" : number
        }
    }

    /// 24.1 MB/s; 52,300 rows/s.
    static func rateText(_ perSecond: Double, _ unit: Unit) -> String {
        switch unit {
        case .bytes: return String(format: "%.1f MB/s", perSecond / 1_000_000)
        case .items(let name): return "\(grouped(Int(perSecond.rounded()))) \(name)/s"
        }
    }

    /// 8 s, 1 min 05 s, 2 h 03 min.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// 1234567 → 1,234,567.
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
