import Foundation

/// Dynamic viscosity of liquid water from the Vogel (Vogel–Fulcher–Tammann) equation
/// η = A·exp(B / (T − C)), A = 0.02939 mPa·s, B = 507.88 K, C = 149.3 K, T in K
/// (fit to the IAPWS reference data; within about 0.5 % from 0 to 60 °C, and much closer
/// in the ratio η_T/η_20 used to correct permeability).
public enum WaterViscosity {
    public static let a = 0.02939
    public static let b = 507.88
    public static let c = 149.3

    /// η in mPa·s at a temperature in °C.
    public static func millipascalSeconds(celsius: Double) -> Double {
        a * exp(b / (celsius + 273.15 - c))
    }

    /// η_T / η_20, the factor that turns a permeability measured at T into k at 20 °C.
    public static func ratioTo20C(celsius: Double) -> Double {
        millipascalSeconds(celsius: celsius) / millipascalSeconds(celsius: 20)
    }
}
