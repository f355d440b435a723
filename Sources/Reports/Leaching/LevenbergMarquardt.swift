import Foundation

/// A small Levenberg–Marquardt least-squares solver (Marquardt's diagonal scaling, central-
/// difference Jacobian). Enough for the 2–4 parameter curve fits of the seepage report;
/// bounds are handled by the caller through transformed parameters (logs, logistic).
public enum LevenbergMarquardt {
    public struct Result: Sendable {
        public var parameters: [Double]
        /// Sum of squared residuals at the solution.
        public var cost: Double
        public var iterations: Int
        public var converged: Bool
    }

    public static func minimize(start: [Double], maxIterations: Int = 500, tolerance: Double = 1e-12,
                                residuals: ([Double]) -> [Double]) -> Result {
        var p = start
        var r = residuals(p)
        var cost = sumOfSquares(r)
        var lambda = 1e-3
        let count = p.count
        for iteration in 1...maxIterations {
            let jacobian = jacobianOf(residuals, at: p, base: r)
            // Normal equations JᵀJ δ = −Jᵀr with Marquardt's damping of the diagonal.
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
            var jtr = [Double](repeating: 0, count: count)
            for i in 0..<r.count {
                for a in 0..<count {
                    jtr[a] += jacobian[i][a] * r[i]
                    for b in 0..<count { jtj[a][b] += jacobian[i][a] * jacobian[i][b] }
                }
            }
            var improved = false
            while lambda < 1e16 {
                var system = jtj
                for a in 0..<count { system[a][a] += lambda * max(jtj[a][a], 1e-12) }
                guard let delta = solve(system, jtr.map { -$0 }) else { lambda *= 10; continue }
                let trial = zip(p, delta).map { $0 + $1 }
                let trialResiduals = residuals(trial)
                let trialCost = sumOfSquares(trialResiduals)
                if trialCost.isFinite, trialCost < cost {
                    let step = zip(delta, p).map { abs($0) / (abs($1) + 1e-8) }.max() ?? 0
                    let relative = (cost - trialCost) / max(cost, 1e-300)
                    p = trial; r = trialResiduals; cost = trialCost
                    lambda = max(lambda / 10, 1e-12)
                    improved = true
                    if relative < tolerance || step < 1e-10 {
                        return Result(parameters: p, cost: cost, iterations: iteration, converged: true)
                    }
                    break
                }
                lambda *= 10
            }
            if !improved { return Result(parameters: p, cost: cost, iterations: iteration, converged: true) }
        }
        return Result(parameters: p, cost: cost, iterations: maxIterations, converged: false)
    }

    static func sumOfSquares(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }

    static func jacobianOf(_ f: ([Double]) -> [Double], at p: [Double], base: [Double]) -> [[Double]] {
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: p.count), count: base.count)
        for j in 0..<p.count {
            let h = 1e-6 * max(abs(p[j]), 1e-3)
            var plus = p, minus = p
            plus[j] += h; minus[j] -= h
            let fp = f(plus), fm = f(minus)
            for i in 0..<base.count { jacobian[i][j] = (fp[i] - fm[i]) / (2 * h) }
        }
        return jacobian
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        var a = matrix, b = vector
        let n = b.count
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-300 else { return nil }
            a.swapAt(col, pivot); b.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let factor = a[row][col] / a[col][col]
                for k in col..<n { a[row][k] -= factor * a[col][k] }
                b[row] -= factor * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
