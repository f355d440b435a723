/// `correlations`: element correlations (R²) over a whole XRF map, e.g. La–Nd 0.85.
/// Key: map + element pair (A–B and B–A are the same pair).
public struct CorrelationsSheet: SheetImporter {
    public init() {}
    public let kind = "correlations"
    public let summary = "Element correlations over XRF maps: element pair, R², number of pixels."
    public let columns: [SheetColumn] = [
        SheetColumn("thin_section", required: true, help: "thin-section code", example: "TS-M1"),
        SheetColumn("map", required: true, help: "map label", example: "map1"),
        SheetColumn("element_a", required: true, help: "element symbol", example: "La"),
        SheetColumn("element_b", required: true, help: "element symbol (not element_a)", example: "Nd"),
        SheetColumn("r_squared", required: true, help: "coefficient of determination R², 0 to 1", example: "0.85"),
        SheetColumn("n_pixels", help: "pixels used (whole number ≥ 1)", example: "30000"),
    ]
    public var ownedTables: [String] { ["map_correlation"] }

    static let elements: Set<String> = Set("""
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr
        Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu
        Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    func element(_ row: SheetRow, _ column: String) throws -> String {
        let raw = try row.requiredText(column)
        // Accept "la" or "LA" for La: symbols are case-sensitive only in print.
        let normalized = raw.prefix(1).uppercased() + raw.dropFirst().lowercased()
        guard Self.elements.contains(normalized) else {
            let close = Suggestions.closest(to: normalized, among: Array(Self.elements)).prefix(3)
            throw row.error(column, value: raw, expected: "an element symbol (La, Ce, Nd, Fe, Mn …)"
                            + (close.isEmpty ? "" : "; did you mean " + close.joined(separator: ", ") + "?"))
        }
        return normalized
    }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let (section, map, _) = try context.mapReference(row)
        let mapID = map.int64("id")!
        var a = try element(row, "element_a"), b = try element(row, "element_b")
        guard a != b else { throw row.error("element_b", value: b, expected: "another element than element_a") }
        // Stored once per pair: keep the order already in the database if B–A is there.
        if try context.store.db.firstRow("SELECT id FROM map_correlation WHERE xrf_map_id = ? AND element_a = ? AND element_b = ?",
                                         [mapID, b, a]) != nil {
            swap(&a, &b)
        }
        try context.save(table: "map_correlation",
                         label: "correlation \(a)–\(b) on \(map.string("label") ?? "") of \(section.string("code") ?? "")",
                         key: [("xrf_map_id", .integer(mapID)), ("element_a", .text(a)), ("element_b", .text(b))], values: [
            ("r_squared", .real(try row.requiredNumber("r_squared", minimum: 0, maximum: 1))),
            ("n_pixels", try row.integer("n_pixels", minimum: 1).sql),
        ], sampleID: section.int64("sample_id"), row: row, keyColumn: "element_a")
    }
}
