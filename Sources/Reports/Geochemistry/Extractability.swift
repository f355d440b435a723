/// CaCl₂ extractability of one element in one soil sample.
///
/// extractable (mg/kg soil) = C_extract (mg/L) × V_solution (L) / m_soil (kg);
/// V from the solution volume when logged, else from the solution mass at density 1 g/mL;
/// extractability (%) = extractable / total × 100.
public struct Extractability: Sendable, Equatable {
    public static let formula = "extractable (mg/kg) = C_extract (mg/L) × V (L) / m_soil (kg); % of total = extractable / total × 100"

    public var concentrationMgPerL: Double
    public var volumeL: Double
    public var soilMassKg: Double
    public var extractableMgPerKg: Double
    public var totalMgPerKg: Double?
    public var percentOfTotal: Double?

    public init(concentrationMgPerL: Double, volumeL: Double, soilMassKg: Double, totalMgPerKg: Double?) {
        self.concentrationMgPerL = concentrationMgPerL
        self.volumeL = volumeL
        self.soilMassKg = soilMassKg
        extractableMgPerKg = concentrationMgPerL * volumeL / soilMassKg
        self.totalMgPerKg = totalMgPerKg
        if let total = totalMgPerKg, total > 0 { percentOfTotal = extractableMgPerKg / total * 100 }
    }

    /// Solution volume in L: the logged volume, else the solution mass at density 1 g/mL.
    public static func solutionVolumeL(volumeML: Double?, solutionMassG: Double?) -> Double? {
        if let ml = volumeML, ml > 0 { return ml / 1000 }
        if let g = solutionMassG, g > 0 { return g / 1000 }
        return nil
    }
}
