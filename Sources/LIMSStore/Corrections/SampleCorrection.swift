import Foundation

/// Corrections of a sample's record (`lims sample edit`, `lims sample retire`): the change
/// and an audit row with the old and new values and the reason, in one transaction.
public struct SampleEdit: Sendable {
    public var plotCode: String?
    public var parentCode: String?
    public var type: String?
    public var depth: DepthRange?
    public var collectedOn: String?
    public var massG: Double?
    /// Empty text clears the description.
    public var description: String?

    public init(plotCode: String? = nil, parentCode: String? = nil, type: String? = nil, depth: DepthRange? = nil,
                collectedOn: String? = nil, massG: Double? = nil, description: String? = nil) {
        self.plotCode = plotCode; self.parentCode = parentCode; self.type = type; self.depth = depth
        self.collectedOn = collectedOn; self.massG = massG; self.description = description
    }

    public var isEmpty: Bool {
        plotCode == nil && parentCode == nil && type == nil && depth == nil && collectedOn == nil && massG == nil
            && description == nil
    }
}

extension LabStore {
    /// Applies `edit` to sample `code`; returns the sample as stored afterwards.
    @discardableResult
    public func editSample(code: String, _ edit: SampleEdit, reason: String) throws -> Sample {
        try Self.requireReason(reason)
        guard !edit.isEmpty else {
            throw StoreError.invalidValue(field: "sample \(code)", value: "no change",
                                          expected: "at least one field to change (--plot, --parent, --type, --depth, --collected-on, --mass, --description)")
        }
        return try write {
            let old = try requireSample(code: code)
            var new = old
            if let plot = edit.plotCode { new.plotCode = try requirePlot(code: plot).code }
            if let parent = edit.parentCode {
                let parentSample = try requireSample(code: parent)
                // A sample cannot descend from itself: the new parent must not be this sample or below it.
                let cycle = try db.scalar("""
                    WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT s.id FROM sample s JOIN below ON s.parent_id = below.id)
                    SELECT count(*) FROM below WHERE id = ?
                    """, [old.id, parentSample.id])?.int ?? 0
                if cycle > 0 {
                    throw StoreError.invalidValue(field: "parent of sample \(code)", value: parent,
                                                  expected: "a sample that is not \(code) itself or one of its sub-samples")
                }
                new.parentCode = parentSample.code
            }
            if let type = edit.type { try requireSampleType(type); new.type = type }
            if let depth = edit.depth { new.depthTopCm = depth.top; new.depthBottomCm = depth.bottom }
            if let date = edit.collectedOn { new.collectedOn = date }
            if let mass = edit.massG { new.massG = mass }
            if let description = edit.description { new.description = description.isEmpty ? nil : description }
            try validate(new)
            let fields: [(String, Any?, Any?)] = [
                ("plot", old.plotCode, new.plotCode), ("parent", old.parentCode, new.parentCode),
                ("type", old.type, new.type), ("depth_top_cm", old.depthTopCm, new.depthTopCm),
                ("depth_bottom_cm", old.depthBottomCm, new.depthBottomCm),
                ("collected_on", old.collectedOn, new.collectedOn), ("mass_g", old.massG, new.massG),
                ("description", old.description, new.description),
            ]
            var oldValues: [String: Any] = [:], newValues: [String: Any] = [:]
            for (name, before, after) in fields where "\(before as Any)" != "\(after as Any)" {
                oldValues[name] = before ?? NSNull()
                newValues[name] = after ?? NSNull()
            }
            guard !newValues.isEmpty else {
                throw StoreError.invalidValue(field: "sample \(code)", value: "no change",
                                              expected: "a value different from the stored one")
            }
            try db.execute("""
                UPDATE sample SET plot_id = (SELECT id FROM plot WHERE code = ?),
                                  parent_id = (SELECT id FROM sample WHERE code = ?),
                                  type = ?, depth_top_cm = ?, depth_bottom_cm = ?, collected_on = ?, mass_g = ?,
                                  description = ?
                WHERE id = ?
                """, [new.plotCode, new.parentCode, new.type, new.depthTopCm, new.depthBottomCm, new.collectedOn,
                      new.massG, new.description, old.id])
            let changes = newValues.keys.sorted().map { name in
                "\(name) \(Self.auditText(oldValues[name])) → \(Self.auditText(newValues[name]))"
            }
            try audit(action: "update", table: "sample", recordID: old.id, sampleID: old.id,
                      summary: "sample \(code) edited: " + changes.joined(separator: ", "),
                      oldValue: oldValues, newValue: newValues, reason: reason)
            if new.plotCode != old.plotCode {
                try movePlotOfDescendants(of: old, to: new.plotCode, reason: reason)
            }
            return try requireSample(code: code)
        }
    }

    /// Marks a sample as retired (lost, contaminated, used up). Its records and values stay;
    /// queries leave it out unless asked to include retired samples.
    @discardableResult
    public func retireSample(code: String, reason: String) throws -> Sample {
        try Self.requireReason(reason)
        return try write {
            let sample = try requireSample(code: code)
            if let at = sample.retiredAt {
                throw StoreError.invalidValue(field: "sample \(code)", value: "retired at \(at)",
                                              expected: "a sample that is not retired yet")
            }
            try db.execute("""
                UPDATE sample SET retired_at = ?, retired_reason = ?
                WHERE id = ? AND retired_at IS NULL
                """, [Timestamp.now(), reason, sample.id])
            let retired = try requireSample(code: code)
            try audit(action: "retire", table: "sample", recordID: sample.id, sampleID: sample.id,
                      summary: "sample \(code) retired",
                      oldValue: ["retired_at": NSNull()],
                      newValue: ["retired_at": retired.retiredAt as Any, "retired_reason": reason], reason: reason)
            return retired
        }
    }

    /// Sub-samples, fractions and extracts carry their parent's plot: when a sample moves to
    /// another plot, those that were on its old plot move with it (each change audited).
    private func movePlotOfDescendants(of sample: Sample, to plotCode: String?, reason: String) throws {
        let descendants = try db.rows("""
            WITH RECURSIVE below(id) AS (SELECT id FROM sample WHERE parent_id = ?
                                         UNION SELECT s.id FROM sample s JOIN below ON s.parent_id = below.id)
            SELECT s.id, s.code FROM below JOIN sample s ON s.id = below.id
            WHERE s.plot_id IS (SELECT id FROM plot WHERE code = ?)
            ORDER BY s.id
            """, [sample.id, sample.plotCode])
        for row in descendants {
            guard let id = row.int64("id"), let code = row.string("code") else { continue }
            try db.execute("UPDATE sample SET plot_id = (SELECT id FROM plot WHERE code = ?) WHERE id = ?", [plotCode, id])
            try audit(action: "update", table: "sample", recordID: id, sampleID: id,
                      summary: "sample \(code) edited: plot \(sample.plotCode ?? "(none)") → \(plotCode ?? "(none)") "
                        + "(with its ancestor \(sample.code))",
                      oldValue: ["plot": sample.plotCode as Any], newValue: ["plot": plotCode as Any], reason: reason)
        }
    }

    static func auditText(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return "(none)"
        case let double as Double: return Validate.format(double)
        case let some?: return "\(some)"
        }
    }
}
