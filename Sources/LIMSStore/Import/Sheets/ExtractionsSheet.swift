/// `extractions`: the CaCl2 extraction log. Each row registers the extract (`extract_id`) as a
/// child sample of type extract (parent = the soil sample, plot inherited) and writes the
/// cacl2_extraction row linking soil and extract; ICP results of the extract are matched by that
/// code. Key: extract_id.
public struct ExtractionsSheet: SheetImporter {
    public init() {}
    public let kind = "extractions"
    public let summary = "CaCl2 extraction log: soil mass, solution mass or volume, CaCl2 mM, contact time, extract ID."
    public let columns: [SheetColumn] = [
        SheetColumn("sample", required: true, help: "code of the extracted soil sample", example: "M1-S"),
        SheetColumn("extract_id", required: true, help: "code of the extract (registered as a sample of type extract)", example: "M1-S-E1"),
        SheetColumn("soil_mass_g", required: true, help: "air-dried soil mass in g (> 0)", example: "10.00"),
        SheetColumn("solution_mass_g", help: "CaCl2 solution mass in g (> 0); this or solution_volume_ml is required", example: "20.00"),
        SheetColumn("solution_volume_ml", help: "CaCl2 solution volume in mL (> 0); this or solution_mass_g is required", example: ""),
        SheetColumn("cacl2_mmol_l", help: "CaCl2 concentration in mmol/L (> 0; empty = 1)", example: "1"),
        SheetColumn("ratio", help: "soil:solution ratio as written, e.g. 1:2 (checked against the masses)", example: "1:2"),
        SheetColumn("contact_time_h", help: "shaking time in h (> 0)", example: "48"),
        SheetColumn("extracted_on", help: "date, YYYY-MM-DD", example: "2018-09-03"),
        SheetColumn("filter_um", help: "filter pore size in um (> 0)", example: "0.45"),
        SheetColumn("notes", help: "free text", example: "centrifuged, acidified 2 % HNO3"),
    ]
    public var ownedTables: [String] { ["cacl2_extraction", "sample"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let soil = try context.sample(row, column: "sample")
        let soilID = soil.int64("id")!
        let soilCode = soil.string("code") ?? ""
        let extractCode = try row.requiredText("extract_id")
        guard extractCode != soilCode else {
            throw row.error("extract_id", value: extractCode, expected: "a new code for the extract, not the soil sample's")
        }
        let soilMass = try row.requiredNumber("soil_mass_g", unit: "g", minimum: 0, exclusiveMinimum: true)
        let solutionMass = try row.number("solution_mass_g", unit: "g", minimum: 0, exclusiveMinimum: true)
        let solutionVolume = try row.number("solution_volume_ml", unit: "mL", minimum: 0, exclusiveMinimum: true)
        guard solutionMass != nil || solutionVolume != nil else {
            throw row.error("solution_mass_g", "solution_mass_g and solution_volume_ml are both empty; expected at least one (g or mL of CaCl2 solution)")
        }
        let concentration = try row.number("cacl2_mmol_l", unit: "mmol/L", minimum: 0, exclusiveMinimum: true) ?? 1
        let ratio = row.text("ratio")
        if let ratio {
            let parts = ratio.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let soilPart = parts[0], let solutionPart = parts[1], soilPart > 0, solutionPart > 0 else {
                throw row.error("ratio", value: ratio, expected: "soil:solution written like 1:2 or 1:2.5")
            }
            // Volume in mL counts as g at density 1, as the extractability calculation does.
            let solution = solutionMass ?? solutionVolume!
            let actual = solution / soilMass, stated = solutionPart / soilPart
            if abs(actual - stated) > 0.05 * stated {
                context.warn(row, column: "ratio", "ratio \(ratio) but the masses give 1:\(Validate.format((actual * 100).rounded() / 100)) (\(Validate.format(solution)) / \(Validate.format(soilMass)))")
            }
        }
        let extract = try context.save(table: "sample", label: "sample \(extractCode)", key: [("code", .text(extractCode))], values: [
            ("plot_id", soil["plot_id"]), ("parent_id", .integer(soilID)), ("type", .text("extract")),
        ], sampleID: nil, row: row, keyColumn: "extract_id")
        context.noteSample(extract.id)
        try context.save(table: "cacl2_extraction", label: "CaCl2 extraction \(extractCode)",
                         key: [("extract_sample_id", .integer(extract.id))], values: [
            ("sample_id", .integer(soilID)), ("soil_mass_g", .real(soilMass)), ("solution_mass_g", solutionMass.sql),
            ("solution_volume_ml", solutionVolume.sql), ("cacl2_mmol_l", .real(concentration)), ("ratio", ratio.sql),
            ("contact_time_h", try row.number("contact_time_h", unit: "h", minimum: 0, exclusiveMinimum: true).sql),
            ("extracted_on", try row.date("extracted_on").sql),
            ("filter_um", try row.number("filter_um", unit: "um", minimum: 0, exclusiveMinimum: true).sql),
            ("notes", row.text("notes").sql),
        ], sampleID: soilID, row: row, keyColumn: "extract_id")
    }

    public func deleteLeftover(table: String, id: Int64, context: SheetImportContext) throws {
        // An extraction whose extract carries results is kept: the results need its masses.
        if table == "cacl2_extraction",
           let extractID = try context.store.db.scalar("SELECT extract_sample_id FROM cacl2_extraction WHERE id = ?", [id])?.int64 {
            try context.deleteRecord(table: table, id: id)
            try context.checkDeletable(table: "sample", id: extractID)
            return
        }
        try context.deleteRecord(table: table, id: id)
    }
}
