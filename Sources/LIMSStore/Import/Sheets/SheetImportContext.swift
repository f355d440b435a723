import Foundation

/// What happened to the records of one sheet import, for the batch row and the summary.
public struct SheetImportCounts: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Left-overs of a replaced batch that were deleted / kept because other data refer to them.
    public var deleted = 0
    public var kept = 0
    /// Values of a replaced batch set to status 'retired' (value sheets).
    public var retired = 0
    /// Measured values written (value sheets) and how many of them are censored (`<DL`).
    public var values = 0
    public var censored = 0
    /// Samples newly registered by this file (samples, extracts, size fractions).
    public var samplesRegistered = 0
    public init() {}
}

/// One thing the import did (or, in a dry run, would do), for the summary.
public struct SheetImportAction: Sendable, Equatable {
    public var verb: String      // insert, update, delete, keep, retire
    public var table: String
    public var label: String     // "sample C1-S-E1"
    public var line: Int?
    public var detail: String?   // "mass_g: 850 → 860"
}

/// The state of one sheet import, handed to the importer for every row: the store (inside the
/// import's transaction), the batch, counts, warnings, and the helpers that write records the
/// same way for every sheet (`save`: insert, or update with `--replace`, always audited).
public final class SheetImportContext {
    public let store: LabStore
    public let batchID: Int64
    public let importer: any SheetImporter
    /// The earlier batch this import replaces (`--replace`), if there was one.
    public let replacing: ImportBatch?
    /// `--replace` was given: existing records found by their code/key are updated.
    public let replaceRequested: Bool
    public let fileName: String
    public var counts = SheetImportCounts()
    public private(set) var warnings: [String] = []
    /// The first actions that change something (the dry run lists `SheetImportSummary.listedActions`
    /// of them); the rest are only counted, in `tableCounts` and `changeCount`, so a sheet of 10⁵
    /// samples does not keep 10⁵ labels in memory.
    public private(set) var actions: [SheetImportAction] = []
    /// How many actions changed something (every verb but `unchanged`), listed or not.
    public private(set) var changeCount = 0
    /// Per table, in the order first touched: how many records got each verb.
    public private(set) var tableCounts = SheetImportTableCounts()
    /// Records written by this file, per table: id → the line that wrote it.
    public private(set) var touched: [String: [Int64: Int]] = [:]
    /// Distinct samples the file registered or refers to.
    public private(set) var sampleIDs: Set<Int64> = []

    public init(store: LabStore, batchID: Int64, importer: any SheetImporter, replacing: ImportBatch?,
                replaceRequested: Bool, fileName: String) {
        self.store = store
        self.batchID = batchID
        self.importer = importer
        self.replacing = replacing
        self.replaceRequested = replaceRequested
        self.fileName = fileName
    }

    var db: Database { store.db }

    /// Values an importer looks up once per import instead of once per row (e.g. the sample
    /// types), by a key of its choosing; the sheet's own rows cannot change them.
    private var memos: [String: Any] = [:]
    public func memo<Value>(_ key: String, _ make: () throws -> Value) rethrows -> Value {
        if let value = memos[key] as? Value { return value }
        let value = try make()
        memos[key] = value
        return value
    }

    /// The reason written into the audit log for changes made by this import.
    public private(set) lazy var auditReason: String = {
        var text = "\(importer.kind) sheet \(fileName), batch \(batchID)"
        if let replacing { text += ", replaces batch \(replacing.id)" } else if replaceRequested { text += ", --replace" }
        return text
    }()

    // MARK: Warnings, actions, samples

    /// A warning located in the file (`file:line:col: warning: …`); never stops the import.
    public func warn(_ row: SheetRow?, column: String? = nil, _ message: String) {
        if let row {
            let col = column.flatMap { row.layout.columnIndex[$0] }.map { $0 + 1 } ?? 1
            warnings.append("\(fileName):\(row.line):\(col): warning: \(message)")
        } else {
            warnings.append("\(fileName): warning: \(message)")
        }
    }

    public func note(_ verb: String, table: String, label: @autoclosure () -> String, line: Int?,
                     detail: @autoclosure () -> String? = nil) {
        tableCounts.add(verb, table: table)
        guard verb != "unchanged" else { return }
        changeCount += 1
        // Labels are built only for the actions kept (the closures are not called for the others).
        if actions.count < Self.keptActions {
            actions.append(SheetImportAction(verb: verb, table: table, label: label(), line: line, detail: detail()))
        }
    }

    /// How many changing actions are kept for the summary.
    static let keptActions = SheetImportSummary.listedActions

    public func noteSample(_ id: Int64) { sampleIDs.insert(id) }

    /// Counts and actions at a savepoint, to be put back when the savepoint is rolled back.
    struct Snapshot {
        let counts: SheetImportCounts; let actionCount: Int; let changeCount: Int; let tableCounts: SheetImportTableCounts
    }
    func snapshot() -> Snapshot {
        Snapshot(counts: counts, actionCount: actions.count, changeCount: changeCount, tableCounts: tableCounts)
    }
    func restore(_ snapshot: Snapshot) {
        counts = snapshot.counts
        actions.removeLast(actions.count - snapshot.actionCount)
        changeCount = snapshot.changeCount
        tableCounts = snapshot.tableCounts
    }

    func markTouched(table: String, id: Int64, line: Int) { touched[table, default: [:]][id] = line }

    // MARK: Saving records

    public enum Outcome: Sendable { case inserted, updated, unchanged }

    /// Writes one record found by its key: inserts it when new; when it exists with the same
    /// values it is left as it is; when it exists with other values it is updated only under
    /// `--replace` (old → new audited), otherwise the row is refused. A second row of the same
    /// file with the same key is refused. Table and column names come from the importers' code,
    /// never from the file; every value is bound.
    @discardableResult
    /// The row a sheet row's key names. A record keyed by its code is found ignoring case, as
    /// everywhere (LabStore.registeredCode): `c1` in a plots sheet is plot `C1`, not a second plot.
    func existingRow(table: String, key: [(String, SQLValue)]) throws -> Row? {
        let condition = key.map { "\($0.0) IS NOT DISTINCT FROM ?" }.joined(separator: " AND ")
        if let exact = try db.firstRow("SELECT * FROM \(table) WHERE \(condition)", key.map(\.1)) { return exact }
        guard key.count == 1, key[0].0 == "code", case .text(let code) = key[0].1 else { return nil }
        return try db.firstRow("SELECT * FROM \(table) WHERE lower(code) = lower(?) ORDER BY code LIMIT 1", [code])
    }

    public func save(table: String, label: String, key: [(String, SQLValue)], values: [(String, SQLValue)],
                     sampleID: Int64?, row: SheetRow, keyColumn: String,
                     extraDifferences: [String] = []) throws -> (id: Int64, outcome: Outcome) {
        if let existing = try existingRow(table: table, key: key) {
            let id = existing.int64("id")!
            if let line = touched[table]?[id] {
                throw row.error(keyColumn, "\(label) appears twice in this file (first on line \(line)); expected one row per \(label.split(separator: " ").first ?? "record")")
            }
            markTouched(table: table, id: id, line: row.line)
            let changed = values.filter { !Self.same(existing[$0.0], $0.1) }
            if changed.isEmpty && extraDifferences.isEmpty {
                counts.unchanged += 1
                note("unchanged", table: table, label: label, line: row.line)
                return (id, .unchanged)
            }
            let detail = (try changed.map { "\($0.0): \(try shown($0.0, existing[$0.0])) → \(try shown($0.0, $0.1))" } + extraDifferences)
                .joined(separator: "; ")
            guard replaceRequested else {
                throw row.error(keyColumn, "\(label) already exists with other values (\(detail)); "
                                + "import the corrected sheet with --replace to update it")
            }
            if !changed.isEmpty {
                try db.execute("UPDATE \(table) SET " + changed.map { "\($0.0) = ?" }.joined(separator: ", ") + " WHERE id = ?",
                               changed.map(\.1) + [SQLValue.integer(id)])
            }
            try store.audit(action: "update", table: table, recordID: id, sampleID: sampleID, batchID: batchID,
                            summary: "\(label) updated from \(fileName) line \(row.line): \(detail)",
                            oldValue: Dictionary(uniqueKeysWithValues: changed.map { ($0.0, Self.json(existing[$0.0])) }),
                            newValue: Dictionary(uniqueKeysWithValues: changed.map { ($0.0, Self.json($0.1)) }),
                            reason: auditReason)
            counts.updated += 1
            note("update", table: table, label: label, line: row.line, detail: detail)
            return (id, .updated)
        }
        let id = try insert(table: table, label: label, columns: key + values, sampleID: sampleID, row: row)
        return (id, .inserted)
    }

    /// Inserts a new record (checked by the caller: its key is not registered yet), marks it
    /// touched, counts it and audits it with all its values; `lists` go into the audit's new
    /// value too (e.g. a sample's preparation steps), `summaryTail` after its summary, and
    /// `then` writes what belongs to the record (with its id) before the audit row.
    @discardableResult
    func insert(table: String, label: String, columns: [(String, SQLValue)], sampleID: Int64?, row: SheetRow,
                auditLists: [(String, [String])] = [], summaryTail: String = "",
                then: (Int64) throws -> Void = { _ in }) throws -> Int64 {
        let names = columns.map(\.0)
        let id = try db.insertRow(into: table, columns: names, values: columns.map(\.1))
        markTouched(table: table, id: id, line: row.line)
        counts.inserted += 1
        if table == "sample" { counts.samplesRegistered += 1 }
        note("insert", table: table, label: label, line: row.line)
        try then(id)
        try store.audit(action: "insert", table: table, recordID: id, sampleID: sampleID ?? (table == "sample" ? id : nil),
                        batchID: batchID, summary: "\(label) added from \(fileName) line \(row.line)" + summaryTail,
                        oldJSON: nil, newJSON: auditJSON(table: table, names: names, columns: columns, lists: auditLists),
                        reason: auditReason)
        return id
    }

    /// The audit JSON of a new record, with the key order of the last one of its table.
    private var auditLayouts: [String: JSONText.ObjectLayout] = [:]
    private func auditJSON(table: String, names: [String], columns: [(String, SQLValue)], lists: [(String, [String])]) -> String {
        let keys = lists.isEmpty ? names : names + lists.map(\.0)
        let layout = auditLayouts[table].flatMap { $0.keys == keys ? $0 : nil } ?? JSONText.ObjectLayout(keys: keys)
        auditLayouts[table] = layout
        return JSONText.object(columns, lists: lists, layout: layout)
    }

    /// Deletes one row (a left-over of a replaced batch), auditing its old values.
    public func deleteRecord(table: String, id: Int64) throws {
        guard let existing = try db.firstRow("SELECT * FROM \(table) WHERE id = ?", [id]) else { return }
        let sampleID = table == "sample" ? id : (existing.int64("sample_id") ?? existing.int64("parent_sample_id"))
        try db.execute("DELETE FROM \(table) WHERE id = ?", [id])
        let label = try label(table: table, row: existing)
        try store.audit(action: "delete", table: table, recordID: id, sampleID: sampleID, batchID: batchID,
                        summary: "\(label) deleted: not in the replacing sheet \(fileName)",
                        oldValue: Dictionary(uniqueKeysWithValues: zip(existing.columns, existing.values.map(Self.json))),
                        reason: auditReason)
        counts.deleted += 1
        note("delete", table: table, label: label, line: nil)
    }

    /// A record named in the lab's words for warnings and the audit log.
    func label(table: String, row: Row) throws -> String {
        let name = table.replacingOccurrences(of: "_", with: " ")
        if let code = row.string("code") ?? row.string("label") { return "\(name) \(code)" }
        switch table {
        case "cacl2_extraction":
            return "CaCl2 extraction " + (try shown("extract_sample_id", row["extract_sample_id"]))
        case "size_fraction":
            return "size fraction \(row.string("class_label") ?? "") (replicate \(row.int("replicate") ?? 1)) of "
                + (try shown("parent_sample_id", row["parent_sample_id"]))
        case "lcf_component":
            return "LCF component \(row.string("phase") ?? "")"
        case "xanes_result", "lcf_fit":
            return "\(table == "lcf_fit" ? "LCF fit" : "XANES") \(row.string("edge") ?? "")"
        case "map_correlation":
            return "correlation \(row.string("element_a") ?? "")–\(row.string("element_b") ?? "")"
        default:
            return "\(name) #\(row.int64("id") ?? 0)"
        }
    }

    // MARK: Value helpers

    static func same(_ a: SQLValue, _ b: SQLValue) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.integer, .real), (.real, .integer), (.real, .real):
            let x = a.double!, y = b.double!
            return abs(x - y) <= 1e-12 * max(abs(x), abs(y))
        default:
            return false
        }
    }

    /// Tables that id columns point to, so a difference reads "parent_id: C1-S → C2-S", not "3 → 5".
    static let referencedTable = [
        "site_id": "site", "treatment_id": "treatment", "plot_id": "plot", "parent_id": "sample", "sample_id": "sample",
        "fraction_sample_id": "sample", "extract_sample_id": "sample", "parent_sample_id": "sample",
        "thin_section_id": "thin_section",
    ]

    func shown(_ column: String, _ value: SQLValue) throws -> String {
        if let table = Self.referencedTable[column], let id = value.int64,
           let code = try db.scalar("SELECT code FROM \(table) WHERE id = ?", [id])?.string {
            return code
        }
        return Self.show(value)
    }

    static func show(_ value: SQLValue) -> String {
        switch value {
        case .null: return "empty"
        case .real(let v): return Validate.format(v)
        default: return value.description
        }
    }

    static func json(_ value: SQLValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .integer(let v): return v
        case .real(let v): return v
        case .text(let v): return v
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }
}

extension Optional where Wrapped == String {
    var sql: SQLValue { map(SQLValue.text) ?? .null }
}
extension Optional where Wrapped == Double {
    var sql: SQLValue { map(SQLValue.real) ?? .null }
}
extension Optional where Wrapped == Int {
    var sql: SQLValue { map { SQLValue.integer(Int64($0)) } ?? .null }
}
extension Optional where Wrapped == Int64 {
    var sql: SQLValue { map(SQLValue.integer) ?? .null }
}

extension SheetImportContext {
    /// Throws the database's refusal if deleting this row would break a reference
    /// (results, sub-samples …), and deletes nothing either way.
    public func checkDeletable(table: String, id: Int64) throws {
        struct Probe: Error {}
        do {
            try db.writeTransaction {
                try db.execute("DELETE FROM \(table) WHERE id = ?", [id])
                throw Probe()
            }
        } catch is Probe {}
    }
}
