/// Oxides reported by XRF or fusion ICP-OES (`Fe2O3`, `SiO2` …) and the mass fraction of their element,
/// computed from standard atomic weights (IUPAC 2021 abridged) so the factors are exact to the weights:
/// Fe2O3→Fe 0.69943, Al2O3→Al 0.52926, SiO2→Si 0.46744, K2O→K 0.83015, CaO→Ca 0.71470, MgO→Mg 0.60304,
/// Na2O→Na 0.74186, TiO2→Ti 0.59935, MnO→Mn 0.77446, P2O5→P 0.43643.
public enum OxideStoichiometry {
    /// g/mol.
    public static let atomicWeight: [String: Double] = [
        "O": 15.999, "Fe": 55.845, "Al": 26.982, "Si": 28.085, "K": 39.098, "Ca": 40.078, "Mg": 24.305,
        "Na": 22.990, "Ti": 47.867, "Mn": 54.938, "P": 30.974, "Cr": 51.996, "Ba": 137.33, "Sr": 87.62,
        "Zr": 91.224, "S": 32.06, "Ce": 140.12, "La": 138.91, "Nd": 144.24, "Y": 88.906,
    ]

    /// Oxide → (element, atoms of element, atoms of oxygen).
    public static let oxides: [String: (element: String, n: Int, oxygen: Int)] = [
        "Fe2O3": ("Fe", 2, 3), "FeO": ("Fe", 1, 1), "Al2O3": ("Al", 2, 3), "SiO2": ("Si", 1, 2),
        "K2O": ("K", 2, 1), "CaO": ("Ca", 1, 1), "MgO": ("Mg", 1, 1), "Na2O": ("Na", 2, 1),
        "TiO2": ("Ti", 1, 2), "MnO": ("Mn", 1, 1), "P2O5": ("P", 2, 5), "Cr2O3": ("Cr", 2, 3),
        "BaO": ("Ba", 1, 1), "SrO": ("Sr", 1, 1), "ZrO2": ("Zr", 1, 2), "SO3": ("S", 1, 3),
        "CeO2": ("Ce", 1, 2), "La2O3": ("La", 2, 3), "Nd2O3": ("Nd", 2, 3), "Y2O3": ("Y", 2, 3),
    ]

    private static let byUppercase: [String: String] = Dictionary(uniqueKeysWithValues: oxides.keys.map { ($0.uppercased(), $0) })

    /// `fe2o3` / `Fe2O3` → `Fe2O3`.
    public static func canonicalName(_ text: String) -> String? { byUppercase[text.uppercased()] }

    public static func element(ofOxide text: String) -> String? { canonicalName(text).flatMap { oxides[$0]?.element } }

    /// Mass fraction of the element in the oxide, e.g. 0.6994 for Fe2O3.
    public static func elementFraction(_ oxide: String) -> Double? {
        guard let name = canonicalName(oxide), let entry = oxides[name],
              let element = atomicWeight[entry.element], let oxygen = atomicWeight["O"] else { return nil }
        let metal = Double(entry.n) * element
        return metal / (metal + Double(entry.oxygen) * oxygen)
    }
}
