import Foundation

/// Robust regression on order statistics (Helsel & Cohn 1988; Helsel 2012, NADA::ros) with a
/// lognormal fit: plotting positions for several detection limits, OLS of ln(detects) on their
/// normal scores, censored values imputed from the line at their own plotting positions, then
/// ordinary mean, SD (n − 1) and median of detects + imputed values.
///
/// Used where a lognormal fit is sensible: at least 3 detects and at most 80 % censored.
public struct RobustROS: Sendable, Equatable {
    public static let method = "robust ROS, lognormal (Helsel & Cohn 1988)"
    public static let minimumDetects = 3
    public static let maximumCensoredShare = 0.8

    public let intercept: Double
    public let slope: Double
    /// Detects and imputed values, in the order given.
    public let modelled: [Double]
    public let mean: Double
    public let sd: Double
    public let median: Double

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case nothingCensored, tooFewDetects(Int), tooMuchCensored(Double), nonPositiveDetect
        public var description: String {
            switch self {
            case .nothingCensored: return "no censored values"
            case .tooFewDetects(let n): return "\(n) detect(s), fewer than \(RobustROS.minimumDetects)"
            case .tooMuchCensored(let s): return "\(Int((s * 100).rounded())) % censored, more than 80 %"
            case .nonPositiveDetect: return "a detect ≤ 0 (no lognormal fit)"
            }
        }
    }

    public init(_ values: [CensoredValue]) throws {
        let detects = values.filter { !$0.censored }
        let share = Double(values.count - detects.count) / Double(max(values.count, 1))
        guard detects.count < values.count else { throw Failure.nothingCensored }
        guard detects.count >= Self.minimumDetects else { throw Failure.tooFewDetects(detects.count) }
        guard share <= Self.maximumCensoredShare + 1e-12 else { throw Failure.tooMuchCensored(share) }
        guard detects.allSatisfy({ $0.value > 0 }) else { throw Failure.nonPositiveDetect }

        var limits = Array(Set(values.filter(\.censored).map(\.value))).sorted()
        if detects.contains(where: { $0.value < limits[0] }) { limits.insert(0, at: 0) }
        let m = limits.count
        func upper(_ j: Int) -> Double { j + 1 < m ? limits[j + 1] : .infinity }
        var a = [Double](repeating: 0, count: m), b = a, c = a
        // Counts per limit from sorted arrays (binary searches keep this O(n log n)).
        let detectValues = detects.map(\.value).sorted()
        let censoredValues = values.filter(\.censored).map(\.value).sorted()
        func countBelow(_ array: [Double], _ x: Double, inclusive: Bool) -> Int {
            var lo = 0, hi = array.count
            while lo < hi { let mid = (lo + hi) / 2; if inclusive ? array[mid] <= x : array[mid] < x { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        for j in 0..<m {
            a[j] = Double(countBelow(detectValues, upper(j), inclusive: false) - countBelow(detectValues, limits[j], inclusive: false))
            b[j] = Double(countBelow(detectValues, limits[j], inclusive: false) + countBelow(censoredValues, limits[j], inclusive: true))
            c[j] = Double(countBelow(censoredValues, limits[j], inclusive: true) - countBelow(censoredValues, limits[j], inclusive: false))
        }
        var pe = [Double](repeating: 0, count: m + 1)
        for j in stride(from: m - 1, through: 0, by: -1) {
            pe[j] = pe[j + 1] + (a[j] + b[j] > 0 ? a[j] / (a[j] + b[j]) : 0) * (1 - pe[j + 1])
        }
        // Plotting positions: detects ranked within their interval, censored values within their limit.
        var position = [Double](repeating: 0, count: values.count)
        let order = values.indices.sorted { values[$0].value < values[$1].value }
        var rankDetect = [Int](repeating: 0, count: m), rankCensored = rankDetect
        for index in order {
            let v = values[index]
            if v.censored {
                let j = limits.firstIndex(of: v.value)!
                rankCensored[j] += 1
                position[index] = (1 - pe[j]) * Double(rankCensored[j]) / (c[j] + 1)
            } else {
                let j = limits.lastIndex { $0 <= v.value }!
                rankDetect[j] += 1
                position[index] = (1 - pe[j]) + (pe[j] - pe[j + 1]) * Double(rankDetect[j]) / (a[j] + 1)
            }
        }
        let scores = position.map(SpecialFunctions.normalQuantile)
        let xs = values.indices.filter { !values[$0].censored }.map { scores[$0] }
        let ys = values.indices.filter { !values[$0].censored }.map { log(values[$0].value) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let fitSlope = sxx > 0 ? sxy / sxx : 0, fitIntercept = my - fitSlope * mx
        slope = fitSlope
        intercept = fitIntercept
        let filled = values.indices.map { values[$0].censored ? exp(fitIntercept + fitSlope * scores[$0]) : values[$0].value }
        modelled = filled
        let d = Descriptive(filled)
        mean = d.mean!
        sd = d.sd ?? 0
        median = d.median!
    }
}
