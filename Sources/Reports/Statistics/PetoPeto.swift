import Foundation

/// Peto–Peto (generalized Wilcoxon) k-sample test for left-censored data, as NADA::cendiff:
/// survival::survdiff(rho = 1) on flipped data x' = M − x. At each distinct detect t (descending x):
/// weight w = S(t−) of the pooled KM, O − E per group = Σ w (d_g − n_g d / n),
/// V = Σ w² d (n − d)/(n − 1) · (n_g/n)(δ_gh − n_h/n); χ² = (O − E)ᵀ V⁻¹ (O − E) over k − 1 groups, df = k − 1.
/// One sort and one sweep: O(n log n + T·k).
public struct PetoPeto: Sendable, Equatable {
    public static let formula = "Peto–Peto: survdiff(rho = 1) on flipped data, χ² = (O − E)ᵀ V⁻¹ (O − E), df = k − 1 (NADA::cendiff)"

    public let groups: [String]
    public let chiSquare: Double
    public let degreesOfFreedom: Int
    public let p: Double

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case fewerThanTwoGroups, noDetects, singular
        public var description: String {
            switch self {
            case .fewerThanTwoGroups: return "fewer than 2 groups with values"
            case .noDetects: return "no detected value to rank"
            case .singular: return "no variance between the groups (all values tied or censored alike)"
            }
        }
    }

    public init(_ samples: [(group: String, values: [CensoredValue])]) throws {
        let k = samples.count
        guard k >= 2, samples.allSatisfy({ !$0.values.isEmpty }) else { throw Failure.fewerThanTwoGroups }
        var all: [(value: Double, censored: Bool, group: Int)] = []
        for (g, s) in samples.enumerated() { for v in s.values { all.append((v.value, v.censored, g)) } }
        guard all.contains(where: { !$0.censored }) else { throw Failure.noDetects }
        all.sort { $0.value > $1.value }
        // At risk at x = t: the values ≤ t (censored ties included). Sweep from the top.
        var atRisk = [Double](repeating: 0, count: k)
        for v in all { atRisk[v.group] += 1 }
        var oe = [Double](repeating: 0, count: k)
        var variance = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var km = 1.0
        var i = 0
        while i < all.count {
            let x = all[i].value
            var j = i
            var deaths = [Double](repeating: 0, count: k)
            var leaving = [Double](repeating: 0, count: k)
            while j < all.count && all[j].value == x {
                if !all[j].censored { deaths[all[j].group] += 1 }
                leaving[all[j].group] += 1
                j += 1
            }
            let d = deaths.reduce(0, +), n = atRisk.reduce(0, +)
            if d > 0 {
                let w = km
                for g in 0..<k { oe[g] += w * (deaths[g] - atRisk[g] * d / n) }
                if n > 1 {
                    let f = w * w * d * (n - d) / (n - 1)
                    for g in 0..<k {
                        for h in 0..<k {
                            variance[g][h] += f * ((g == h ? atRisk[g] / n : 0) - atRisk[g] * atRisk[h] / (n * n))
                        }
                    }
                }
                km *= (n - d) / n
            }
            for g in 0..<k { atRisk[g] -= leaving[g] }
            i = j
        }
        let size = k - 1
        guard let solved = Self.solve(Array(variance.prefix(size).map { Array($0.prefix(size)) }), Array(oe.prefix(size))) else {
            throw Failure.singular
        }
        let statistic = zip(oe.prefix(size), solved).reduce(0) { $0 + $1.0 * $1.1 }
        groups = samples.map(\.group)
        chiSquare = statistic
        degreesOfFreedom = size
        p = SpecialFunctions.chiSquareUpperTail(statistic, degreesOfFreedom: Double(size))
    }

    /// Gaussian elimination with partial pivoting; nil when the matrix is (numerically) singular.
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = matrix, b = rhs
        let n = b.count
        let scale = matrix.flatMap { $0 }.map(abs).max() ?? 0
        guard scale > 0 else { return nil }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            guard abs(a[pivot][col]) > scale * 1e-12 else { return nil }
            a.swapAt(col, pivot); b.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let factor = a[row][col] / a[col][col]
                for c in col..<n { a[row][c] -= factor * a[col][c] }
                b[row] -= factor * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = b[row]
            for c in (row + 1)..<n { s -= a[row][c] * x[c] }
            x[row] = s / a[row][row]
        }
        return x
    }
}

/// Pairwise Peto–Peto tests with Benjamini–Hochberg adjusted p values (R's p.adjust(method = "BH")),
/// pairs in R's order (1,2), (1,3) … (2,3) …
public struct PetoPetoPairs: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public let first: String
        public let second: String
        public let chiSquare: Double?
        public let p: Double?
        public let adjustedP: Double?
        public let significant: Bool
    }

    public let alpha: Double
    public let pairs: [Pair]

    public init(_ samples: [(group: String, values: [CensoredValue])], alpha: Double) {
        var raw: [(String, String, PetoPeto?)] = []
        for i in 0..<samples.count {
            for j in (i + 1)..<samples.count {
                raw.append((samples[i].group, samples[j].group, try? PetoPeto([samples[i], samples[j]])))
            }
        }
        let tested = raw.compactMap { $0.2?.p }
        var adjusted = BenjaminiHochberg.adjust(tested)[...]
        self.alpha = alpha
        pairs = raw.map { a, b, test in
            guard let test else { return Pair(first: a, second: b, chiSquare: nil, p: nil, adjustedP: nil, significant: false) }
            let q = adjusted.removeFirst()
            return Pair(first: a, second: b, chiSquare: test.chiSquare, p: test.p, adjustedP: q, significant: q < alpha)
        }
    }
}

/// Benjamini–Hochberg step-up adjustment: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j, capped at 1.
public enum BenjaminiHochberg {
    public static func adjust(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] > p[$1] }
        var result = [Double](repeating: 1, count: m)
        var running = Double.infinity
        for (position, index) in order.enumerated() {
            let rank = Double(m - position)
            running = min(running, p[index] * Double(m) / rank)
            result[index] = min(running, 1)
        }
        return result
    }
}
