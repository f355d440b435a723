/// `seepage-tests`: one row per falling-head permeability test (specimen, solution, path).
public struct SeepageTestSheet: SheetImporter {
    public init() {}
    public let kind = "seepage-tests"
    public let summary = "Variable-head permeability tests: specimen, standpipe, leaching solution and path."
    public var columns: [SheetColumn] {
        [
            SheetColumn("test", required: true, help: "unique code of the test", example: "SP-W1"),
            SheetColumn("sample", required: true, help: "code of the ore or tailings sample", example: "M1-S"),
            SheetColumn("material", help: "ore or tailings", example: "tailings"),
            SheetColumn("solution", required: true, help: "water, (NH4)2SO4, MgSO4 …", example: "(NH4)2SO4"),
            SheetColumn("concentration_percent", help: "solution concentration (mass %); 0 or empty for water", example: "3"),
            SheetColumn("path", help: "leaching path, e.g. 3%->1% (empty for one solution)", example: "3%->1%"),
            SheetColumn("specimen_length_cm", required: true, help: "specimen length L (cm)", example: "4"),
            SheetColumn("specimen_area_cm2", help: "specimen cross-section A (cm2), or give specimen_diameter_cm", example: "30"),
            SheetColumn("specimen_diameter_cm", help: "specimen diameter (cm), instead of the area", example: ""),
            SheetColumn("standpipe_area_cm2", help: "standpipe cross-section a (cm2), or give standpipe_diameter_cm", example: "0.5"),
            SheetColumn("standpipe_diameter_cm", help: "standpipe inner diameter (cm), instead of the area", example: ""),
            SheetColumn("dry_density_g_cm3", help: "specimen dry density (g/cm3)", example: "1.55"),
            SheetColumn("tested_on", help: "date YYYY-MM-DD", example: "2024-05-10"),
            SheetColumn("notes", help: "free text"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let code = try row.requiredText("test")
        if try store.seepageTest(code: code) != nil { throw row.error("test", "seepage test \"\(code)\" already exists") }
        let sample = try LeachingSheetSupport.sample(row, "sample", store)
        let solution = try row.requiredText("solution")
        let concentration = try row.number("concentration_percent", unit: "%", minimum: 0, maximum: 100) ?? 0
        if solution.lowercased() == "water", concentration != 0 {
            throw row.error("concentration_percent", value: row.text("concentration_percent") ?? "",
                            expected: "0 or empty for water")
        }
        if solution.lowercased() != "water", concentration == 0 {
            throw row.error("concentration_percent", value: row.text("concentration_percent") ?? "",
                            expected: "a concentration > 0 % for \(solution)")
        }
        let specimenArea = try LeachingSheetSupport.area(row, areaColumn: "specimen_area_cm2", diameterColumn: "specimen_diameter_cm")
        let standpipeArea = try LeachingSheetSupport.area(row, areaColumn: "standpipe_area_cm2", diameterColumn: "standpipe_diameter_cm")
        if standpipeArea >= specimenArea {
            throw row.error("standpipe_area_cm2", value: Validate.format(standpipeArea),
                            expected: "a standpipe smaller than the specimen (\(Validate.format(specimenArea)) cm2)")
        }
        let values: [any SQLValueConvertible] = [
            code, sample.id, row.text("material"), solution.lowercased() == "water" ? "water" : solution, concentration,
            row.text("path"), try row.requiredNumber("specimen_length_cm", unit: "cm", minimum: 0, exclusiveMinimum: true),
            specimenArea, standpipeArea, try row.number("dry_density_g_cm3", unit: "g/cm3", minimum: 0.2, maximum: 3.0),
            try row.date("tested_on"), row.text("notes"), batchID,
        ]
        let testID = try LeachingSheetSupport.insert(row, column: "test") {
            try store.db.insert("""
                INSERT INTO seepage_test (code, sample_id, material, solution, concentration_percent, path,
                    specimen_length_cm, specimen_area_cm2, standpipe_area_cm2, dry_density_g_cm3, tested_on, notes, batch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, values)
        }
        try store.audit(action: "insert", table: "seepage_test", recordID: testID, sampleID: sample.id,
                        batchID: batchID, summary: "seepage test \(code) on \(sample.code) with \(solution)")
    }
}
