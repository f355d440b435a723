import Foundation

/// Formulas of column and electrokinetic leaching runs. Units are the lab's: concentrations
/// in mg/L, volumes in mL, soil masses in g, amounts per soil mass in mg/kg, times in h.
public enum LeachingCalculations {
    /// Amount leached per soil mass, Q = C·V/m. With C in mg/L, V in mL and m in g the factors
    /// of 1000 cancel: mg/L × mL / g = mg/kg.
    public static func amountPerSoilMass(concentrationMgPerL c: Double, volumeML v: Double, soilMassG m: Double) -> Double {
        c * v / m
    }

    /// Running sum Q_t of the amounts of successive collections.
    public static func cumulative(_ amounts: [Double]) -> [Double] {
        var total = 0.0
        return amounts.map { total += $0; return total }
    }

    /// Recovery efficiency (%) = (leachate + cathode) / T_ion × 100, all in mg/kg of soil.
    public static func recoveryEfficiency(leachateMgPerKg: Double, cathodeMgPerKg: Double = 0, tIonMgPerKg: Double) -> Double {
        (leachateMgPerKg + cathodeMgPerKg) / tIonMgPerKg * 100
    }

    /// Removal efficiency (%) of a soil section = (C_ini − C_end) / C_ini × 100.
    public static func removalEfficiency(initial: Double, final: Double) -> Double {
        (initial - final) / initial * 100
    }

    /// The first time from which the cumulative amount stays within `tolerancePercent` of its
    /// plateau (the final cumulative amount). Nil when there is nothing leached.
    public static func timeToEquilibrium(times: [Double], cumulative: [Double], tolerancePercent: Double) -> Double? {
        guard let plateau = cumulative.last, plateau > 0, times.count == cumulative.count else { return nil }
        let band = plateau * tolerancePercent / 100
        var index = cumulative.count - 1
        while index > 0, abs(plateau - cumulative[index - 1]) <= band { index -= 1 }
        return times[index]
    }

    /// Electric energy ∫U·I dt by the trapezoidal rule over the logged readings (kWh).
    /// Readings must be sorted by time; V × mA / 1000 = W, × h = Wh, / 1000 = kWh.
    public static func energyKWh(timesH: [Double], voltagesV: [Double], currentsMA: [Double]) -> Double {
        guard timesH.count > 1 else { return 0 }
        var wattHours = 0.0
        for i in 1..<timesH.count {
            let p0 = voltagesV[i - 1] * currentsMA[i - 1] / 1000
            let p1 = voltagesV[i] * currentsMA[i] / 1000
            wattHours += (p0 + p1) / 2 * (timesH[i] - timesH[i - 1])
        }
        return wattHours / 1000
    }

    /// Energy per volume of soil (kWh/m³); the volume is given in cm³.
    public static func energyPerCubicMetre(kWh: Double, soilVolumeCm3: Double) -> Double {
        kWh / (soilVolumeCm3 * 1e-6)
    }

    /// Reduction (%) of an amount against a reference run's: (ref − x) / ref × 100.
    public static func reductionPercent(_ value: Double, reference: Double) -> Double? {
        reference > 0 ? (reference - value) / reference * 100 : nil
    }
}
