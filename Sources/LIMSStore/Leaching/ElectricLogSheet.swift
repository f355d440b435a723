/// `electric-log`: voltage and current of an electrokinetic run over time.
public struct ElectricLogSheet: SheetImporter {
    public init() {}
    public let kind = "electric-log"
    public let summary = "Voltage (V) and current (mA) logged during an electrokinetic run; power off = 0 mA."
    public var columns: [SheetColumn] {
        [
            SheetColumn("run", required: true, help: "electrokinetic run code", example: "EK-1"),
            SheetColumn("time_h", required: true, help: "time since the start (h)", example: "0.5"),
            SheetColumn("voltage_v", required: true, help: "voltage across the electrodes (V)", example: "20"),
            SheetColumn("current_ma", required: true, help: "current (mA)", example: "35"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let run = try LeachingSheetSupport.run(row, "run", store)
        guard run.method == "electrokinetic" else {
            throw row.error("run", "run \(run.code) is a conventional run; an electric log belongs to an electrokinetic run")
        }
        let time = try row.requiredNumber("time_h", unit: "h", minimum: 0)
        let voltage = try row.requiredNumber("voltage_v", unit: "V", minimum: 0)
        let current = try row.requiredNumber("current_ma", unit: "mA", minimum: 0)
        if try store.db.scalar("SELECT count(*) FROM leaching_electric_reading WHERE run_id = ? AND time_h = ?",
                               [run.id, time])?.int ?? 0 > 0 {
            throw row.error("time_h", "run \(run.code) already has a reading at \(Validate.format(time)) h")
        }
        try LeachingSheetSupport.insert(row, column: "time_h") {
            try store.db.execute("""
                INSERT INTO leaching_electric_reading (run_id, time_h, voltage_v, current_ma, batch_id) VALUES (?, ?, ?, ?, ?)
                """, [run.id, time, voltage, current, batchID])
        }
    }
}
