/// What one sheet import wrote (or, in a dry run, would write): the one-screen summary.
public struct SheetImportSummary: Sendable {
    public var kind: String
    public var fileName: String
    /// The batch id (in a dry run: the id it would have had).
    public var batchID: Int64
    public var dryRun: Bool
    public var sha256: String
    public var operatorName: String
    public var rowCount: Int
    public var counts: SheetImportCounts
    /// Distinct samples the file registered or refers to.
    public var sampleCount: Int
    public var replacedBatchID: Int64?
    public var warnings: [String]
    /// The first actions that change something (the dry run lists them); see `changeCount`.
    public var actions: [SheetImportAction]
    /// How many actions changed something, listed in `actions` or not.
    public var changeCount: Int
    /// Per table: how many records were inserted, updated, unchanged, deleted, kept, retired.
    public var tableCounts: [(table: String, counts: [(verb: String, count: Int)])]

    /// How many action lines a dry run lists before "… and N more".
    public static let listedActions = 40

    /// The summary as lines for a terminal.
    public var lines: [String] {
        var lines: [String] = []
        if dryRun {
            lines.append("Dry run: \(fileName) (\(kind) sheet, \(rowCount) \(rowCount == 1 ? "row" : "rows")) would be imported as batch \(batchID). Nothing was written.")
        } else {
            lines.append("Imported \(fileName) (\(kind) sheet, \(rowCount) \(rowCount == 1 ? "row" : "rows")) as batch \(batchID).")
        }
        let past = ["insert": dryRun ? "to insert" : "inserted", "update": dryRun ? "to update" : "updated",
                    "unchanged": "unchanged", "retire": dryRun ? "to retire" : "retired",
                    "delete": dryRun ? "to delete" : "deleted", "keep": "kept (still referenced)"]
        for (table, verbs) in tableCounts {
            lines.append("  \(table): " + verbs.map { "\($0.count) \(past[$0.verb] ?? $0.verb)" }.joined(separator: ", "))
        }
        if tableCounts.isEmpty {
            // Importers that write through the short `importRow` form count rows, not records per table.
            lines.append(counts.inserted > 0 ? "  \(counts.inserted) row(s) \(dryRun ? "to write" : "written")" : "  no records")
        }
        if sampleCount > 0 {
            lines.append("  samples: \(sampleCount) referred to, \(counts.samplesRegistered) newly registered")
        }
        if counts.values > 0 || counts.retired > 0 {
            lines.append("  values: \(counts.values) (\(counts.censored) below detection, kept as <DL)")
        }
        if let replacedBatchID {
            lines.append("  replaces batch \(replacedBatchID) (" + (dryRun ? "would be marked replaced)" : "now marked replaced)"))
        }
        lines.append("  operator \(operatorName), SHA-256 \(sha256)")
        if dryRun {
            lines.append("Would write:")
            for action in actions.prefix(Self.listedActions) {
                var text = "  \(action.verb) \(action.label)"
                if let line = action.line { text += " (line \(line))" }
                if let detail = action.detail { text += ": \(detail)" }
                lines.append(text)
            }
            if changeCount == 0 { lines.append("  nothing (every record is already there)") }
            if changeCount > Self.listedActions { lines.append("  … and \(changeCount - Self.listedActions) more") }
        }
        lines.append(warnings.isEmpty ? "No warnings." : "\(warnings.count) warning(s):")
        lines += warnings.map { "  " + $0 }
        return lines
    }
}

/// Per table, in the order first touched, how many records got each verb (insert, update …):
/// counted as the import goes, so the summary needs no list of every action.
public struct SheetImportTableCounts: Sendable, Equatable {
    /// Tables in the order first touched, each with a count per verb of `verbs` (a sheet touches a
    /// few tables: a linear search is cheaper than hashing the names 10⁵ times).
    private var tables: [Table] = []

    private struct Table: Sendable, Equatable {
        let name: String
        var counts: [Int]
    }

    public init() {}

    /// Counts one record; a verb the summary does not show is not counted (as before).
    public mutating func add(_ verb: String, table: String) {
        let index = tables.firstIndex { $0.name == table } ?? {
            tables.append(Table(name: table, counts: Array(repeating: 0, count: Self.verbs.count)))
            return tables.count - 1
        }()
        if let verbIndex = Self.verbs.firstIndex(of: verb) { tables[index].counts[verbIndex] += 1 }
    }

    public var isEmpty: Bool { tables.isEmpty }

    /// The verbs in the summary's order.
    static let verbs = ["insert", "update", "unchanged", "retire", "delete", "keep"]

    /// Per table, the verbs it has records for, in the summary's order.
    public var list: [(table: String, counts: [(verb: String, count: Int)])] {
        tables.map { table in
            (table.name, zip(Self.verbs, table.counts).filter { $0.1 > 0 }.map { (verb: $0.0, count: $0.1) })
        }
    }
}
