import Foundation

/// Kruskal–Wallis rank-sum test, as R's stats::kruskal.test:
/// H = [12/(N(N+1)) Σ Rᵢ²/nᵢ − 3(N+1)] / [1 − Σ(t³ − t)/(N³ − N)], df = k − 1, p = P(χ²_df > H).
public struct KruskalWallis: Sendable, Codable {
    public let groups: [String]
    public let n: [Int]
    public let rankSums: [Double]
    public let meanRanks: [Double]
    public let totalN: Int
    /// H before the tie correction.
    public let hUncorrected: Double
    /// 1 − Σ(t³ − t)/(N³ − N).
    public let tieCorrection: Double
    /// The tie-corrected statistic (R's "Kruskal-Wallis chi-squared").
    public let h: Double
    public let degreesOfFreedom: Int
    public let p: Double

    public static let formula = "H = [12/(N(N+1))·Σ Rᵢ²/nᵢ − 3(N+1)] / [1 − Σ(t³−t)/(N³−N)], df = k − 1, p = P(χ²(df) > H) (R stats::kruskal.test)"

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case fewerThanTwoGroups
        case emptyGroup(String)
        case allValuesTied
        public var description: String {
            switch self {
            case .fewerThanTwoGroups: return "fewer than 2 groups with values"
            case .emptyGroup(let name): return "group \(name) has no values"
            case .allValuesTied: return "all values are equal (no ranks to compare)"
            }
        }
    }

    /// - Parameter samples: groups in the order they are reported, each with its values (NA removed).
    public init(_ samples: [(group: String, values: [Double])]) throws {
        guard samples.count >= 2 else { throw Failure.fewerThanTwoGroups }
        for sample in samples where sample.values.isEmpty { throw Failure.emptyGroup(sample.group) }
        let pooled = samples.flatMap(\.values)
        let (ranks, ties) = Ranking.averageRanks(pooled)
        let bigN = Double(pooled.count)
        var offset = 0
        var sums: [Double] = []
        for sample in samples {
            sums.append(ranks[offset..<(offset + sample.values.count)].reduce(0, +))
            offset += sample.values.count
        }
        let correction = 1 - Double(ties.reduce(0) { $0 + $1 * $1 * $1 - $1 }) / (bigN * bigN * bigN - bigN)
        guard correction > 0 else { throw Failure.allValuesTied }
        var statistic = 0.0
        for (sum, sample) in zip(sums, samples) { statistic += sum * sum / Double(sample.values.count) }
        let uncorrected = 12 / (bigN * (bigN + 1)) * statistic - 3 * (bigN + 1)
        groups = samples.map(\.group)
        n = samples.map(\.values.count)
        rankSums = sums
        meanRanks = zip(sums, samples).map { $0 / Double($1.values.count) }
        totalN = pooled.count
        hUncorrected = uncorrected
        tieCorrection = correction
        h = uncorrected / correction
        degreesOfFreedom = samples.count - 1
        p = SpecialFunctions.chiSquareUpperTail(h, degreesOfFreedom: Double(samples.count - 1))
    }
}
