import Foundation

/// n, mean, SD (n − 1, as R's sd()) and median of one group of values.
public struct Descriptive: Sendable, Equatable, Codable {
    public let n: Int
    public let mean: Double?
    /// Sample standard deviation with n − 1; nil for n < 2.
    public let sd: Double?
    public let median: Double?
    public let min: Double?
    public let max: Double?

    public init(_ values: [Double]) {
        n = values.count
        guard !values.isEmpty else {
            mean = nil; sd = nil; median = nil; min = nil; max = nil
            return
        }
        let m = values.reduce(0, +) / Double(values.count)
        mean = m
        if values.count >= 2 {
            let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            sd = (ss / Double(values.count - 1)).squareRoot()
        } else {
            sd = nil
        }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        min = sorted.first
        max = sorted.last
    }
}
