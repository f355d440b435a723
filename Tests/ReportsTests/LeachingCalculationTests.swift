import XCTest
@testable import Reports

/// Formulas of issue 9 against numbers computed outside the project:
/// `python3 Tests/Fixtures/leaching/expected_values.py` (numpy/scipy), or by hand where said.
final class LeachingCalculationTests: XCTestCase {
    // MARK: Leaching

    func testAmountPerSoilMassByHand() {
        // 0.85 mg/L × 250 mL / 1500 g = 0.141666… mg/kg (by hand: 212.5 / 1500).
        XCTAssertEqual(LeachingCalculations.amountPerSoilMass(concentrationMgPerL: 0.85, volumeML: 250, soilMassG: 1500),
                       0.1416666667, accuracy: 1e-9)
        XCTAssertEqual(LeachingCalculations.cumulative([1, 2.5, 0.5]), [1, 3.5, 4])
    }

    func testRecoveryRemovalAndReductionByHand() {
        // (300 + 25) / 520 × 100 = 62.5 %.
        XCTAssertEqual(LeachingCalculations.recoveryEfficiency(leachateMgPerKg: 300, cathodeMgPerKg: 25, tIonMgPerKg: 520),
                       62.5, accuracy: 1e-12)
        // (520 − 61) / 520 × 100 = 88.2692… %.
        XCTAssertEqual(LeachingCalculations.removalEfficiency(initial: 520, final: 61), 88.26923077, accuracy: 1e-7)
        XCTAssertEqual(LeachingCalculations.reductionPercent(30, reference: 120)!, 75, accuracy: 1e-12)
        XCTAssertNil(LeachingCalculations.reductionPercent(30, reference: 0))
    }

    func testTimeToEquilibriumIsWhereTheCumulativeAmountEntersTheToleranceBand() {
        let times = [0.0, 6, 12, 24, 48, 72]
        let cumulative = [0.0, 100, 180, 195, 199, 200]
        // Band 5 % of 200 = 10: 195 (24 h) is within, 180 (12 h) is not.
        XCTAssertEqual(LeachingCalculations.timeToEquilibrium(times: times, cumulative: cumulative, tolerancePercent: 5), 24)
        // Band 1 % = 2: 199 (48 h) within, 195 not.
        XCTAssertEqual(LeachingCalculations.timeToEquilibrium(times: times, cumulative: cumulative, tolerancePercent: 1), 48)
        XCTAssertNil(LeachingCalculations.timeToEquilibrium(times: [0, 1], cumulative: [0, 0], tolerancePercent: 5))
    }

    func testEnergyIsTheTrapezoidOfPowerOverTime() {
        // scipy.integrate.trapezoid(U*I/1000, t)/1000 = 0.01957 kWh; per column d 8 cm × h 20 cm: 19.466638976927452 kWh/m³.
        let t = [0.0, 2, 4, 6, 12, 12.5, 24, 30, 48]
        let u = [20.0, 20, 20, 20, 20, 0, 0, 20, 20]
        let i = [42.0, 38, 35, 33, 30, 0, 0, 28, 25]
        let kWh = LeachingCalculations.energyKWh(timesH: t, voltagesV: u, currentsMA: i)
        XCTAssertEqual(kWh, 0.01957, accuracy: 1e-12)
        XCTAssertEqual(LeachingCalculations.energyPerCubicMetre(kWh: kWh, soilVolumeCm3: Double.pi * 16 * 20),
                       19.466638976927452, accuracy: 1e-9)
    }

    // MARK: Permeability

    func testFallingHeadTextbookCaseByHand() {
        // a = 0.4 cm², L = 20 cm, A = 10 cm², h 50 → 30 cm in 180 s:
        // k = 0.4·20/(10·180)·ln(5/3) = 0.0044444·0.5108256 = 2.27034e-3 cm/s (by hand).
        let k = Permeability.fallingHead(standpipeAreaCm2: 0.4, lengthCm: 20, specimenAreaCm2: 10, dtS: 180, h1Cm: 50, h2Cm: 30)
        XCTAssertEqual(k, 2.270336e-3, accuracy: 1e-9)
        let stats = Permeability.meanAndSD([1.0e-4, 1.2e-4, 1.1e-4])
        XCTAssertEqual(stats.mean, 1.1e-4, accuracy: 1e-15)
        XCTAssertEqual(stats.sd!, 1.0e-5, accuracy: 1e-15)
    }

    func testWaterViscosityAgainstIAPWSReferenceValues() {
        // IAPWS 2008 (Huber et al., J. Phys. Chem. Ref. Data 38, 101) at 0.1 MPa, mPa·s; the Vogel fit within 0.5 %.
        for (t, eta) in [(10.0, 1.3059), (20.0, 1.0016), (25.0, 0.89002), (30.0, 0.79722), (40.0, 0.65273)] {
            XCTAssertEqual(WaterViscosity.millipascalSeconds(celsius: t), eta, accuracy: eta * 0.005, "\(t) °C")
        }
        // Ratio η_T/η_20 of the same formula, numpy: 10 °C 1.3018346474831737, 25 °C 0.8881659730903543.
        XCTAssertEqual(WaterViscosity.ratioTo20C(celsius: 10), 1.3018346474831737, accuracy: 1e-12)
        XCTAssertEqual(Permeability.correctedTo20C(1e-4, temperatureC: 25), 0.8881659730903543e-4, accuracy: 1e-16)
        // Against IAPWS itself the ratio is within 0.3 % (0.89002/1.0016 = 0.88860).
        XCTAssertEqual(WaterViscosity.ratioTo20C(celsius: 25), 0.88860, accuracy: 0.0027)
    }

    // MARK: SWCC

    static let suctions: [Double] = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1500]
    /// Fredlund–Xing θs 0.40, a 20 kPa, n 1.8, m 1.1 plus N(0, 0.003) noise (numpy seed 20240509).
    static let fxThetas = [0.4, 0.397841, 0.401455, 0.388705, 0.361075, 0.299888, 0.180915, 0.120398, 0.085052,
                           0.053918, 0.04656, 0.044592]
    /// van Genuchten θs 0.42, θr 0.05, α 0.08 /kPa, n 1.6 plus N(0, 0.003) noise (same generator).
    static let vgThetas = [0.42, 0.413465, 0.410625, 0.390973, 0.35095, 0.287803, 0.204436, 0.155919, 0.119404,
                           0.088071, 0.072464, 0.066577]

    func testVolumetricWaterContentByHand() {
        // θ = w·ρd/ρw = 0.25 × 1.6 / 1 = 0.40.
        XCTAssertEqual(volumetricWaterContent(massWaterContent: 0.25, dryDensityGPerCm3: 1.6), 0.40, accuracy: 1e-12)
        // FX at ψ = a: 0.40·(1/ln(e + 1))^1.1 = 0.29639685377018143 (numpy).
        XCTAssertEqual(FredlundXingCurve(thetaS: 0.4, a: 20, n: 1.8, m: 1.1).theta(20), 0.29639685377018143, accuracy: 1e-14)
    }

    func testFredlundXingSlopeIsTheDerivative() {
        let curve = FredlundXingCurve(thetaS: 0.4, a: 20, n: 1.8, m: 1.1)
        for psi in [0.5, 7.0, 50, 900] {
            let h = psi * 1e-6
            let numeric = (curve.theta(psi + h) - curve.theta(psi - h)) / (2 * h)
            XCTAssertEqual(curve.slope(psi), numeric, accuracy: abs(numeric) * 1e-6 + 1e-15)
        }
    }

    func testFredlundXingFitRecoversKnownParametersAndMatchesScipy() throws {
        let fit = try XCTUnwrap(SWCCFit.fredlundXing(suctions: Self.suctions, thetas: Self.fxThetas))
        // Recovered within 10 % of the generating parameters (noise sd 0.003 on θ).
        XCTAssertEqual(fit.curve.a, 20, accuracy: 2)
        XCTAssertEqual(fit.curve.n, 1.8, accuracy: 0.18)
        XCTAssertEqual(fit.curve.m, 1.1, accuracy: 0.11)
        // Same optimum as scipy.optimize.curve_fit (TRF) on the same data, within 1e-4 relative.
        XCTAssertEqual(fit.curve.a, 20.44664684178414, accuracy: 20.45e-4)
        XCTAssertEqual(fit.curve.n, 1.817958341992148, accuracy: 1.82e-4)
        XCTAssertEqual(fit.curve.m, 1.0946126610436544, accuracy: 1.09e-4)
        XCTAssertEqual(fit.rSquared, 0.9998214540174241, accuracy: 1e-7)
        XCTAssertEqual(fit.residuals.count, 12)
        XCTAssertEqual(fit.residuals[5], Self.fxThetas[5] - fit.curve.theta(20), accuracy: 1e-15)
        XCTAssertTrue(fit.converged)
    }

    func testVanGenuchtenFitRecoversKnownParametersAndMatchesScipy() throws {
        let fit = try XCTUnwrap(SWCCFit.vanGenuchten(suctions: Self.suctions, thetas: Self.vgThetas))
        XCTAssertEqual(fit.curve.alpha, 0.08, accuracy: 0.012)
        XCTAssertEqual(fit.curve.n, 1.6, accuracy: 0.1)
        XCTAssertEqual(fit.curve.thetaR, 0.05, accuracy: 0.015)
        // scipy.optimize.curve_fit: α 0.08481397391354054, n 1.554672463259796, θr 0.04064503563155427, R² 0.999911113657994.
        XCTAssertEqual(fit.curve.alpha, 0.08481397391354054, accuracy: 0.0848e-3)
        XCTAssertEqual(fit.curve.n, 1.554672463259796, accuracy: 1.55e-4)
        XCTAssertEqual(fit.curve.thetaR, 0.04064503563155427, accuracy: 1e-4)
        XCTAssertEqual(fit.rSquared, 0.999911113657994, accuracy: 1e-7)
    }

    func testFitNeedsFourPoints() {
        XCTAssertNil(SWCCFit.fredlundXing(suctions: [0, 10, 100], thetas: [0.4, 0.3, 0.1]))
    }

    // MARK: Unsaturated permeability

    func testVanGenuchtenMualemAgainstNumpy() {
        let curve = VanGenuchtenCurve(thetaS: 0.42, thetaR: 0.05, alpha: 0.08, n: 1.6)
        XCTAssertEqual(curve.effectiveSaturation(10), 0.819606588381159, accuracy: 1e-13)
        XCTAssertEqual(curve.relativePermeability(1), 0.6090911473927358, accuracy: 1e-12)
        XCTAssertEqual(curve.relativePermeability(10), 0.07255680339323882, accuracy: 1e-13)
        XCTAssertEqual(curve.relativePermeability(100), 9.189182219914785e-05, accuracy: 1e-15)
        XCTAssertEqual(curve.unsaturatedPermeability(0, saturated: 2e-4), 2e-4, accuracy: 1e-18)
    }

    func testFredlundXingHuangIntegralAgainstScipyQuad() {
        // scipy.integrate.quad of the same integrals (ψ_aev 0.01 kPa, upper limit 10⁶ kPa); Simpson within 1e-4 relative.
        let kunsat = KunsatFredlundXingHuang(curve: FredlundXingCurve(thetaS: 0.4, a: 20, n: 1.8, m: 1.1), airEntryKPa: 0.01)
        for (psi, expected) in [(1.0, 0.9587451660876253), (10.0, 0.3989602477883634), (100.0, 0.000681648398968038),
                                (1000.0, 3.6589008859131916e-07)] {
            XCTAssertEqual(kunsat.relativePermeability(psi), expected, accuracy: expected * 1e-4, "ψ = \(psi)")
        }
        XCTAssertEqual(kunsat.relativePermeability(0.005), 1)
        XCTAssertEqual(kunsat.unsaturatedPermeability(10, saturated: 1e-4), 0.3989602477883634e-4, accuracy: 1e-8 * 0.4)
    }
}
