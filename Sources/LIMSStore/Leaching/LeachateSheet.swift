/// `leachate`: one row per leachate collection. The leachate is registered as a sample of
/// type `leachate` (parent = the run's soil sample) so instrument results match it by code;
/// concentrations written here (mg/L) become `measurement` rows with method `sheet`.
public struct LeachateSheet: SheetImporter {
    public init() {}
    public let kind = "leachate"
    public let summary = "Leachate collections of a leaching run: time, volume, position, and optionally concentrations (mg/L)."

    /// Elements a leachate sheet may carry, in mg/L: the REEs, Y, total REE, and the impurities.
    public static let elementColumns = ["REE", "La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm",
                                        "Yb", "Lu", "Y", "Al", "Fe", "Ca", "K", "Na", "Mn", "Mg"]

    public var columns: [SheetColumn] {
        [
            SheetColumn("run", required: true, help: "leaching run code", example: "EK-1"),
            SheetColumn("leachate_sample", required: true, help: "code of the leachate sample (registered if new)", example: "EK-1-L06"),
            SheetColumn("time_h", required: true, help: "time since the start of the run (h)", example: "6"),
            SheetColumn("volume_ml", required: true, help: "volume collected since the previous collection at this position (mL)", example: "120"),
            SheetColumn("position", help: "where it was collected: outlet (default), anode, cathode …", example: "outlet"),
            SheetColumn("collected_on", help: "date YYYY-MM-DD", example: "2024-03-04"),
        ] + Self.elementColumns.map {
            SheetColumn(Sheet.normalize($0), help: $0 == "REE" ? "total REE (mg/L) when single REEs were not measured"
                                                              : "\($0) in mg/L (<DL for below detection)", example: "")
        }
    }

    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let run = try LeachingSheetSupport.run(row, "run", store)
        let code = try row.requiredText("leachate_sample")
        let time = try row.requiredNumber("time_h", unit: "h", minimum: 0)
        let volume = try row.requiredNumber("volume_ml", unit: "mL", minimum: 0)
        let position = row.text("position") ?? "outlet"
        let collectedOn = try row.date("collected_on")
        var values: [(String, LeachingSheetSupport.QualifiedValue, Int)] = []
        for element in Self.elementColumns {
            let column = Sheet.normalize(element)
            if let value = try LeachingSheetSupport.qualifiedValue(row, column, unit: "mg/L") {
                values.append((element, value, (row.layout.columnIndex[column] ?? 0) + 1))
            }
        }
        // Every check before the first write, so a refused row leaves nothing behind whatever the runner.
        if try store.db.scalar("SELECT count(*) FROM leachate_sampling WHERE run_id = ? AND position = ? AND time_h = ?",
                               [run.id, position, time])?.int ?? 0 > 0 {
            throw row.error("time_h", "run \(run.code) already has a collection at \(Validate.format(time)) h at \(position)")
        }
        let soilID = try store.db.scalar("SELECT soil_sample_id FROM leaching_run WHERE id = ?", [run.id])?.int64
        // The leachate sample: new → registered under the soil sample; existing → must be this run's leachate.
        let sampleID: Int64
        if let registered = try store.registeredCode(.sample, matching: code),
           let existing = try store.db.firstRow("SELECT id, type, parent_id FROM sample WHERE code = ?", [registered]) {
            guard existing.string("type") == "leachate", existing.int64("parent_id") == soilID else {
                throw row.error("leachate_sample", "sample \"\(code)\" exists but is not a leachate of \(run.soilSampleCode) "
                                + "(type \(existing.string("type") ?? "?")); use a new code")
            }
            sampleID = existing.int64("id") ?? 0
            if try store.db.scalar("SELECT count(*) FROM leachate_sampling WHERE leachate_sample_id = ?", [sampleID])?.int ?? 0 > 0 {
                throw row.error("leachate_sample", "leachate \"\(code)\" is already linked to a collection")
            }
        } else {
            do {
                sampleID = try store.addSample(Sample(code: code, parentCode: run.soilSampleCode, type: "leachate",
                                                      collectedOn: collectedOn,
                                                      description: "leachate of run \(run.code) at \(Validate.format(time)) h (\(position))")).id
            } catch let error as StoreError {
                throw row.error("leachate_sample", error.description)
            }
        }
        let samplingID = try LeachingSheetSupport.insert(row, column: "leachate_sample") {
            try store.db.insert("""
                INSERT INTO leachate_sampling (run_id, leachate_sample_id, time_h, volume_ml, position, batch_id)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id
                """, [run.id, sampleID, time, volume, position, batchID])
        }
        for (element, value, column) in values {
            try store.db.execute("""
                INSERT INTO measurement (sample_id, batch_id, analyte, value, raw_text, unit, original_value, original_unit,
                    qualifier, detection_limit, method, matrix, measured_at, source_row, source_column)
                VALUES (?, ?, ?, ?, ?, 'mg/L', ?, 'mg/L', ?, ?, 'sheet', 'solution', ?, ?, ?)
                """, [sampleID, batchID, element, value.value, row.text(Sheet.normalize(element)) ?? "", value.value,
                      value.qualifier, value.detectionLimit, collectedOn, row.line, column])
        }
        try store.audit(action: "insert", table: "leachate_sampling", recordID: samplingID,
                        sampleID: sampleID, batchID: batchID,
                        summary: "leachate \(code) of run \(run.code) at \(Validate.format(time)) h: \(Validate.format(volume)) mL, \(values.count) values")
    }
}
