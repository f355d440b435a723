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
        "Pr": 140.91, "Sm": 150.36, "Eu": 151.96, "Gd": 157.25, "Tb": 158.93, "Dy": 162.50, "Ho": 164.93,
        "Er": 167.26, "Tm": 168.93, "Yb": 173.05, "Lu": 174.97, "Sc": 44.956, "Th": 232.04, "U": 238.03,
        "Nb": 92.906, "Ta": 180.95, "Hf": 178.49, "V": 50.942, "Ni": 58.693, "Co": 58.933, "Cu": 63.546,
        "Zn": 65.38, "Pb": 207.2, "Rb": 85.468, "Cs": 132.91, "Ga": 69.723, "Sn": 118.71, "W": 183.84,
        "Mo": 95.95, "B": 10.81, "Li": 6.94, "Be": 9.0122,
    ]

    /// Oxide → (element, atoms of element, atoms of oxygen).
    public static let oxides: [String: (element: String, n: Int, oxygen: Int)] = [
        "Fe2O3": ("Fe", 2, 3), "FeO": ("Fe", 1, 1), "Al2O3": ("Al", 2, 3), "SiO2": ("Si", 1, 2),
        "K2O": ("K", 2, 1), "CaO": ("Ca", 1, 1), "MgO": ("Mg", 1, 1), "Na2O": ("Na", 2, 1),
        "TiO2": ("Ti", 1, 2), "MnO": ("Mn", 1, 1), "P2O5": ("P", 2, 5), "Cr2O3": ("Cr", 2, 3),
        "BaO": ("Ba", 1, 1), "SrO": ("Sr", 1, 1), "ZrO2": ("Zr", 1, 2), "SO3": ("S", 1, 3),
        "CeO2": ("Ce", 1, 2), "La2O3": ("La", 2, 3), "Nd2O3": ("Nd", 2, 3), "Y2O3": ("Y", 2, 3),
        // Rare-earth oxides as XRF and fusion labs report them (Pr6O11 and Tb4O7 are the stable mixed-valence oxides).
        "Ce2O3": ("Ce", 2, 3), "Pr6O11": ("Pr", 6, 11), "Pr2O3": ("Pr", 2, 3), "Sm2O3": ("Sm", 2, 3),
        "Eu2O3": ("Eu", 2, 3), "Gd2O3": ("Gd", 2, 3), "Tb4O7": ("Tb", 4, 7), "Tb2O3": ("Tb", 2, 3),
        "Dy2O3": ("Dy", 2, 3), "Ho2O3": ("Ho", 2, 3), "Er2O3": ("Er", 2, 3), "Tm2O3": ("Tm", 2, 3),
        "Yb2O3": ("Yb", 2, 3), "Lu2O3": ("Lu", 2, 3), "Sc2O3": ("Sc", 2, 3), "ThO2": ("Th", 1, 2),
        "U3O8": ("U", 3, 8), "UO2": ("U", 1, 2), "Nb2O5": ("Nb", 2, 5), "Ta2O5": ("Ta", 2, 5), "HfO2": ("Hf", 1, 2),
        "V2O5": ("V", 2, 5), "NiO": ("Ni", 1, 1), "CoO": ("Co", 1, 1), "CuO": ("Cu", 1, 1), "ZnO": ("Zn", 1, 1),
        "PbO": ("Pb", 1, 1), "Rb2O": ("Rb", 2, 1), "Cs2O": ("Cs", 2, 1), "Ga2O3": ("Ga", 2, 3), "SnO2": ("Sn", 1, 2),
        "WO3": ("W", 1, 3), "MoO3": ("Mo", 1, 3), "B2O3": ("B", 2, 3), "Li2O": ("Li", 2, 1), "BeO": ("Be", 1, 1),
        "Fe3O4": ("Fe", 3, 4), "Mn2O3": ("Mn", 2, 3), "MnO2": ("Mn", 1, 2),
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
