import Foundation

/// How numbers are printed in report tables (JSON keeps full precision).
public enum NumberFormat {
    /// Decimals that give about three significant figures for a value of this size (0 to 6).
    public static func decimals(for magnitude: Double) -> Int {
        let m = abs(magnitude)
        guard m > 0, m.isFinite else { return 2 }
        return min(6, max(0, 2 - Int(floor(log10(m)))))
    }

    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        // C's snprintf: the same text as String(format:), without Foundation's cost per call.
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(decimals)f", $0) }
        guard written >= 0, written < buffer.count else { return String(format: "%.\(decimals)f", value) }
        return String(cString: buffer)
    }

    /// About three significant figures.
    public static func short(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return fixed(value, decimals(for: value))
    }

    /// `mean ± SD (median)` with the decimals of the mean; `mean (n = 1)` when there is no SD.
    public static func summary(_ d: Descriptive) -> String {
        guard let mean = d.mean else { return "–" }
        let places = decimals(for: mean)
        guard let sd = d.sd, let median = d.median else { return "\(fixed(mean, places)) (n = 1)" }
        return "\(fixed(mean, places)) ± \(fixed(sd, places)) (\(fixed(median, places)))"
    }

    /// `mean ± SD` with the decimals of the mean; the mean alone when there is no SD.
    public static func meanSD(_ d: Descriptive) -> String {
        guard let mean = d.mean else { return "–" }
        let places = decimals(for: mean)
        guard let sd = d.sd else { return fixed(mean, places) }
        return "\(fixed(mean, places)) ± \(fixed(sd, places))"
    }
}
