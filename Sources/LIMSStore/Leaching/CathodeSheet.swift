/// `cathode`: what was recovered from the cathode at the end of an electrokinetic run (mg).
public struct CathodeSheet: SheetImporter {
    public init() {}
    public let kind = "cathode"
    public let summary = "REEs (and impurities) recovered from the cathode of an electrokinetic run, in mg."
    public var columns: [SheetColumn] {
        [
            SheetColumn("run", required: true, help: "electrokinetic run code", example: "EK-1"),
            SheetColumn("element", required: true, help: "element symbol, or REE for the total", example: "REE"),
            SheetColumn("amount_mg", required: true, help: "mass recovered from the cathode (mg)", example: "21.5"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let run = try LeachingSheetSupport.run(row, "run", store)
        guard run.method == "electrokinetic" else {
            throw row.error("run", "run \(run.code) is a conventional run; it has no cathode")
        }
        let element = try row.requiredText("element")
        guard element.count <= 3, element.first?.isUppercase == true, element.allSatisfy(\.isLetter) else {
            throw row.error("element", value: element, expected: "an element symbol (La, Ce, Al …) or REE")
        }
        let amount = try row.requiredNumber("amount_mg", unit: "mg", minimum: 0)
        if try store.db.scalar("SELECT count(*) FROM leaching_cathode_recovery WHERE run_id = ? AND element = ?",
                               [run.id, element])?.int ?? 0 > 0 {
            throw row.error("element", "run \(run.code) already has a cathode amount for \(element)")
        }
        try LeachingSheetSupport.insert(row, column: "element") {
            try store.db.execute("""
                INSERT INTO leaching_cathode_recovery (run_id, element, amount_mg, batch_id) VALUES (?, ?, ?, ?)
                """, [run.id, element, amount, batchID])
        }
    }
}
