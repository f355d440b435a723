import Foundation

/// Saturated permeability from a falling-head (variable-head) test.
public enum Permeability {
    /// k = a·L / (A·Δt) · ln(h1/h2) in cm/s (a standpipe area cm², L specimen length cm,
    /// A specimen area cm², Δt s, heads cm).
    public static func fallingHead(standpipeAreaCm2 a: Double, lengthCm l: Double, specimenAreaCm2 area: Double,
                                   dtS: Double, h1Cm: Double, h2Cm: Double) -> Double {
        a * l / (area * dtS) * log(h1Cm / h2Cm)
    }

    /// k at 20 °C: k_20 = k_T · η_T / η_20 (water viscosity by the Vogel equation).
    public static func correctedTo20C(_ k: Double, temperatureC: Double) -> Double {
        k * WaterViscosity.ratioTo20C(celsius: temperatureC)
    }

    /// Mean and sample standard deviation (n − 1) of repeated readings.
    public static func meanAndSD(_ values: [Double]) -> (mean: Double, sd: Double?) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, nil) }
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(values.count - 1)).squareRoot())
    }
}
