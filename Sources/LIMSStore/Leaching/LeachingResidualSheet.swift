/// `leaching-residuals`: soil concentrations per column section before and after leaching.
public struct LeachingResidualSheet: SheetImporter {
    public init() {}
    public let kind = "leaching-residuals"
    public let summary = "Soil of each column section before and after leaching (mg/kg), for removal efficiency per position."
    public var columns: [SheetColumn] {
        [
            SheetColumn("run", required: true, help: "leaching run code", example: "EK-1"),
            SheetColumn("position", required: true, help: "section label, e.g. S1 (anode) … S5 (cathode)", example: "S1"),
            SheetColumn("distance_cm", help: "distance of the section from the anode or the top (cm)", example: "2"),
            SheetColumn("element", required: true, help: "element symbol, or REE for the total", example: "REE"),
            SheetColumn("c_initial_mg_kg", required: true, help: "concentration before leaching (mg/kg)", example: "520"),
            SheetColumn("c_final_mg_kg", required: true, help: "concentration after leaching (mg/kg)", example: "61"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let run = try LeachingSheetSupport.run(row, "run", store)
        let position = try row.requiredText("position")
        let element = try row.requiredText("element")
        guard element.count <= 3, element.first?.isUppercase == true, element.allSatisfy(\.isLetter) else {
            throw row.error("element", value: element, expected: "an element symbol (La, Ce, Al …) or REE")
        }
        let initial = try row.requiredNumber("c_initial_mg_kg", unit: "mg/kg", minimum: 0, exclusiveMinimum: true)
        let final = try row.requiredNumber("c_final_mg_kg", unit: "mg/kg", minimum: 0)
        if try store.db.scalar("SELECT count(*) FROM leaching_residual WHERE run_id = ? AND position = ? AND element = ?",
                               [run.id, position, element])?.int ?? 0 > 0 {
            throw row.error("position", "run \(run.code) already has \(element) for section \(position)")
        }
        try LeachingSheetSupport.insert(row, column: "position") {
            try store.db.execute("""
                INSERT INTO leaching_residual (run_id, position, distance_cm, element, c_initial_mg_kg, c_final_mg_kg, batch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [run.id, position, try row.number("distance_cm", unit: "cm", minimum: 0), element, initial, final, batchID])
        }
    }
}
