import LIMSStore

/// The lanthanides in the order of the periodic table (La → Lu), Y kept apart (REY).
public enum Elements {
    public static let ree = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    /// Light REEs for LREE/HREE: La … Eu.
    public static let light = ["La", "Ce", "Pr", "Nd", "Sm", "Eu"]
    /// Heavy REEs for LREE/HREE: Gd … Lu.
    public static let heavy = ["Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    public static let rey = ree + ["Y"]
    /// REY in pattern order: Y between Dy and Ho, where its ionic radius puts it (Bau 1996).
    public static let reyPattern = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Y", "Ho", "Er", "Tm", "Yb", "Lu"]
    /// Major elements the lab reports for fractions (ICP-OES / XRF), in the usual order.
    public static let majors = ["Si", "Al", "Fe", "K", "Ca", "Mg", "Na", "Mn", "Ti", "P"]

    /// Order for tables: the one analyte order of the whole tool (atomic number; `AnalyteOrder`).
    public static func sortKey(_ analyte: String) -> (Int, String) { AnalyteOrder.key(analyte) }

    public static func sorted(_ analytes: some Sequence<String>) -> [String] { AnalyteOrder.sorted(analytes) }
}
