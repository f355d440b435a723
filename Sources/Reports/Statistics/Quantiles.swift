/// Quantiles of a group of values by linear interpolation between order statistics (Hyndman & Fan
/// 1996 type 7, R's and numpy's default): the summaries of a large study's per-sample numbers.
public struct Quantiles: Sendable, Equatable {
    public let n: Int
    public let q25: Double
    public let median: Double
    public let q75: Double

    /// nil for no values.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        n = sorted.count
        q25 = Self.quantile(sorted, 0.25)
        median = Self.quantile(sorted, 0.5)
        q75 = Self.quantile(sorted, 0.75)
    }

    /// The p-quantile of sorted values: h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// "median (q25–q75)", 3 significant figures.
    public var text: String {
        "\(NumberFormat.significant(median, 3)) (\(NumberFormat.significant(q25, 3))–\(NumberFormat.significant(q75, 3)))"
    }
}
