import Foundation

/// van Genuchten (1980) curve with Mualem's restriction m = 1 − 1/n:
/// θ = θr + (θs − θr)·[1 + (αψ)^n]^−m, ψ in kPa, α in 1/kPa.
public struct VanGenuchtenCurve: Sendable, Equatable {
    public var thetaS: Double
    public var thetaR: Double
    public var alpha: Double
    public var n: Double
    public var m: Double { 1 - 1 / n }

    public init(thetaS: Double, thetaR: Double, alpha: Double, n: Double) {
        self.thetaS = thetaS; self.thetaR = thetaR; self.alpha = alpha; self.n = n
    }

    /// Effective saturation Se = [1 + (αψ)^n]^−m.
    public func effectiveSaturation(_ psi: Double) -> Double {
        pow(1 + pow(alpha * max(psi, 0), n), -m)
    }

    public func theta(_ psi: Double) -> Double {
        thetaR + (thetaS - thetaR) * effectiveSaturation(psi)
    }

    /// Relative permeability by van Genuchten–Mualem: k_r = Se^0.5·[1 − (1 − Se^(1/m))^m]².
    public func relativePermeability(_ psi: Double) -> Double {
        let se = effectiveSaturation(psi)
        let inner = 1 - pow(1 - pow(se, 1 / m), m)
        return se.squareRoot() * inner * inner
    }

    /// k_u(ψ) = k_s·k_r(ψ).
    public func unsaturatedPermeability(_ psi: Double, saturated ks: Double) -> Double {
        ks * relativePermeability(psi)
    }
}
