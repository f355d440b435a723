import Foundation

/// How numbers are printed in report tables (JSON keeps full precision).
public enum NumberFormat {
    /// Decimals that give about three significant figures for a value of this size (0 to 6).
    public static func decimals(for magnitude: Double) -> Int {
        let m = abs(magnitude)
        guard m > 0, m.isFinite else { return 2 }
        return min(6, max(0, 2 - Int(floor(log10(m)))))
    }

    static let powersOfTen: [Double] = (0...9).map { pow(10, Double($0)) }

    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        // Integer arithmetic gives printf's text except next to a rounding tie, where printf's exact
        // binary expansion decides: those (rare) values still go through vsnprintf. A 10⁴-sample report
        // prints ~10⁶ numbers, and the C call through CVarArg was a tenth of its time.
        if decimals >= 0, decimals <= 9, value.isFinite {
            let scaled = value * powersOfTen[decimals]
            if abs(scaled) < 1e15, abs(abs(scaled - scaled.rounded(.towardZero)) - 0.5) > 1e-6 {
                let digits = abs(Int(scaled.rounded()))
                let unit = Int(powersOfTen[decimals])
                var text = value < 0 ? "-" : ""
                text += String(digits / unit)
                if decimals > 0 {
                    let fraction = String(digits % unit)
                    text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
                }
                return text
            }
        }

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

    /// The table rule: the SD to 2 significant figures, and the mean and median to the same decimal
    /// place as the SD (a negative place rounds to tens, hundreds …). Without an SD (or SD = 0):
    /// 3 significant figures of the value.
    public static func placeOfSD(_ sd: Double?, orValue value: Double) -> Int {
        guard let sd, sd > 0, sd.isFinite else { return decimals(for: value) }
        var place = 1 - Int(floor(log10(sd)))
        // 0.0996 to 2 s.f. is 0.10, not 0.100: one place less when rounding reaches the next power of 10.
        if abs(rounded(sd, place)) >= pow(10, Double(1 - place + 1)) - 1e-12 * sd { place -= 1 }
        return place
    }

    static func rounded(_ value: Double, _ place: Int) -> Double {
        let factor = pow(10, Double(place))
        return (value * factor).rounded() / factor
    }

    /// A number at a decimal place (negative = to tens, hundreds …).
    public static func atPlace(_ value: Double, _ place: Int) -> String {
        place >= 0 ? fixed(value, place) : fixed(rounded(value, place), 0)
    }

    /// `mean ± SD (median)` by the table rule; `mean (n = 1)` when there is no SD.
    public static func summary(_ d: Descriptive) -> String {
        guard let mean = d.mean else { return "–" }
        guard let sd = d.sd, let median = d.median else { return "\(atPlace(mean, decimals(for: mean))) (n = 1)" }
        return summary(mean: mean, sd: sd, median: median)
    }

    public static func summary(mean: Double, sd: Double?, median: Double?, medianPrefix: String = "") -> String {
        let place = placeOfSD(sd, orValue: mean)
        var text = atPlace(mean, place)
        if let sd { text += " ± " + atPlace(sd, place) }
        if let median { text += " (\(medianPrefix)\(atPlace(median, place)))" }
        return text
    }

    /// `mean ± SD` by the table rule; the mean alone (3 significant figures) when there is no SD.
    public static func meanSD(_ d: Descriptive) -> String {
        guard let mean = d.mean else { return "–" }
        return summary(mean: mean, sd: d.sd, median: nil)
    }

    /// `significant` significant figures (for ratios and anomalies: 0.99992 → 1.00).
    public static func significant(_ value: Double?, _ figures: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        guard value != 0 else { return "0" }
        let magnitude = Int(floor(log10(abs(value))))
        var place = figures - 1 - magnitude
        if abs(rounded(value, place)) >= pow(10, Double(magnitude + 1)) { place -= 1 }   // 0.99992 → 1.00
        return atPlace(value, place)
    }
}
