import Foundation

/// Unsaturated permeability from a fitted Fredlund–Xing curve by the integral of Fredlund,
/// Xing & Huang (1994), eq. 16, in the variable y = ln ψ:
///
///   k_r(ψ) = ∫_{ln ψ}^{b} (θ(e^y) − θ(ψ))/e^y · θ′(e^y) dy  /  ∫_{ln ψ_aev}^{b} (θ(e^y) − θs)/e^y · θ′(e^y) dy
///
/// with b = ln(10⁶ kPa) and k_r = 1 for ψ ≤ ψ_aev. The integrals are evaluated by composite
/// Simpson's rule on `intervals` sub-intervals.
public struct KunsatFredlundXingHuang: Sendable {
    public var curve: FredlundXingCurve
    /// Lower limit of the denominator (kPa): the air-entry value.
    public var airEntryKPa: Double
    public var upperKPa: Double = 1e6
    public var intervals: Int = 4000

    public init(curve: FredlundXingCurve, airEntryKPa: Double = 0.01) {
        self.curve = curve
        self.airEntryKPa = airEntryKPa
    }

    /// ∫_{ln ψ}^{b} (θ(e^y) − θ(ψ))/e^y · θ′(e^y) dy.
    func integral(from psi: Double, reference thetaRef: Double) -> Double {
        let lower = log(psi), upper = log(upperKPa)
        guard upper > lower else { return 0 }
        let n = intervals % 2 == 0 ? intervals : intervals + 1
        let h = (upper - lower) / Double(n)
        func f(_ y: Double) -> Double {
            let x = exp(y)
            return (curve.theta(x) - thetaRef) / x * curve.slope(x)
        }
        var sum = f(lower) + f(upper)
        for i in 1..<n { sum += f(lower + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }

    /// The denominator (independent of ψ).
    public var denominator: Double { integral(from: airEntryKPa, reference: curve.thetaS) }

    public func relativePermeability(_ psi: Double) -> Double {
        guard psi > airEntryKPa else { return 1 }
        return integral(from: psi, reference: curve.theta(psi)) / denominator
    }

    public func unsaturatedPermeability(_ psi: Double, saturated ks: Double) -> Double {
        ks * relativePermeability(psi)
    }
}
