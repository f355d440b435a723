/// Writes the rows `ResultsRowBuilder` laid out, chunk after chunk, on the import's thread:
/// the chunk's QC rows first (each gets its id), then its values in batches (`BulkInsert`), the
/// QC values and internal-standard readings pointed at their QC row's id.
final class ResultsRowWriter {
    private let measurements: BulkInsert
    private let qcMeasurements: BulkInsert
    private let internalStandards: BulkInsert
    private let insertQCSample: Statement
    private let batchID: Int64
    /// qc_sample ids by ordinal (the n-th QC row of the import).
    private var qcSampleIDs: [Int64] = []

    init(db: Database, batchID: Int64) throws {
        self.batchID = batchID
        // One timestamp for the whole batch: computing the column default per row costs ~20 % of an import.
        measurements = try BulkInsert(db: db, table: "measurement", columns: ResultsImport.measurementColumns,
                                      constants: [("batch_id", .integer(batchID)), ("created_at", .text(Timestamp.now()))])
        qcMeasurements = try BulkInsert(db: db, table: "qc_measurement", columns: ResultsImport.qcMeasurementColumns)
        internalStandards = try BulkInsert(db: db, table: "internal_standard_reading", columns: ResultsImport.internalStandardColumns,
                                           constants: [("batch_id", .integer(batchID))])
        insertQCSample = try db.cachedStatement("""
            INSERT INTO qc_sample (batch_id, label, qc_type, crm_name, duplicate_of, position, measured_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """)
    }

    func write(_ rows: ResultsRowBuilder.Rows) throws {
        for qc in rows.qcSamples {
            qcSampleIDs.append(try insertQCSample.insert([batchID, qc.label, qc.qc.type, qc.qc.crmName, qc.qc.duplicateOf,
                                                          qc.position, qc.measuredAt]))
        }
        try measurements.insert(rows.measurements)
        if !rows.qcMeasurements.isEmpty {
            var values = rows.qcMeasurements
            values.replaceIntegers(inColumn: 0) { qcSampleIDs[Int($0)] }
            try qcMeasurements.insert(values)
        }
        if !rows.internalStandards.isEmpty {
            var readings = rows.internalStandards
            readings.replaceIntegers(inColumn: 1) { qcSampleIDs[Int($0)] }
            try internalStandards.insert(readings)
        }
    }
}
