import Foundation

/// One row of the append-only audit log.
public struct AuditEntry: Sendable {
    public var id: Int64
    public var at: String
    public var operatorName: String
    public var action: String
    public var tableName: String
    public var recordID: Int64?
    public var sampleID: Int64?
    public var batchID: Int64?
    public var summary: String
    public var oldValue: String?
    public var newValue: String?
    public var reason: String?
}

extension LabStore {
    /// Appends to the audit log. Call inside the transaction that makes the change,
    /// so the change and its record land together or not at all.
    public func audit(action: String, table: String, recordID: Int64?, sampleID: Int64? = nil,
                      batchID: Int64? = nil, summary: String, oldValue: [String: Any]? = nil,
                      newValue: [String: Any]? = nil, reason: String? = nil) throws {
        try requireOperator()
        // The row takes its place in the hash chain (AuditChain), so its id and time are fixed
        // here: the write transaction (BEGIN IMMEDIATE) keeps another writer from appending between.
        let insert = {
            let last = try self.db.firstRow("SELECT id, row_hash AS hash FROM audit_log ORDER BY id DESC LIMIT 1")
            let content = AuditChain.Content(
                id: (last?.int64("id") ?? 0) + 1, at: Timestamp.now(), operatorName: self.operatorName,
                action: action, table: table, recordID: recordID, sampleID: sampleID, batchID: batchID, summary: summary,
                oldValue: oldValue.map(JSONText.encode), newValue: newValue.map(JSONText.encode), reason: reason)
            let previous = last?.string("hash") ?? AuditChain.genesis
            try self.db.execute("""
                INSERT INTO audit_log (id, at, operator, action, table_name, record_id, sample_id, batch_id,
                                       summary, old_value, new_value, reason, prev_hash, row_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [content.id, content.at, content.operatorName, content.action, content.table, content.recordID,
                 content.sampleID, content.batchID, content.summary, content.oldValue, content.newValue, content.reason,
                 previous, AuditChain.rowHash(previous: previous, content)])
        }
        if db.isInTransaction { try insert() } else { try db.writeTransaction(insert) }
    }

    /// Every write names who made it: with no --operator, $LIMS_OPERATOR, $USER or account name,
    /// the write is refused rather than recorded as made by nobody.
    public func requireOperator() throws {
        // A name that starts with a printable ASCII character is not blank (checked once per audit row).
        if let first = operatorName.utf8.first, first > 0x20 && first < 0x7F { return }
        guard operatorName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        throw StoreError.invalidValue(field: "operator", value: operatorName,
                                      expected: "the name of who makes the change, for the audit log: give --operator NAME "
                                        + "or set $LIMS_OPERATOR ($USER is empty and the account has no name); nothing was written")
    }

    /// Audit entries, newest last, optionally for one sample or since a timestamp.
    public func auditEntries(sampleID: Int64? = nil, since: String? = nil) throws -> [AuditEntry] {
        try db.rows("""
            SELECT * FROM audit_log
            WHERE (?1 IS NULL OR sample_id = ?1) AND (?2 IS NULL OR at >= ?2)
            ORDER BY id
            """, [sampleID, since]).map(AuditEntry.init(row:))
    }
}

extension AuditEntry {
    init(row: Row) {
        self.init(id: row.int64("id") ?? 0, at: row.string("at") ?? "",
                  operatorName: row.string("operator") ?? "", action: row.string("action") ?? "",
                  tableName: row.string("table_name") ?? "", recordID: row.int64("record_id"),
                  sampleID: row.int64("sample_id"), batchID: row.int64("batch_id"),
                  summary: row.string("summary") ?? "", oldValue: row.string("old_value"),
                  newValue: row.string("new_value"), reason: row.string("reason"))
    }
}

/// JSON text for audit values and batch options (sorted keys, so output is stable).
public enum JSONText {
    /// A JSON string literal (RFC 8259 escapes), for writers that stream JSON text themselves.
    /// `foundationStyle` writes it as Foundation's JSONSerialization does (`/` as `\/`, `\b`,
    /// `\f`): the audit values, whose bytes the hash chain covers, keep their old text.
    public static func quote(_ text: String, foundationStyle: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where foundationStyle: out += "\\/"
            case "\u{8}" where foundationStyle: out += "\\b"
            case "\u{c}" where foundationStyle: out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func encode(_ object: [String: Any]) -> String {
        // Audit rows are written per record of an import: JSONSerialization (bridging, dynamic
        // casts, an ICU collator for the key order) was 40 % of `lims import samples`.
        if let text = plainObject(object) { return text }
        let cleaned = object.mapValues { value -> Any in
            if let double = value as? Double, !double.isFinite { return NSNull() }
            if let optional = value as? OptionalProtocol, optional.isNone { return NSNull() }
            return value
        }
        guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}

extension JSONText {
    /// The same text as `JSONSerialization` with `.sortedKeys` for the objects audit rows hold —
    /// keys of `a`–`z` and `_` (column names), values null, text, whole numbers, doubles, booleans
    /// or lists of text — written directly; nil for anything else (the caller falls back).
    /// For such keys the collator's order is the byte order; numbers print as Swift's shortest
    /// `description` without a trailing `.0`, and `/` is escaped, as Foundation does.
    static func plainObject(_ object: [String: Any]) -> String? {
        for key in object.keys where !isPlainKey(key) { return nil }
        var out = "{"
        for (index, key) in object.keys.sorted().enumerated() {   // ASCII: String order is byte order
            if index > 0 { out += "," }
            out += foundationQuoted(key) + ":"
            guard let value = plainValue(object[key]!) else { return nil }
            out += value
        }
        return out + "}"
    }

    private static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }

    private static func plainValue(_ value: Any) -> String? {
        if value is NSNull { return "null" }
        if let optional = value as? OptionalProtocol, optional.isNone { return "null" }
        // Exact dynamic types: no number is ever read as a boolean or the other way round.
        let type = Swift.type(of: value)
        switch value {
        case let text as String: return foundationQuoted(text)
        case let flag as Bool where type == Bool.self: return flag ? "true" : "false"
        case let number as Int where type == Int.self: return String(number)
        case let number as Int64 where type == Int64.self: return String(number)
        case let number as Double where type == Double.self:
            guard number.isFinite else { return "null" }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text
        case let list as [String]: return "[" + list.map(foundationQuoted).joined(separator: ",") + "]"
        default: return nil
        }
    }

    /// A JSON string as Foundation's JSONSerialization writes it (`/` escaped as `\/`).
    static func foundationQuoted(_ text: String) -> String { quote(text, foundationStyle: true) }
}

/// Lets `JSONText` turn `nil` stored in `[String: Any]` into JSON null.
protocol OptionalProtocol { var isNone: Bool { get } }
extension Optional: OptionalProtocol { var isNone: Bool { self == nil } }
