import Foundation

/// Volumetric water content from a pressure-plate step: θ = w·ρd/ρw (ρw = 1 g/cm³).
public func volumetricWaterContent(massWaterContent w: Double, dryDensityGPerCm3 rhoD: Double,
                                   waterDensityGPerCm3 rhoW: Double = 1.0) -> Double {
    w * rhoD / rhoW
}

/// The Fredlund–Xing (1994) soil-water characteristic curve without the residual correction
/// (C(ψ) = 1, θr = 0): θ = θs·[1 / ln(e + (ψ/a)^n)]^m, ψ in kPa.
public struct FredlundXingCurve: Sendable, Equatable {
    public var thetaS: Double
    public var a: Double
    public var n: Double
    public var m: Double

    public init(thetaS: Double, a: Double, n: Double, m: Double) {
        self.thetaS = thetaS; self.a = a; self.n = n; self.m = m
    }

    public func theta(_ psi: Double) -> Double {
        thetaS * pow(1 / log(M_E + pow(psi / a, n)), m)
    }

    /// dθ/dψ (per kPa), analytic.
    public func slope(_ psi: Double) -> Double {
        guard psi > 0 else { return 0 }
        let x = pow(psi / a, n)
        let l = log(M_E + x)
        return -thetaS * m * pow(l, -m - 1) / (M_E + x) * n * x / psi
    }
}

/// A least-squares fit of a curve to SWCC points: parameters, R², residuals (measured − fitted).
public struct SWCCFitResult<Curve: Sendable>: Sendable {
    public var curve: Curve
    public var rSquared: Double
    public var residuals: [Double]
    public var rmse: Double
    public var converged: Bool
}

/// Fits of measured (ψ, θ) points.
public enum SWCCFit {
    /// θs for the fits: θ at ψ = 0 when the saturated step was measured, else the largest θ.
    public static func saturatedTheta(suctions: [Double], thetas: [Double]) -> Double {
        if let index = suctions.firstIndex(of: 0) { return thetas[index] }
        return thetas.max() ?? 0
    }

    /// Fredlund–Xing a, n, m by Levenberg–Marquardt on log-parameters (keeps a, n, m > 0),
    /// θs fixed (see `saturatedTheta`). Several starts; the best is kept.
    public static func fredlundXing(suctions: [Double], thetas: [Double], thetaS: Double? = nil) -> SWCCFitResult<FredlundXingCurve>? {
        guard suctions.count >= 4, suctions.count == thetas.count else { return nil }
        let ts = thetaS ?? saturatedTheta(suctions: suctions, thetas: thetas)
        let positive = suctions.filter { $0 > 0 }
        guard !positive.isEmpty else { return nil }
        let geometricMean = exp(positive.map(log).reduce(0, +) / Double(positive.count))
        func residuals(_ p: [Double]) -> [Double] {
            let curve = FredlundXingCurve(thetaS: ts, a: exp(p[0]), n: exp(p[1]), m: exp(p[2]))
            return zip(suctions, thetas).map { $1 - curve.theta($0) }
        }
        var best: LevenbergMarquardt.Result?
        for a0 in [geometricMean / 10, geometricMean, geometricMean * 10] {
            for n0 in [1.0, 2.0, 4.0] {
                for m0 in [0.5, 1.0, 2.0] {
                    let result = LevenbergMarquardt.minimize(start: [log(a0), log(n0), log(m0)], residuals: residuals)
                    if result.cost.isFinite, best == nil || result.cost < best!.cost { best = result }
                }
            }
        }
        guard let best else { return nil }
        let p = best.parameters
        let curve = FredlundXingCurve(thetaS: ts, a: exp(p[0]), n: exp(p[1]), m: exp(p[2]))
        return summarize(curve, residuals: residuals(p), thetas: thetas, converged: best.converged)
    }

    /// van Genuchten (1980) with Mualem's m = 1 − 1/n: α, n and θr by Levenberg–Marquardt on
    /// ln α, ln(n − 1) and the logit of θr/θs (keeps α > 0, n > 1, 0 < θr < θs); θs fixed.
    public static func vanGenuchten(suctions: [Double], thetas: [Double], thetaS: Double? = nil) -> SWCCFitResult<VanGenuchtenCurve>? {
        guard suctions.count >= 4, suctions.count == thetas.count else { return nil }
        let ts = thetaS ?? saturatedTheta(suctions: suctions, thetas: thetas)
        let positive = suctions.filter { $0 > 0 }
        guard !positive.isEmpty else { return nil }
        let geometricMean = exp(positive.map(log).reduce(0, +) / Double(positive.count))
        func curve(_ p: [Double]) -> VanGenuchtenCurve {
            VanGenuchtenCurve(thetaS: ts, thetaR: ts / (1 + exp(-p[2])), alpha: exp(p[0]), n: 1 + exp(p[1]))
        }
        func residuals(_ p: [Double]) -> [Double] {
            let c = curve(p)
            return zip(suctions, thetas).map { $1 - c.theta($0) }
        }
        var best: LevenbergMarquardt.Result?
        for alpha0 in [0.1 / geometricMean, 1 / geometricMean, 10 / geometricMean] {
            for n0 in [1.3, 2.0, 3.0] {
                for fraction in [0.05, 0.2] {
                    let start = [log(alpha0), log(n0 - 1), log(fraction / (1 - fraction))]
                    let result = LevenbergMarquardt.minimize(start: start, residuals: residuals)
                    if result.cost.isFinite, best == nil || result.cost < best!.cost { best = result }
                }
            }
        }
        guard let best else { return nil }
        return summarize(curve(best.parameters), residuals: residuals(best.parameters), thetas: thetas,
                         converged: best.converged)
    }

    static func summarize<C>(_ curve: C, residuals: [Double], thetas: [Double], converged: Bool) -> SWCCFitResult<C> {
        let mean = thetas.reduce(0, +) / Double(thetas.count)
        let ssTot = thetas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = residuals.reduce(0) { $0 + $1 * $1 }
        return SWCCFitResult(curve: curve, rSquared: ssTot > 0 ? 1 - ssRes / ssTot : .nan, residuals: residuals,
                              rmse: (ssRes / Double(residuals.count)).squareRoot(), converged: converged)
    }
}
