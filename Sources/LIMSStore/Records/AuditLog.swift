import Foundation

/// The newest row of the audit chain as this store last wrote it, and the database's write epoch then.
struct AuditHead {
    let epoch: Int
    let id: Int64
    let hash: String
}

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
        try audit(action: action, table: table, recordID: recordID, sampleID: sampleID, batchID: batchID,
                  summary: summary, oldJSON: oldValue.map(JSONText.encode), newJSON: newValue.map(JSONText.encode),
                  reason: reason)
    }

    /// Appends to the audit log with old and new values already written as JSON text.
    func audit(action: String, table: String, recordID: Int64?, sampleID: Int64?, batchID: Int64?,
               summary: String, oldJSON: String?, newJSON: String?, reason: String?) throws {
        try requireOperator()
        // The row takes its place in the hash chain (AuditChain), so its id and time are fixed
        // here: the write transaction (BEGIN IMMEDIATE) keeps another writer from appending between.
        let insert = {
            let head = try self.auditChainHead()
            let content = AuditChain.Content(
                id: head.id + 1, at: self.auditClock.now(), operatorName: self.operatorName,
                action: action, table: table, recordID: recordID, sampleID: sampleID, batchID: batchID, summary: summary,
                oldValue: oldJSON, newValue: newJSON, reason: reason)
            let hash = AuditChain.rowHash(previous: head.hash, content)
            try self.auditInsert().execute(values: [
                .integer(content.id), .text(content.at), .text(content.operatorName), .text(content.action),
                .text(content.table), content.recordID.sql, content.sampleID.sql, content.batchID.sql,
                .text(content.summary), content.oldValue.sql, content.newValue.sql, content.reason.sql,
                .text(head.hash), .text(hash)])
            self.auditHead = AuditHead(epoch: self.db.writeEpoch, id: content.id, hash: hash)
        }
        if db.isInTransaction { try insert() } else { try db.writeTransaction(insert) }
    }

    /// The INSERT of an audit row, prepared once per store (not looked up by its text per row).
    private func auditInsert() throws -> Statement {
        if let statement = auditInsertStatement { return statement }
        let statement = try db.prepare("""
            INSERT INTO audit_log (id, at, operator, action, table_name, record_id, sample_id, batch_id,
                                   summary, old_value, new_value, reason, prev_hash, row_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        auditInsertStatement = statement
        return statement
    }

    /// The id and hash of the newest audit row. Read once per transaction: while the epoch is the
    /// same (no rollback, no other transaction), the rows appended since are the ones this store
    /// appended, so the head it remembers is the database's (an import appends 10⁵ rows).
    private func auditChainHead() throws -> AuditHead {
        if let head = auditHead, head.epoch == db.writeEpoch { return head }
        let last = try db.firstRow("SELECT id, row_hash AS hash FROM audit_log ORDER BY id DESC LIMIT 1")
        return AuditHead(epoch: db.writeEpoch, id: last?.int64("id") ?? 0, hash: last?.string("hash") ?? AuditChain.genesis)
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
        // Most text needs no escape: one pass over its bytes (every byte of a multi-byte UTF-8
        // character is ≥ 0x80, so only ASCII can need one), then the text as it is.
        let needsEscape = text.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (foundationStyle && $0 == 0x2F) }
        if !needsEscape { return "\"" + text + "\"" }
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

    /// The audit JSON of a record's columns, written straight from their SQL values, plus lists of
    /// text (`"preparation": [...]`): the same text `encode` gives for the dictionary of
    /// `SheetImportContext.json` values, without boxing every value in `Any` (imports write one per record).
    static func object(_ columns: [(String, SQLValue)], lists: [(String, [String])] = [],
                       layout known: ObjectLayout? = nil) -> String {
        // A layout given by the caller must be for these keys (checked: a stale one would mislabel values).
        let layout = known.flatMap { $0.matches(columns, lists) ? $0 : nil }
            ?? ObjectLayout(keys: columns.map(\.0) + lists.map(\.0))
        guard let order = layout.order else { return fallbackObject(columns, lists: lists) }
        func key(_ entry: Int) -> String { entry < columns.count ? columns[entry].0 : lists[entry - columns.count].0 }
        // Bytes, not String appends: imports write one object per record.
        var out: [UInt8] = [0x7B]   // {
        out.reserveCapacity(256)
        for (position, entry) in order.enumerated() {
            if position > 0 { out.append(0x2C) }
            out.append(0x22)
            out.append(contentsOf: key(entry).utf8)   // a plain key needs no escape
            out.append(0x22)
            out.append(0x3A)
            if entry < columns.count {
                appendValue(columns[entry].1, to: &out)
            } else {
                out.append(0x5B)
                for (index, text) in lists[entry - columns.count].1.enumerated() {
                    if index > 0 { out.append(0x2C) }
                    appendQuoted(text, to: &out)
                }
                out.append(0x5D)
            }
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// The order in which `object` writes a list of keys (sorted), worked out once for an import
    /// that writes one object per record with the same keys; nil when the keys are not all plain
    /// (a–z, `_`) or one repeats, and `object` falls back to Foundation.
    struct ObjectLayout {
        let keys: [String]
        let order: [Int]?

        func matches(_ columns: [(String, SQLValue)], _ lists: [(String, [String])]) -> Bool {
            guard keys.count == columns.count + lists.count else { return false }
            for (index, column) in columns.enumerated() where keys[index] != column.0 { return false }
            for (index, list) in lists.enumerated() where keys[columns.count + index] != list.0 { return false }
            return true
        }

        init(keys: [String]) {
            self.keys = keys
            let order = keys.indices.sorted { keys[$0] < keys[$1] }   // plain keys are ASCII: byte order
            let plain = keys.allSatisfy(JSONText.isPlainKey)
            let unique = zip(order, order.dropFirst()).allSatisfy { keys[$0.0] != keys[$0.1] }
            self.order = plain && unique ? order : nil
        }
    }

    private static func appendValue(_ value: SQLValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .real(let number):
            guard number.isFinite else { return out.append(contentsOf: "null".utf8) }
            // A whole number below 10¹⁵ is what `description` prints without its ".0" (not -0).
            if number == number.rounded(), abs(number) < 1e15, number != 0 || number.sign == .plus {
                return out.append(contentsOf: String(Int64(number)).utf8)
            }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            out.append(contentsOf: text.utf8)
        case .text(let text): appendQuoted(text, to: &out)
        case .blob(let bytes): appendQuoted("<\(bytes.count) bytes>", to: &out)
        }
    }

    /// `foundationQuoted(text)` appended to `out` without building it apart.
    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x2F }) else {
            out.append(0x22)
            out.append(contentsOf: text.utf8)
            out.append(0x22)
            return
        }
        out.append(contentsOf: foundationQuoted(text).utf8)
    }

    private static func fallbackObject(_ columns: [(String, SQLValue)], lists: [(String, [String])]) -> String {
        var object: [String: Any] = [:]
        for (key, value) in columns { object[key] = SheetImportContext.json(value) }
        for (key, list) in lists { object[key] = list }
        return encode(object)
    }

    static func isPlainKey(_ key: String) -> Bool {
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
