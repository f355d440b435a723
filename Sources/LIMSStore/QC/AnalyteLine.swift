/// One measured line of an analyte (element + isotope or wavelength + mode), as QC compares like
/// with like: a CRM's `La 139 [He]` is judged apart from its `La 139 [No Gas]`.
public struct AnalyteLine: Hashable, Sendable, Comparable {
    public var element: String
    public var isotope: Int?
    public var wavelengthNm: Double?
    public var mode: String?

    public init(element: String, isotope: Int? = nil, wavelengthNm: Double? = nil, mode: String? = nil) {
        self.element = element; self.isotope = isotope; self.wavelengthNm = wavelengthNm; self.mode = mode
    }

    init(row: Row) {
        self.init(element: row.string("analyte") ?? "", isotope: row.int("isotope"), wavelengthNm: row.double("wavelength_nm"),
                  mode: row.string("mode"))
    }

    /// `La 139 [No Gas]`, `Ce 413.38 (Radial)` written as AnalyteName keys are.
    public var name: String {
        AnalyteName(element: element, isotope: isotope, wavelengthNm: wavelengthNm, mode: mode, isInternalStandard: false,
                    oxide: nil, unit: nil, sourceLabel: "").key
    }

    /// Atomic order, then the line.
    public static func < (a: AnalyteLine, b: AnalyteLine) -> Bool {
        let za = PeriodicTable.atomicNumber(a.element) ?? 999, zb = PeriodicTable.atomicNumber(b.element) ?? 999
        if za != zb { return za < zb }
        return a.name < b.name
    }
}

/// Atomic numbers, for listing analytes in atomic order.
extension PeriodicTable {
    static let inOrder = """
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr \
        Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm \
        Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    static let numbers: [String: Int] = Dictionary(uniqueKeysWithValues: inOrder.enumerated().map { ($1, $0 + 1) })

    public static func atomicNumber(_ symbol: String) -> Int? { numbers[symbol] }
}
