import Foundation

/// Special functions the statistics need, written here (no numerics library):
/// the regularized incomplete gamma function (for χ² tail probabilities) and the
/// normal quantile (for the kruskalmc critical difference).
public enum SpecialFunctions {
    /// Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a).
    /// Series for x < a + 1, Lentz continued fraction otherwise (Numerical Recipes §6.2);
    /// both converge to full double precision for the a, x met here.
    public static func regularizedGammaQ(a: Double, x: Double) -> Double {
        precondition(a > 0, "a must be > 0")
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - gammaPSeries(a: a, x: x) }
        return gammaQContinuedFraction(a: a, x: x)
    }

    /// Regularized lower incomplete gamma P(a, x).
    public static func regularizedGammaP(a: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return gammaPSeries(a: a, x: x) }
        return 1 - gammaQContinuedFraction(a: a, x: x)
    }

    private static func gammaPSeries(a: Double, x: Double) -> Double {
        var ap = a
        var sum = 1 / a
        var term = sum
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    private static func gammaQContinuedFraction(a: Double, x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-17 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }

    /// P(χ²_df > x): the upper tail, as R's pchisq(x, df, lower.tail = FALSE).
    public static func chiSquareUpperTail(_ x: Double, degreesOfFreedom df: Double) -> Double {
        regularizedGammaQ(a: df / 2, x: x / 2)
    }

    /// Standard normal upper tail P(Z > z) = erfc(z/√2)/2.
    public static func normalUpperTail(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    /// The normal quantile Φ⁻¹(p) (R's qnorm). Acklam's rational approximation
    /// (relative error 1.15e-9) followed by one Halley step on erfc, which brings it
    /// to full double precision.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "p must be in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let pLow = 0.02425, pHigh = 1 - pLow
        var x: Double
        if p < pLow {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= pHigh {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement: e = Φ(x) − p, computed through erfc to keep tail accuracy.
        for _ in 0..<2 {
            let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
            let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            x -= u / (1 + x * u / 2)
        }
        return x
    }
}
