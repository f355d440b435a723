import Foundation

/// `qc_name_rule`: the QC rules a lab can list, extend and switch off (`lims qc-rules`).
extension LabStore {
    /// Rules in the order the classifier tries them; disabled ones too when `includeDisabled`.
    public func qcNameRules(includeDisabled: Bool = false) throws -> [QCNameRule] {
        try db.rows("""
            SELECT id, pattern, match_kind, applies_to, qc_type, priority, builtin, enabled, note FROM qc_name_rule
            WHERE ?1 OR enabled = 1 ORDER BY priority, id
            """, [includeDisabled]).map { row in
            QCNameRule(id: row.int64("id") ?? 0, pattern: row.string("pattern") ?? "",
                       matchKind: QCNameRule.MatchKind(rawValue: row.string("match_kind") ?? "") ?? .exact,
                       appliesTo: QCNameRule.Field(rawValue: row.string("applies_to") ?? "") ?? .label,
                       qcType: row.string("qc_type") ?? "other", priority: row.int("priority") ?? 100,
                       builtin: row.int("builtin") == 1, enabled: row.int("enabled") == 1, note: row.string("note"))
        }
    }

    /// Adds a lab rule; returns it with its id. The pattern, type and priority are checked here
    /// (naming the field) before the schema's CHECKs would refuse them less clearly.
    @discardableResult
    public func addQCNameRule(_ rule: QCNameRule) throws -> QCNameRule {
        if rule.pattern.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalidValue(field: "pattern", value: rule.pattern, expected: "a label or part of one, e.g. LFB or QC-")
        }
        guard QCNameRule.qcTypes.contains(rule.qcType) else {
            throw StoreError.invalidValue(field: "type", value: rule.qcType, expected: "one of " + QCNameRule.qcTypes.joined(separator: ", "))
        }
        guard (0...1000).contains(rule.priority) else {
            throw StoreError.invalidValue(field: "priority", value: String(rule.priority), expected: "a whole number 0-1000 (lower is tried first)")
        }
        if rule.matchKind == .word, !rule.pattern.contains(where: { $0.isLetter || $0.isNumber }) {
            throw StoreError.invalidValue(field: "pattern", value: rule.pattern, expected: "letters or digits for --match word")
        }
        return try write {
            if let existing = try db.firstRow("""
                SELECT id FROM qc_name_rule WHERE lower(pattern) = lower(?) AND match_kind = ? AND applies_to = ?
                """, [rule.pattern, rule.matchKind.rawValue, rule.appliesTo.rawValue]) {
                throw StoreError.duplicate(kind: "QC rule", key: "\(rule.summary) (rule \(existing.int64("id") ?? 0))")
            }
            let id = try db.insert("""
                INSERT INTO qc_name_rule (pattern, match_kind, applies_to, qc_type, crm, priority, builtin, enabled, note, operator)
                VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?) RETURNING id
                """, [rule.pattern, rule.matchKind.rawValue, rule.appliesTo.rawValue, rule.qcType, rule.isCRM, rule.priority,
                      rule.note, operatorName])
            var added = rule
            added.id = id
            added.builtin = false
            added.enabled = true
            try audit(action: "insert", table: "qc_name_rule", recordID: added.id, summary: "added QC rule \(added.id): \(added.summary)",
                      newValue: ["pattern": rule.pattern, "match_kind": rule.matchKind.rawValue, "applies_to": rule.appliesTo.rawValue,
                                 "qc_type": rule.qcType, "priority": rule.priority])
            return added
        }
    }

    /// What `removeQCNameRule` did.
    public enum QCRuleRemoval: Sendable, Equatable {
        case deleted(QCNameRule)
        /// A built-in rule is switched off, never deleted (so `enable` can bring it back).
        case disabled(QCNameRule)
    }

    /// Deletes a lab rule, or disables a built-in one.
    @discardableResult
    public func removeQCNameRule(id: Int64) throws -> QCRuleRemoval {
        try write {
            let rule = try requireQCNameRule(id: id)
            if rule.builtin {
                try db.execute("UPDATE qc_name_rule SET enabled = 0 WHERE id = ?", [id])
                try audit(action: "update", table: "qc_name_rule", recordID: id, summary: "disabled built-in QC rule \(id): \(rule.summary)",
                          oldValue: ["enabled": rule.enabled], newValue: ["enabled": false])
                var disabled = rule
                disabled.enabled = false
                return .disabled(disabled)
            }
            try db.execute("DELETE FROM qc_name_rule WHERE id = ?", [id])
            try audit(action: "delete", table: "qc_name_rule", recordID: id, summary: "removed QC rule \(id): \(rule.summary)",
                      oldValue: ["pattern": rule.pattern, "match_kind": rule.matchKind.rawValue, "qc_type": rule.qcType])
            return .deleted(rule)
        }
    }

    /// Switches a disabled rule back on.
    @discardableResult
    public func enableQCNameRule(id: Int64) throws -> QCNameRule {
        try write {
            var rule = try requireQCNameRule(id: id)
            if !rule.enabled {
                try db.execute("UPDATE qc_name_rule SET enabled = 1 WHERE id = ?", [id])
                try audit(action: "update", table: "qc_name_rule", recordID: id, summary: "enabled QC rule \(id): \(rule.summary)",
                          oldValue: ["enabled": false], newValue: ["enabled": true])
                rule.enabled = true
            }
            return rule
        }
    }

    func requireQCNameRule(id: Int64) throws -> QCNameRule {
        guard let rule = try qcNameRules(includeDisabled: true).first(where: { $0.id == id }) else {
            throw StoreError.notFound(kind: "QC rule", key: String(id), suggestions: [])
        }
        return rule
    }
}
