import Foundation

/// Multiple comparisons after Kruskal–Wallis (Siegel & Castellan 1988), as pgirmess::kruskalmc:
/// pair (i, j) differs when |R̄ᵢ − R̄ⱼ| − z·√(N(N+1)/12 · (1/nᵢ + 1/nⱼ)) > 0 (strict),
/// z = qnorm(α/(k(k−1)), lower.tail = FALSE); no tie correction in the critical difference.
public struct KruskalMC: Sendable, Codable {
    public struct Pair: Sendable, Codable, Equatable {
        public let first: String
        public let second: String
        public let observedDifference: Double
        public let criticalDifference: Double
        public let significant: Bool
    }

    public let alpha: Double
    public let z: Double
    public let pairs: [Pair]

    public static let formula = "|R̄ᵢ − R̄ⱼ| > z·√(N(N+1)/12·(1/nᵢ + 1/nⱼ)), z = Φ⁻¹(1 − α/(k(k−1))) (Siegel & Castellan 1988; pgirmess::kruskalmc)"

    /// Pairs in R's order: (1,2), (1,3) … (1,k), (2,3) …
    public init(_ test: KruskalWallis, alpha: Double = 0.05) {
        let k = Double(test.groups.count)
        let bigN = Double(test.totalN)
        // Upper quantile taken as −Φ⁻¹(q) rather than Φ⁻¹(1 − q), which would lose digits for small q.
        let z = -SpecialFunctions.normalQuantile(alpha / (k * (k - 1)))
        var pairs: [Pair] = []
        for i in 0..<test.groups.count {
            for j in (i + 1)..<test.groups.count {
                let observed = abs(test.meanRanks[i] - test.meanRanks[j])
                let critical = z * (bigN * (bigN + 1) / 12 * (1 / Double(test.n[i]) + 1 / Double(test.n[j]))).squareRoot()
                pairs.append(Pair(first: test.groups[i], second: test.groups[j], observedDifference: observed,
                                  criticalDifference: critical, significant: observed - critical > 0))
            }
        }
        self.alpha = alpha
        self.z = z
        self.pairs = pairs
    }
}
