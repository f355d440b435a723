import Foundation

/// The audit log as a hash chain: every row stores the SHA-256 of the row before it
/// (`prev_hash`) and of itself (`row_hash` = SHA-256 of the previous hash followed by the row's
/// canonical content). The append-only triggers stop mistakes; the chain makes what gets past
/// them visible — a row edited, deleted or slipped in with sqlite3 breaks the chain at its id.
///
/// What it cannot see: someone who rewrites every hash after the one they changed (the chain
/// has no secret key), or removes only the newest rows. A backup's manifest covers those.
public enum AuditChain {
    /// The migration that added the chain; existing rows are sealed inside it.
    public static let migrationID = 8
    /// `prev_hash` of the first row.
    public static let genesis = String(repeating: "0", count: 64)
    /// The triggers that keep the log append-only (their absence is reported by `lims check`).
    public static let triggers = ["audit_log_no_update", "audit_log_no_delete"]

    /// The fields of one audit row, in the order they are hashed.
    public struct Content: Sendable, Equatable {
        public var id: Int64
        public var at: String
        public var operatorName: String
        public var action: String
        public var table: String
        public var recordID: Int64?
        public var sampleID: Int64?
        public var batchID: Int64?
        public var summary: String
        public var oldValue: String?
        public var newValue: String?
        public var reason: String?

        init(row: Row) {
            id = row.int64("id") ?? 0
            at = row.string("at") ?? ""
            operatorName = row.string("operator") ?? ""
            action = row.string("action") ?? ""
            table = row.string("table_name") ?? ""
            recordID = row.int64("record_id")
            sampleID = row.int64("sample_id")
            batchID = row.int64("batch_id")
            summary = row.string("summary") ?? ""
            oldValue = row.string("old_value")
            newValue = row.string("new_value")
            reason = row.string("reason")
        }

        public init(id: Int64, at: String, operatorName: String, action: String, table: String, recordID: Int64?,
             sampleID: Int64?, batchID: Int64?, summary: String, oldValue: String?, newValue: String?, reason: String?) {
            self.id = id; self.at = at; self.operatorName = operatorName; self.action = action; self.table = table
            self.recordID = recordID; self.sampleID = sampleID; self.batchID = batchID; self.summary = summary
            self.oldValue = oldValue; self.newValue = newValue; self.reason = reason
        }

        /// `canonical` as UTF-8 bytes, appended to `bytes`.
        func appendCanonical(to bytes: inout [UInt8]) {
            func field(_ name: StaticString, _ text: String?) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                guard let text else { return bytes.append(contentsOf: "=null\n".utf8) }
                bytes.append(0x3D)   // =
                bytes.append(contentsOf: String(text.utf8.count).utf8)
                bytes.append(0x3A)   // :
                bytes.append(contentsOf: text.utf8)
                bytes.append(0x0A)
            }
            field("id", String(id)); field("at", at); field("operator", operatorName)
            field("action", action); field("table_name", table); field("record_id", recordID.map(String.init))
            field("sample_id", sampleID.map(String.init)); field("batch_id", batchID.map(String.init))
            field("summary", summary); field("old_value", oldValue); field("new_value", newValue)
            field("reason", reason)
        }

        /// `name=null` or `name=<UTF-8 byte count>:<text>` per field, one per line: unambiguous
        /// whatever the text holds (newlines, `=`), and easy to recompute in any language.
        public var canonical: String {
            func field(_ name: String, _ text: String?) -> String {
                guard let text else { return "\(name)=null\n" }
                return "\(name)=\(text.utf8.count):\(text)\n"
            }
            return field("id", String(id)) + field("at", at) + field("operator", operatorName)
                + field("action", action) + field("table_name", table) + field("record_id", recordID.map(String.init))
                + field("sample_id", sampleID.map(String.init)) + field("batch_id", batchID.map(String.init))
                + field("summary", summary) + field("old_value", oldValue) + field("new_value", newValue)
                + field("reason", reason)
        }
    }

    /// SHA-256 (hex) of the previous row's hash followed by this row's canonical content.
    public static func rowHash(previous: String, _ content: Content) -> String {
        // The same bytes as `previous + content.canonical`, written into one buffer (an import
        // hashes a row per record; building the text by concatenation cost as much as the hash).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(previous.utf8.count + 256 + (content.summary.utf8.count + (content.oldValue?.utf8.count ?? 0)
                                                            + (content.newValue?.utf8.count ?? 0) + (content.reason?.utf8.count ?? 0)))
        bytes.append(contentsOf: previous.utf8)
        content.appendCanonical(to: &bytes)
        return SHA256.hex(bytes)
    }

    /// Gives every row without a hash its place in the chain, in id order. Run once, inside the
    /// migration that added the columns; rows appended later get their hashes as they are written.
    static func sealUnsealedRows(_ db: Database) throws {
        var previous = genesis
        for row in try db.rows("SELECT * FROM audit_log ORDER BY id") {
            if let stored = row.string("row_hash") { previous = stored; continue }
            let hash = rowHash(previous: previous, Content(row: row))
            try db.execute("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?",
                           [previous, hash, row.int64("id")])
            previous = hash
        }
    }

    /// Walks the whole chain; a message per row that breaks it (empty = intact).
    public static func verify(_ db: Database) throws -> [String] {
        var problems: [String] = []
        var previousHash = genesis
        var previousID: Int64?
        try db.cachedStatement("SELECT * FROM audit_log ORDER BY id").forEachRow([]) { row in
            let content = Content(row: row)
            let id = content.id
            defer { previousID = id }
            if let previousID, id > previousID + 1 {
                let gap = id == previousID + 2 ? "row \(previousID + 1) is" : "rows \(previousID + 1) to \(id - 1) are"
                problems.append("audit_log \(gap) missing (deleted): ids are given one after another")
            }
            guard let stored = row.string("row_hash"), let storedPrevious = row.string("prev_hash") else {
                problems.append("audit_log row \(id) has no hash: it was written outside lims (e.g. with sqlite3)")
                previousHash = genesis
                return
            }
            defer { previousHash = stored }
            if storedPrevious != previousHash {
                let after = previousID.map { "row \($0)" } ?? "the start of the log"
                problems.append("audit_log row \(id) does not follow \(after) (its prev_hash is \(storedPrevious.prefix(12))…, "
                                + "expected \(previousHash.prefix(12))…): a row before it was deleted or changed, "
                                + "or this row was inserted out of order")
            }
            if rowHash(previous: storedPrevious, content) != stored {
                problems.append("audit_log row \(id) was changed after it was written (its content no longer matches its row_hash)")
            }
        }
        return problems
    }

    /// The append-only triggers that are missing, or present under their name but refusing nothing.
    public static func missingTriggers(_ db: Database) throws -> [String] {
        let present = try db.triggers(on: "audit_log")
        // SQLite's trigger raises with RAISE(ABORT, …), PostgreSQL's trigger function with RAISE EXCEPTION.
        let refusal = db.engine == .sqlite ? "RAISE(ABORT" : "RAISE EXCEPTION"
        return triggers.filter { name in
            guard let sql = present[name] else { return true }
            return !sql.uppercased().contains(refusal)
        }
    }

    /// Whether this database has the chain's columns (schema version ≥ 8).
    static func isPresent(_ db: Database) throws -> Bool {
        try db.columnNames(of: "audit_log").contains("row_hash")
    }
}
