import Foundation

/// One imported file (an instrument export or a lab sheet). Every imported value points to it.
public struct ImportBatch: Sendable, Equatable {
    public var id: Int64 = 0
    /// `results` for instrument files, the sheet kind for lab sheets.
    public var kind: String
    public var fileName: String
    public var filePath: String?
    public var sha256: String
    public var fileSize: Int64
    public var format: String
    public var instrument: String?
    public var method: String?
    public var matrix: String?
    public var operatorName: String = ""
    public var importedAt: String = ""
    /// Options as JSON text (delimiter, date order, dilution …).
    public var options: String?
    public var rowCount = 0
    public var valueCount = 0
    public var sampleCount = 0
    public var qcCount = 0
    public var censoredCount = 0
    public var unmatchedCount = 0
    public var warnings: [String] = []
    public var status = "active"
    public var replacesBatchID: Int64?

    public init(kind: String, fileName: String, filePath: String?, sha256: String, fileSize: Int64,
                format: String, instrument: String? = nil, method: String? = nil, matrix: String? = nil,
                options: String? = nil) {
        self.kind = kind; self.fileName = fileName; self.filePath = filePath; self.sha256 = sha256
        self.fileSize = fileSize; self.format = format; self.instrument = instrument; self.method = method
        self.matrix = matrix; self.options = options
    }

    init(row: Row) {
        self.init(kind: row.string("kind") ?? "", fileName: row.string("file_name") ?? "",
                  filePath: row.string("file_path"), sha256: row.string("sha256") ?? "",
                  fileSize: row.int64("file_size") ?? 0, format: row.string("format") ?? "",
                  instrument: row.string("instrument"), method: row.string("method"), matrix: row.string("matrix"),
                  options: row.string("options"))
        id = row.int64("id") ?? 0
        operatorName = row.string("operator") ?? ""
        importedAt = row.string("imported_at") ?? ""
        rowCount = row.int("row_count") ?? 0
        valueCount = row.int("value_count") ?? 0
        sampleCount = row.int("sample_count") ?? 0
        qcCount = row.int("qc_count") ?? 0
        censoredCount = row.int("censored_count") ?? 0
        unmatchedCount = row.int("unmatched_count") ?? 0
        if let text = row.string("warnings"), let data = text.data(using: .utf8),
           let list = try? JSONSerialization.jsonObject(with: data) as? [String] {
            warnings = list
        }
        status = row.string("status") ?? "active"
        replacesBatchID = row.int64("replaces_batch_id")
    }
}

// FileFingerprint (SHA-256 and size of an imported file) is in Maintenance/FileIdentity.swift.

extension LabStore {
    /// The active batch that imported a file with this content, if any.
    public func activeBatch(kind: String, sha256: String) throws -> ImportBatch? {
        try db.firstRow("SELECT * FROM import_batch WHERE kind = ? AND sha256 = ? AND status = 'active'",
                        [kind, sha256]).map(ImportBatch.init(row:))
    }

    /// Records a new batch (inside the import's transaction) and audits it; returns its id.
    public func insertBatch(_ batch: ImportBatch) throws -> Int64 {
        try requireOperator()
        return try db.insert("""
            INSERT INTO import_batch (kind, file_name, file_path, sha256, file_size, format, instrument, method,
                                      matrix, operator, options, replaces_batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [batch.kind, batch.fileName, batch.filePath, batch.sha256, batch.fileSize, batch.format,
                  batch.instrument, batch.method, batch.matrix, operatorName, batch.options, batch.replacesBatchID])
    }

    /// Stores the counts and warnings of a batch once its rows are written.
    public func finishBatch(_ batch: ImportBatch) throws {
        try db.execute("""
            UPDATE import_batch SET row_count = ?, value_count = ?, sample_count = ?, qc_count = ?,
                   censored_count = ?, unmatched_count = ?, warnings = ?
            WHERE id = ?
            """, [batch.rowCount, batch.valueCount, batch.sampleCount, batch.qcCount, batch.censoredCount,
                  batch.unmatchedCount, batch.warnings.isEmpty ? nil : JSONText.encodeArray(batch.warnings), batch.id])
        try audit(action: batch.replacesBatchID == nil ? "import" : "replace", table: "import_batch",
                  recordID: batch.id, batchID: batch.id,
                  summary: "imported \(batch.fileName) (\(batch.kind), \(batch.format)): \(batch.rowCount) rows, "
                      + "\(batch.valueCount) values, \(batch.qcCount) QC rows, \(batch.unmatchedCount) unmatched"
                      + (batch.replacesBatchID.map { "; replaces batch \($0)" } ?? ""),
                  newValue: ["sha256": batch.sha256, "file": batch.fileName, "kind": batch.kind])
    }

    /// Marks a batch as replaced by a newer import of the same file.
    public func markBatchReplaced(_ id: Int64) throws {
        try db.execute("UPDATE import_batch SET status = 'replaced' WHERE id = ?", [id])
    }

    public func batch(id: Int64) throws -> ImportBatch? {
        try db.firstRow("SELECT * FROM import_batch WHERE id = ?", [id]).map(ImportBatch.init(row:))
    }

    public func batches(includeReplaced: Bool = true) throws -> [ImportBatch] {
        try db.rows("SELECT * FROM import_batch WHERE ? OR status = 'active' ORDER BY id", [includeReplaced])
            .map(ImportBatch.init(row:))
    }
}

extension LabStore {
    /// `lims batch show`: the batch, then what it holds now (values by analyte and status, QC rows by
    /// type, unmatched names) and its warnings, read back from the database.
    public func batchReport(_ batch: ImportBatch) throws -> [String] {
        var lines = [
            "Batch \(batch.id): \(batch.fileName) (\(batch.kind), \(batch.format))" + (batch.status == "active" ? "" : " — \(batch.status)"),
            "  file:        \(batch.filePath ?? batch.fileName), \(batch.fileSize) bytes, SHA-256 \(batch.sha256)",
            "  imported:    \(batch.importedAt) by \(batch.operatorName)" + (batch.instrument.map { ", instrument \($0)" } ?? "")
                + (batch.matrix.map { ", matrix \($0)" } ?? ""),
            "  counts:      \(batch.rowCount) rows, \(batch.valueCount) values, \(batch.sampleCount) samples, \(batch.qcCount) QC rows, "
                + "\(batch.censoredCount) censored, \(batch.unmatchedCount) unmatched",
        ]
        if let replaces = batch.replacesBatchID { lines.append("  replaces:    batch \(replaces)") }
        if let replacedBy = try db.scalar("SELECT id FROM import_batch WHERE replaces_batch_id = ?", [batch.id])?.int64 {
            lines.append("  replaced by: batch \(replacedBy)")
        }
        let values = try db.rows("""
            SELECT status, count(*) AS n, count(DISTINCT analyte) AS analytes,
                   sum(qualifier IN ('<', '>', 'nd')) AS censored, count(DISTINCT sample_id) AS samples
            FROM measurement WHERE batch_id = ? GROUP BY status ORDER BY status
            """, [batch.id])
        for row in values {
            lines.append("  values:      \(row.int("n") ?? 0) \(row.string("status") ?? "") (\(row.int("samples") ?? 0) registered samples, "
                         + "\(row.int("analytes") ?? 0) elements, \(row.int("censored") ?? 0) censored)")
        }
        let qc = try db.rows("""
            SELECT s.qc_type, count(DISTINCT s.id) AS n, count(m.id) AS v FROM qc_sample s
            LEFT JOIN qc_measurement m ON m.qc_sample_id = s.id WHERE s.batch_id = ? GROUP BY s.qc_type ORDER BY s.qc_type
            """, [batch.id])
        if !qc.isEmpty {
            lines.append("  QC rows:     " + qc.map { "\($0.int("n") ?? 0) \($0.string("qc_type") ?? "") (\($0.int("v") ?? 0) values)" }.joined(separator: ", "))
        }
        let unmatched = try db.rows("""
            SELECT unmatched_name, count(*) AS n FROM measurement WHERE batch_id = ? AND sample_id IS NULL
            GROUP BY unmatched_name ORDER BY min(id)
            """, [batch.id])
        if !unmatched.isEmpty {
            let names = unmatched.prefix(20).map { "\"\($0.string("unmatched_name") ?? "")\"" }.joined(separator: ", ")
            lines.append("  unmatched:   \(unmatched.count) names: \(names)" + (unmatched.count > 20 ? " …" : ""))
        }
        for warning in batch.warnings { lines.append("  warning: \(warning)") }
        return lines
    }
}
