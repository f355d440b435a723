/// `xanes`: XANES measured at a POI (La/Ce/Nd L3, Fe K) and the Ce oxidation state found.
/// Key: POI + edge.
public struct XANESSheet: SheetImporter {
    public init() {}
    public let kind = "xanes"
    public let summary = "XANES at POIs: edge, Ce oxidation state, Ce(IV) fraction, E0 (eV)."
    public static let oxidationStates = ["Ce(III)", "Ce(IV)", "mixed"]
    public let columns: [SheetColumn] = [
        SheetColumn("thin_section", required: true, help: "thin-section code", example: "TS-M1"),
        SheetColumn("map", required: true, help: "map label", example: "map1"),
        SheetColumn("poi", required: true, help: "POI label on that map", example: "POI1"),
        SheetColumn("edge", required: true, help: "absorption edge, e.g. Ce L3, La L3, Nd L3, Fe K", example: "Ce L3"),
        SheetColumn("oxidation_state", help: "Ce(III), Ce(IV) or mixed (Ce edges)", example: "mixed"),
        SheetColumn("ce4_fraction", help: "fraction of Ce(IV), 0 to 1", example: "0.35"),
        SheetColumn("e0_ev", help: "edge energy E0 in eV (> 0)", example: "5726.5"),
        SheetColumn("notes", help: "free text", example: ""),
    ]
    public var ownedTables: [String] { ["xanes_result"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let (section, map, poi) = try context.mapReference(row, poiColumn: "poi")
        let edge = try row.requiredText("edge")
        var state: String?
        if let raw = row.text("oxidation_state") {
            guard let match = Self.oxidationStates.first(where: { $0.lowercased() == raw.lowercased() }) else {
                throw row.error("oxidation_state", value: raw, expected: "one of " + Self.oxidationStates.joined(separator: ", "))
            }
            state = match
        }
        let fraction = try row.number("ce4_fraction", minimum: 0, maximum: 1)
        if state != nil, !edge.lowercased().hasPrefix("ce") {
            context.warn(row, column: "oxidation_state", "a Ce oxidation state on the \(edge) edge")
        }
        if let state, let fraction, (state == "Ce(III)" && fraction > 0.5) || (state == "Ce(IV)" && fraction < 0.5) {
            context.warn(row, column: "ce4_fraction", "\(state) but ce4_fraction is \(Validate.format(fraction))")
        }
        let label = "XANES \(edge) at \(poi!.string("label") ?? "") (\(map.string("label") ?? ""), \(section.string("code") ?? ""))"
        try context.save(table: "xanes_result", label: label,
                         key: [("poi_id", .integer(poi!.int64("id")!)), ("edge", .text(edge))], values: [
            ("oxidation_state", state.sql), ("ce4_fraction", fraction.sql),
            ("e0_ev", try row.number("e0_ev", unit: "eV", minimum: 0, exclusiveMinimum: true).sql),
            ("notes", row.text("notes").sql),
        ], sampleID: section.int64("sample_id"), row: row, keyColumn: "edge")
    }
}
