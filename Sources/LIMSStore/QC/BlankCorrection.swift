/// Blank subtraction as a DERIVED value: for each valid value of a batch on a line with procedural
/// blanks, value − blank mean goes to `blank_corrected_value`; the measurement is never changed.
public struct BlankCorrection {
    public let store: LabStore

    public init(store: LabStore) { self.store = store }

    public struct Result: Sendable, Equatable {
        public var corrected = 0
        public var lines = 0
        /// Lines of the batch's values with no measured blank.
        public var skippedLines: [String] = []
    }

    public func apply(batchID: Int64) throws -> Result {
        guard try store.batch(id: batchID) != nil else {
            throw StoreError.notFound(kind: "import batch", key: String(batchID), suggestions: [])
        }
        let evaluator = BatchQCEvaluator(store: store)
        let blanks = evaluator.blankLimits(try evaluator.qcReadings(batchID)).filter { $0.mean != nil }
        let byLine = Dictionary(uniqueKeysWithValues: blanks.map { ($0.line, $0) })
        return try store.write {
            try store.db.execute("DELETE FROM blank_corrected_value WHERE batch_id = ?", [batchID])
            var result = Result()
            var used = Set<AnalyteLine>(), missing = Set<AnalyteLine>()
            let insert = try store.db.cachedStatement("""
                INSERT INTO blank_corrected_value (measurement_id, batch_id, blank_mean, blank_n, value, unit) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for row in try store.db.rows("""
                SELECT id, analyte, isotope, wavelength_nm, mode, value, unit FROM measurement
                WHERE batch_id = ? AND status = 'valid' AND qualifier = '=' AND value IS NOT NULL ORDER BY id
                """, [batchID]) {
                let line = AnalyteLine(row: row)
                guard let blank = byLine[line], let mean = blank.mean, let value = row.double("value"),
                      blank.unit == row.string("unit") else { missing.insert(line); continue }
                try insert.execute([row.int64("id"), batchID, mean, blank.n, value - mean, blank.unit])
                used.insert(line)
                result.corrected += 1
            }
            result.lines = used.count
            result.skippedLines = missing.subtracting(used).sorted().map(\.name)
            try store.audit(action: "insert", table: "blank_corrected_value", recordID: nil, batchID: batchID,
                            summary: "blank-corrected \(result.corrected) values of batch \(batchID) on \(result.lines) lines (stored values unchanged)",
                            reason: "lims qc blank-correct")
            return result
        }
    }
}
