/// Kaplan–Meier estimate for left-censored data in Helsel's "flipped" form (Helsel 2012, NADA::cenfit):
/// x' = M − x turns "< DL" into a right-censored x' = M − DL; the product-limit estimate of x' is
/// flipped back. A censored value tied with a detect is in the risk set of that detect (survfit's rule).
///
/// - mean = Σ pᵢ xᵢ over the KM jumps, the mass left after the lowest detect placed at the lowest value
///   (the restricted mean of the flipped curve; biased high when that lowest value is censored);
/// - SD = √(n/(n−1) · Σ pᵢ (xᵢ − mean)²), which is the ordinary SD (n − 1) when nothing is censored;
/// - median = the smallest x with F(x) ≥ 0.5, the midpoint with the next value when F = 0.5 exactly.
/// One sort, one sweep: O(n log n).
public struct KaplanMeier: Sendable, Equatable {
    public static let method = "Kaplan–Meier (flipped, Helsel 2012)"

    public let n: Int
    public let censoredCount: Int
    /// Support points (ascending) and their probability mass.
    public let support: [Double]
    public let mass: [Double]
    public let mean: Double
    public let sd: Double?
    public let median: Double
    /// The median falls on mass left below the lowest detect: it is only known to be ≤ `median`.
    public let medianIsUpperBound: Bool
    /// The lowest value is censored: the mean is an upper estimate.
    public let lowestIsCensored: Bool

    public var censoredShare: Double { Double(censoredCount) / Double(n) }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case empty, noDetects
        public var description: String {
            switch self {
            case .empty: return "no values"
            case .noDetects: return "every value is below detection"
            }
        }
    }

    public init(_ values: [CensoredValue]) throws {
        guard !values.isEmpty else { throw Failure.empty }
        guard values.contains(where: { !$0.censored }) else { throw Failure.noDetects }
        // Descending by value; at equal values detects first (a censored tie stays at risk).
        let sorted = values.sorted { $0.value != $1.value ? $0.value > $1.value : (!$0.censored && $1.censored) }
        let total = values.count
        var above = 0            // values strictly greater than the current one (left the risk set)
        var survival = 1.0       // S of the flipped data = P(X < x) seen from above
        var points: [(Double, Double)] = []
        var i = 0
        while i < sorted.count {
            let x = sorted[i].value
            var j = i, deaths = 0
            while j < sorted.count && sorted[j].value == x {
                if !sorted[j].censored { deaths += 1 }
                j += 1
            }
            if deaths > 0 {
                let atRisk = total - above
                let next = survival * Double(atRisk - deaths) / Double(atRisk)
                points.append((x, survival - next))
                survival = next
            }
            above += j - i
            i = j
        }
        let lowest = sorted.last!
        var lowestCensored = false
        if survival > 1e-15 {
            // The rest sits at the lowest value (a detection limit when it is censored).
            if let last = points.last, last.0 == lowest.value { points[points.count - 1].1 += survival }
            else { points.append((lowest.value, survival)); lowestCensored = true }
        }
        points.reverse()
        support = points.map(\.0)
        mass = points.map(\.1)
        n = total
        censoredCount = values.filter(\.censored).count
        let m = zip(support, mass).reduce(0) { $0 + $1.0 * $1.1 }
        mean = m
        if total >= 2 {
            let ss = zip(support, mass).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
            sd = (Double(total) / Double(total - 1) * ss).squareRoot()
        } else {
            sd = nil
        }
        var cumulative = 0.0, medianValue = support.last!, upper = false
        for (k, p) in mass.enumerated() {
            cumulative += p
            if cumulative >= 0.5 - 1e-12 {
                medianValue = support[k]
                if abs(cumulative - 0.5) < 1e-12 && k + 1 < support.count { medianValue = (support[k] + support[k + 1]) / 2 }
                upper = k == 0 && lowestCensored
                break
            }
        }
        median = medianValue
        medianIsUpperBound = upper
        lowestIsCensored = lowestCensored
    }

    /// F(x) = P(X ≤ x) at each support point.
    public var cumulative: [Double] {
        var total = 0.0
        return mass.map { total += $0; return total }
    }
}
