import Foundation

enum Statistics {
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Least-squares slope and intercept of y on x.
    static func linearFit(_ points: [(x: Double, y: Double)]) -> (slope: Double, intercept: Double)? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / n, meanY = points.map(\.y).reduce(0, +) / n
        let sxx = points.map { ($0.x - meanX) * ($0.x - meanX) }.reduce(0, +)
        guard sxx > 0 else { return nil }
        let sxy = points.map { ($0.x - meanX) * ($0.y - meanY) }.reduce(0, +)
        let slope = sxy / sxx
        return (slope, meanY - slope * meanX)
    }

    /// The growth exponent k of time ∝ n^k: slope of ln(time) on ln(n).
    static func logLogSlope(_ points: [(n: Double, seconds: Double)]) -> Double? {
        linearFit(points.filter { $0.n > 0 && $0.seconds > 0 }.map { (log($0.n), log($0.seconds)) })?.slope
    }

    /// The exponent an n·log n step would show over the same sizes (slightly above 1), so a
    /// measured exponent can be compared with it.
    static func nLogNSlope(_ sizes: [Double]) -> Double? {
        linearFit(sizes.filter { $0 > 1 }.map { (log($0), log($0 * log($0))) })?.slope
    }
}
