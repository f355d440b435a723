/// `swcc`: pressure-plate steps of a soil-water characteristic curve. The test is created by
/// its first row (sample, solution …); later rows of the same test repeat or leave those cells.
public struct SWCCSheet: SheetImporter {
    public init() {}
    public let kind = "swcc"
    public let summary = "Soil-water characteristic curve steps: matric suction (kPa) and mass water content (%)."
    public var columns: [SheetColumn] {
        [
            SheetColumn("test", required: true, help: "code of the SWCC test", example: "SWCC-1"),
            SheetColumn("sample", help: "sample code (required on the first row of a test)", example: "M1-S"),
            SheetColumn("seepage_test", help: "permeability test giving k_s for k_u(ψ)", example: "SP-W1"),
            SheetColumn("solution", help: "pore solution, e.g. water", example: "water"),
            SheetColumn("concentration_percent", help: "solution concentration (mass %)", example: "0"),
            SheetColumn("path", help: "leaching path, e.g. 3%->1%"),
            SheetColumn("suction_kpa", required: true, help: "matric suction (kPa), 0 for saturation", example: "10"),
            SheetColumn("water_content_percent", required: true, help: "gravimetric water content w (mass %)", example: "21.4"),
            SheetColumn("dry_density_g_cm3", help: "dry density at this step (g/cm3); else the test's", example: "1.55"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let code = try row.requiredText("test")
        let suction = try row.requiredNumber("suction_kpa", unit: "kPa", minimum: 0, maximum: 1_000_000)
        let w = try row.requiredNumber("water_content_percent", unit: "%", minimum: 0, maximum: 500)
        let density = try row.number("dry_density_g_cm3", unit: "g/cm3", minimum: 0.2, maximum: 3.0)
        let concentration = try row.number("concentration_percent", unit: "%", minimum: 0, maximum: 100)
        let testID: Int64
        if let existing = try store.db.firstRow("""
            SELECT w.id, s.code AS sample_code, t.code AS seepage_code FROM swcc_test w JOIN sample s ON s.id = w.sample_id
            LEFT JOIN seepage_test t ON t.id = w.seepage_test_id WHERE w.code = ?
            """, [code]) {
            testID = existing.int64("id") ?? 0
            if let sample = row.text("sample"), sample != existing.string("sample_code") {
                throw row.error("sample", value: sample, expected: "\(existing.string("sample_code") ?? "") as on the first row of test \(code) (or empty)")
            }
            if density == nil, try store.db.scalar("SELECT dry_density_g_cm3 FROM swcc_test WHERE id = ?", [testID])?.double == nil {
                throw Self.missingDensity(row)
            }
            if let seepage = row.text("seepage_test"), seepage != existing.string("seepage_code") {
                throw row.error("seepage_test", value: seepage, expected: "\(existing.string("seepage_code") ?? "empty") as on the first row of test \(code) (or empty)")
            }
        } else {
            guard row.text("sample") != nil else {
                throw row.error("sample", value: "", expected: "the sample code on the first row of test \(code)")
            }
            if density == nil { throw Self.missingDensity(row) }
            let sample = try LeachingSheetSupport.sample(row, "sample", store)
            let seepageID = try row.text("seepage_test").map { _ in try LeachingSheetSupport.seepageTest(row, "seepage_test", store).id }
            testID = try LeachingSheetSupport.insert(row, column: "test") {
                try store.db.insert("""
                    INSERT INTO swcc_test (code, sample_id, seepage_test_id, solution, concentration_percent, path,
                                           dry_density_g_cm3, batch_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                    """, [code, sample.id, seepageID, row.text("solution"), concentration, row.text("path"), density, batchID])
            }
            try store.audit(action: "insert", table: "swcc_test", recordID: testID, sampleID: sample.id, batchID: batchID,
                            summary: "SWCC test \(code) on \(sample.code)")
        }
        // (A new test's duplicate steps cannot happen: it has none yet.)
        if try store.db.scalar("SELECT count(*) FROM swcc_step WHERE swcc_test_id = ? AND suction_kpa = ?",
                               [testID, suction])?.int ?? 0 > 0 {
            throw row.error("suction_kpa", "test \(code) already has a step at \(Validate.format(suction)) kPa")
        }
        try LeachingSheetSupport.insert(row, column: "suction_kpa") {
            try store.db.execute("""
                INSERT INTO swcc_step (swcc_test_id, suction_kpa, water_content, dry_density_g_cm3, batch_id) VALUES (?, ?, ?, ?, ?)
                """, [testID, suction, w / 100, density, batchID])
        }
    }

    static func missingDensity(_ row: SheetRow) -> ImportDiagnostic {
        row.error("dry_density_g_cm3", value: "", expected: "a dry density (g/cm3) on this row or on the test's first row (needed for θ = w·ρd/ρw)")
    }
}
