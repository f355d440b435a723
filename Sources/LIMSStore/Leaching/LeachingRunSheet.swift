/// `leaching-runs`: one row per column leaching run.
public struct LeachingRunSheet: SheetImporter {
    public init() {}
    public let kind = "leaching-runs"
    public let summary = "Column leaching runs, conventional or electrokinetic (one row per run)."
    public var columns: [SheetColumn] {
        [
            SheetColumn("run", required: true, help: "unique code of the run", example: "EK-1"),
            SheetColumn("soil_sample", required: true, help: "code of the soil sample packed in the column", example: "M1-S"),
            SheetColumn("method", required: true, help: "conventional or electrokinetic", example: "electrokinetic"),
            SheetColumn("scale", help: "lab column, pilot column, field …", example: "lab column"),
            SheetColumn("soil_mass_g", required: true, help: "dry soil mass in the column (g)", example: "1500"),
            SheetColumn("column_diameter_cm", help: "inner diameter (cm)", example: "8"),
            SheetColumn("column_height_cm", help: "soil height (cm)", example: "20"),
            SheetColumn("bulk_density_g_cm3", help: "dry bulk density (g/cm3)", example: "1.49"),
            SheetColumn("electrolyte", required: true, help: "leaching agent, e.g. (NH4)2SO4", example: "(NH4)2SO4"),
            SheetColumn("electrolyte_percent", help: "concentration (mass %)", example: "2"),
            SheetColumn("electrolyte_volume_ml", help: "volume of solution fed (mL)", example: "3000"),
            SheetColumn("flow_rate_ml_min", help: "feed rate (mL/min)", example: "0.5"),
            SheetColumn("voltage_gradient_v_cm", help: "voltage gradient (V/cm); empty or 0 for conventional", example: "1"),
            SheetColumn("power_on_h", help: "intermittent power: hours on per cycle", example: "12"),
            SheetColumn("power_off_h", help: "intermittent power: hours off per cycle", example: "12"),
            SheetColumn("t_ion_mg_kg", help: "initial ion-exchangeable REE content T_ion (mg/kg)", example: "520"),
            SheetColumn("reference_run", help: "run this one is compared with (impurity reduction), imported earlier", example: ""),
            SheetColumn("started_on", help: "start date YYYY-MM-DD", example: "2024-03-04"),
            SheetColumn("notes", help: "free text"),
        ]
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let code = try row.requiredText("run")
        if try store.leachingRun(code: code) != nil {
            throw row.error("run", "leaching run \"\(code)\" already exists")
        }
        let soil = try LeachingSheetSupport.sample(row, "soil_sample", store)
        if soil.type == "leachate" || soil.type == "extract" || soil.type == "solution" {
            throw row.error("soil_sample", value: soil.code, expected: "a soil sample (this one is of type \(soil.type))")
        }
        let method = try row.choice("method", ["conventional", "electrokinetic"])!
        let gradient = try row.number("voltage_gradient_v_cm", unit: "V/cm", minimum: 0)
        if method == "electrokinetic", (gradient ?? 0) <= 0 {
            throw row.error("voltage_gradient_v_cm", value: row.text("voltage_gradient_v_cm") ?? "",
                            expected: "a voltage gradient > 0 V/cm for an electrokinetic run")
        }
        if method == "conventional", let gradient, gradient > 0 {
            throw row.error("voltage_gradient_v_cm", value: row.text("voltage_gradient_v_cm") ?? "",
                            expected: "empty or 0 for a conventional run (or method electrokinetic)")
        }
        let powerOn = try row.number("power_on_h", unit: "h", minimum: 0, exclusiveMinimum: true)
        let powerOff = try row.number("power_off_h", unit: "h", minimum: 0)
        if method == "conventional", powerOn != nil || powerOff != nil {
            throw row.error("power_on_h", "a power schedule belongs to an electrokinetic run")
        }
        var referenceID: Int64?
        if let reference = row.text("reference_run") {
            guard reference != code else { throw row.error("reference_run", value: reference, expected: "another run than this one") }
            referenceID = try LeachingSheetSupport.run(row, "reference_run", store).id
        }
        let values: [any SQLValueConvertible] = [
            code, soil.id, method, row.text("scale"),
            try row.requiredNumber("soil_mass_g", unit: "g", minimum: 0, exclusiveMinimum: true),
            try row.number("column_diameter_cm", unit: "cm", minimum: 0, exclusiveMinimum: true),
            try row.number("column_height_cm", unit: "cm", minimum: 0, exclusiveMinimum: true),
            try row.number("bulk_density_g_cm3", unit: "g/cm3", minimum: 0.2, maximum: 3.0),
            try row.requiredText("electrolyte"),
            try row.number("electrolyte_percent", unit: "%", minimum: 0, maximum: 100),
            try row.number("electrolyte_volume_ml", unit: "mL", minimum: 0, exclusiveMinimum: true),
            try row.number("flow_rate_ml_min", unit: "mL/min", minimum: 0),
            gradient, powerOn, powerOff,
            try row.number("t_ion_mg_kg", unit: "mg/kg", minimum: 0, exclusiveMinimum: true),
            referenceID, try row.date("started_on"), row.text("notes"), batchID,
        ]
        let id = try LeachingSheetSupport.insert(row, column: "run") {
            try store.db.insert("""
                INSERT INTO leaching_run (code, soil_sample_id, method, scale, soil_mass_g, column_diameter_cm,
                    column_height_cm, bulk_density_g_cm3, electrolyte, electrolyte_percent, electrolyte_volume_ml,
                    flow_rate_ml_min, voltage_gradient_v_cm, power_on_h, power_off_h, t_ion_mg_kg, reference_run_id,
                    started_on, notes, batch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, values)
        }
        try store.audit(action: "insert", table: "leaching_run", recordID: id, sampleID: soil.id, batchID: batchID,
                        summary: "leaching run \(code) (\(method)) on \(soil.code)")
    }
}
