/// `head-readings`: falling-head readings h1 → h2 over Δt of a seepage test.
public struct HeadReadingSheet: SheetImporter {
    public init() {}
    public let kind = "head-readings"
    public let summary = "Falling-head readings of a seepage test: h1, h2 (cm) over dt (s) at a temperature."
    public var columns: [SheetColumn] {
        [
            SheetColumn("test", required: true, help: "seepage test code", example: "SP-W1"),
            SheetColumn("reading", required: true, help: "reading number 1, 2, …", example: "1"),
            SheetColumn("h1_cm", required: true, help: "head at the start (cm)", example: "100"),
            SheetColumn("h2_cm", required: true, help: "head at the end (cm), lower than h1", example: "80"),
            SheetColumn("dt_s", required: true, help: "time between the two heads (s)", example: "600"),
            SheetColumn("temperature_c", help: "water temperature (°C), for the correction to 20 °C", example: "24"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let test = try LeachingSheetSupport.seepageTest(row, "test", store)
        guard let number = try row.integer("reading", minimum: 1) else {
            throw row.error("reading", value: "", expected: "a reading number ≥ 1 (this column is required)")
        }
        let h1 = try row.requiredNumber("h1_cm", unit: "cm", minimum: 0, exclusiveMinimum: true)
        let h2 = try row.requiredNumber("h2_cm", unit: "cm", minimum: 0, exclusiveMinimum: true)
        guard h2 < h1 else {
            throw row.error("h2_cm", value: row.text("h2_cm") ?? "", expected: "a head lower than h1 = \(Validate.format(h1)) cm (falling head)")
        }
        let dt = try row.requiredNumber("dt_s", unit: "s", minimum: 0, exclusiveMinimum: true)
        let temperature = try row.number("temperature_c", unit: "°C", minimum: 0, maximum: 60)
        if try store.db.scalar("SELECT count(*) FROM seepage_head_reading WHERE test_id = ? AND reading_no = ?",
                               [test.id, number])?.int ?? 0 > 0 {
            throw row.error("reading", "test \(test.code) already has reading \(number)")
        }
        try LeachingSheetSupport.insert(row, column: "reading") {
            try store.db.execute("""
                INSERT INTO seepage_head_reading (test_id, reading_no, h1_cm, h2_cm, dt_s, temperature_c, batch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [test.id, number, h1, h2, dt, temperature, batchID])
        }
    }
}
