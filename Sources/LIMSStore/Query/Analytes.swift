/// Analyte names and the groups technicians ask for (`REE`, `LREE`, `HREE`, `REY`).
public enum Analytes {
    /// The lanthanides in atomic-number order (DESIGN.md §4: REE = La…Lu; Y is kept apart).
    public static let ree = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    public static let lree = ["La", "Ce", "Pr", "Nd", "Sm", "Eu"]
    public static let hree = ["Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    public static let rey = ree + ["Y"]

    public static let groups: [String: [String]] = ["REE": ree, "LREE": lree, "HREE": hree, "REY": rey]

    /// Every element symbol, so that a valid element with no values yet is not "unknown".
    public static let elements: [String] = """
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr \
        Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb \
        Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr
        """.split(separator: " ").map(String.init)

    /// Sort key of the one analyte order (atomic number, then name): see `AnalyteOrder`.
    public static func sortKey(_ analyte: String) -> (Int, String) { AnalyteOrder.key(analyte) }

    public static func ordered(_ analytes: [String]) -> [String] { AnalyteOrder.sorted(analytes) }
}

extension LabStore {
    /// The distinct analytes that have measurements, read by skipping along the
    /// `measurement_analyte` index (one seek per analyte, not a scan of every value).
    public func knownAnalytes() throws -> [String] {
        try db.rows("""
            WITH RECURSIVE a(name) AS (
                SELECT min(analyte) FROM measurement
                UNION ALL
                SELECT (SELECT min(analyte) FROM measurement WHERE analyte > a.name) FROM a WHERE a.name IS NOT NULL)
            SELECT name FROM a WHERE name IS NOT NULL
            """).compactMap { $0.string("name") }
    }

    /// Expands a list of analyte names and groups (`REE`, `La`, `ce`, `Fe2O3` …; commas allowed)
    /// into the analytes stored in `measurement`. Unknown names throw with "did you mean"
    /// suggestions drawn from the database.
    public func resolveAnalytes(_ inputs: [String]) throws -> [String] {
        let words = inputs.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { return [] }
        var known: [String]?
        var result: [String] = []
        func append(_ name: String) { if !result.contains(name) { result.append(name) } }
        for word in words {
            if let group = Analytes.groups.first(where: { $0.key.caseInsensitiveCompare(word) == .orderedSame }) {
                group.value.forEach(append)
                continue
            }
            if known == nil { known = try knownAnalytes() }
            if let exact = known!.first(where: { $0 == word }) { append(exact); continue }
            if let element = Analytes.elements.first(where: { $0 == word }) { append(element); continue }
            if let loose = (known! + Analytes.elements).first(where: { $0.caseInsensitiveCompare(word) == .orderedSame }) {
                append(loose); continue
            }
            let candidates = known! + Analytes.groups.keys.sorted()
            throw StoreError.notFound(kind: "analyte", key: word,
                                      suggestions: Suggestions.closest(to: word, among: candidates))
        }
        return result
    }
}
