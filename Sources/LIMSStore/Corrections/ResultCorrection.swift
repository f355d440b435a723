/// Corrections of measured values. A correction never overwrites: it inserts a new
/// measurement (same sample, analyte, batch, file position and method), marks the old one
/// `superseded` and points it to the new one, and records both in the audit log — all in
/// one transaction (ISO/IEC 17025: what was there before stays visible).
public struct ResultVersion: Sendable, Equatable {
    public var id: Int64
    public var sampleCode: String?
    public var analyte: String
    public var value: Double?
    public var unit: String?
    public var qualifier: String
    public var detectionLimit: Double?
    public var rawText: String
    public var status: String
    public var supersededBy: Int64?
    public var batchID: Int64?

    public var reported: String {
        ReportedValue.text(value: value, qualifier: qualifier, detectionLimit: detectionLimit)
            + (unit.map { " " + $0 } ?? "")
    }

    init(row: Row) {
        id = row.int64("id") ?? 0
        sampleCode = row.string("sample_code")
        analyte = row.string("analyte") ?? ""
        value = row.double("value")
        unit = row.string("unit")
        qualifier = row.string("qualifier") ?? "="
        detectionLimit = row.double("detection_limit")
        rawText = row.string("raw_text") ?? ""
        status = row.string("status") ?? ""
        supersededBy = row.int64("superseded_by")
        batchID = row.int64("batch_id")
    }

    var auditValue: [String: Any] {
        ["id": id, "value": value as Any, "unit": unit as Any, "qualifier": qualifier,
         "detection_limit": detectionLimit as Any, "raw_text": rawText, "status": status]
    }
}

extension LabStore {
    public func result(id: Int64) throws -> ResultVersion? {
        try db.firstRow("""
            SELECT m.*, s.code AS sample_code FROM measurement m LEFT JOIN sample s ON s.id = m.sample_id
            WHERE m.id = ?
            """, [id]).map(ResultVersion.init(row:))
    }

    public func requireResult(id: Int64) throws -> ResultVersion {
        if let result = try result(id: id) { return result }
        throw StoreError.notFound(kind: "result", key: String(id), suggestions: [])
    }

    /// Replaces the current value `id` by a corrected one; returns the new version.
    @discardableResult
    public func correctResult(id: Int64, value text: String, unit: String? = nil, qualifier: String? = nil,
                              detectionLimit: Double? = nil, reason: String) throws -> ResultVersion {
        try Self.requireReason(reason)
        return try write {
            let old = try requireCurrent(id: id)
            var corrected = try CorrectedValue.parse(text, qualifier: qualifier, detectionLimit: detectionLimit)
            if corrected.detectionLimit == nil, detectionLimit == nil { corrected.detectionLimit = old.detectionLimit }
            // The typed unit is converted to the unit of the value being corrected.
            var storedUnit = old.unit
            // As typed, before conversion (the lab keeps original number and unit).
            let originalValue = corrected.value ?? corrected.detectionLimit
            let originalUnit = unit ?? old.unit
            if let unit, let canonical = old.unit, unit != canonical {
                guard let factor = CorrectionUnits.factor(from: unit, to: canonical) else {
                    throw StoreError.invalidValue(field: "unit", value: unit,
                                                  expected: "\(canonical) or a unit convertible to it ("
                                                    + CorrectionUnits.accepted(for: canonical).joined(separator: ", ") + ")")
                }
                corrected.value = corrected.value.map { CorrectionUnits.convert($0, factor: factor) }
                corrected.detectionLimit = corrected.detectionLimit.map { CorrectionUnits.convert($0, factor: factor) }
            } else if let unit, old.unit == nil {
                storedUnit = unit
            }
            let newID = try db.insert("""
                INSERT INTO measurement (sample_id, unmatched_name, batch_id, analyte, isotope, wavelength_nm, mode,
                                         source_label, value, raw_text, unit, original_value, original_unit,
                                         qualifier, detection_limit, method, matrix, dilution_factor, flags,
                                         measured_at, source_row, source_column)
                SELECT sample_id, unmatched_name, batch_id, analyte, isotope, wavelength_nm, mode,
                       source_label, ?, ?, ?, ?, ?, ?, ?, method, matrix, dilution_factor, flags,
                       measured_at, source_row, source_column
                FROM measurement WHERE id = ? RETURNING id
                """, [corrected.value, corrected.rawText, storedUnit, originalValue, originalUnit,
                      corrected.qualifier, corrected.detectionLimit, id])
            try db.execute("UPDATE measurement SET status = 'superseded', superseded_by = ? WHERE id = ? AND status = 'valid'",
                           [newID, id])
            let new = try requireResult(id: newID)
            let sampleID = try db.scalar("SELECT sample_id FROM measurement WHERE id = ?", [id])?.int64
            try audit(action: "correct", table: "measurement", recordID: newID, sampleID: sampleID, batchID: old.batchID,
                      summary: "result \(id) (\(old.analyte) of \(old.sampleCode ?? "?")) corrected: "
                        + "\(old.reported) → \(new.reported); new result \(newID)",
                      oldValue: old.auditValue, newValue: new.auditValue, reason: reason)
            return new
        }
    }

    /// Withdraws a current value (e.g. a contaminated digest) without replacing it.
    public func retireResult(id: Int64, reason: String) throws {
        try Self.requireReason(reason)
        try write {
            let old = try requireCurrent(id: id)
            try db.execute("UPDATE measurement SET status = 'retired' WHERE id = ? AND status = 'valid'", [id])
            let sampleID = try db.scalar("SELECT sample_id FROM measurement WHERE id = ?", [id])?.int64
            var new = old.auditValue
            new["status"] = "retired"
            try audit(action: "retire", table: "measurement", recordID: id, sampleID: sampleID, batchID: old.batchID,
                      summary: "result \(id) (\(old.analyte) of \(old.sampleCode ?? "?"), \(old.reported)) retired",
                      oldValue: old.auditValue, newValue: new, reason: reason)
        }
    }

    /// Every version of a result, oldest first: follows `superseded_by` back and forth from `id`.
    public func resultHistory(id: Int64) throws -> [ResultVersion] {
        var first = try requireResult(id: id)
        while let previous = try db.firstRow("""
            SELECT m.*, s.code AS sample_code FROM measurement m LEFT JOIN sample s ON s.id = m.sample_id
            WHERE m.superseded_by = ?
            """, [first.id]).map(ResultVersion.init(row:)) {
            first = previous
        }
        var versions = [first]
        while let next = versions.last!.supersededBy {
            versions.append(try requireResult(id: next))
        }
        return versions
    }

    private func requireCurrent(id: Int64) throws -> ResultVersion {
        let result = try requireResult(id: id)
        switch result.status {
        case "valid": return result
        case "superseded":
            let current = try resultHistory(id: id).last!
            throw StoreError.invalidValue(field: "result \(id)", value: "superseded",
                                          expected: "the current value; result \(id) was superseded — its current version is result \(current.id)")
        default:
            throw StoreError.invalidValue(field: "result \(id)", value: result.status,
                                          expected: "a current (valid) value; retired results stay as they are")
        }
    }

    static func requireReason(_ reason: String) throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError.invalidValue(field: "reason", value: reason,
                                          expected: "why the change is made (it is kept in the audit log)")
        }
    }
}
