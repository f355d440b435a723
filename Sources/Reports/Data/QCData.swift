import LIMSStore

/// The QC records of the instrument runs that carry sample values: blanks and CRMs with their
/// measurements, and the certified values of the CRMs (`crm_certified_value`).
public struct QCData: Sendable {
    public struct Run: Sendable { public var batchID: Int64; public var fileName: String; public var matrix: String? }
    public struct Record: Sendable {
        public var batchID: Int64
        public var label: String
        public var type: String
        public var crmName: String?
        public var analyte: String
        public var value: RawValue
    }

    public var runs: [Run] = []
    public var records: [Record] = []
    /// CRM name (lower-cased) → analyte → (value, unit).
    public var certified: [String: [String: (value: Double, unit: String)]] = [:]

    static func load(_ db: Database) throws -> QCData {
        var data = QCData()
        // Only runs with QC records that also hold sample values (an index lookup per run, not a scan).
        for row in try db.rows("""
            SELECT b.id, b.file_name, b.matrix FROM import_batch b
            WHERE b.status = 'active' AND EXISTS (SELECT 1 FROM qc_sample q WHERE q.batch_id = b.id)
              AND EXISTS (SELECT 1 FROM measurement m WHERE m.batch_id = b.id AND m.sample_id IS NOT NULL AND m.status = 'valid')
            ORDER BY b.id
            """) {
            data.runs.append(Run(batchID: row.int64("id") ?? 0, fileName: row.string("file_name") ?? "", matrix: row.string("matrix")))
        }
        let runIDs = Set(data.runs.map(\.batchID))
        for row in try db.rows("""
            SELECT q.batch_id, q.label, q.qc_type, q.crm_name, m.analyte, m.value, m.qualifier, m.detection_limit, trim(m.unit) AS unit
            FROM qc_sample q JOIN qc_measurement m ON m.qc_sample_id = q.id
            WHERE q.qc_type IN ('blank', 'cal_blank', 'ccb', 'crm') ORDER BY q.batch_id, q.id, m.id
            """) {
            guard let batch = row.int64("batch_id"), runIDs.contains(batch) else { continue }
            data.records.append(Record(batchID: batch, label: row.string("label") ?? "", type: row.string("qc_type") ?? "",
                                       crmName: row.string("crm_name"), analyte: row.string("analyte") ?? "",
                                       value: RawValue(value: row.double("value"), qualifier: row.string("qualifier") ?? "=",
                                                       detectionLimit: row.double("detection_limit"), unit: row.string("unit"))))
        }
        for row in try db.rows("SELECT crm_name, analyte, value, trim(unit) AS unit FROM crm_certified_value") {
            guard let name = row.string("crm_name"), let analyte = row.string("analyte"), let v = row.double("value") else { continue }
            data.certified[name.lowercased(), default: [:]][analyte] = (v, row.string("unit") ?? "")
        }
        return data
    }
}
