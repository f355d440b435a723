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
    public var actions: [SheetImportAction]

    /// Per table: how many records were inserted, updated, unchanged, deleted, kept, retired.
    public var tableCounts: [(table: String, counts: [(verb: String, count: Int)])] {
        var order: [String] = []
        var byTable: [String: [String: Int]] = [:]
        for action in actions {
            if byTable[action.table] == nil { order.append(action.table) }
            byTable[action.table, default: [:]][action.verb, default: 0] += 1
        }
        let verbs = ["insert", "update", "unchanged", "retire", "delete", "keep"]
        return order.map { table in
            (table, verbs.compactMap { verb in byTable[table]?[verb].map { (verb, $0) } })
        }
    }

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
        if actions.isEmpty {
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
            let shown = actions.filter { $0.verb != "unchanged" }
            for action in shown.prefix(Self.listedActions) {
                var text = "  \(action.verb) \(action.label)"
                if let line = action.line { text += " (line \(line))" }
                if let detail = action.detail { text += ": \(detail)" }
                lines.append(text)
            }
            if shown.isEmpty { lines.append("  nothing (every record is already there)") }
            if shown.count > Self.listedActions { lines.append("  … and \(shown.count - Self.listedActions) more") }
        }
        lines.append(warnings.isEmpty ? "No warnings." : "\(warnings.count) warning(s):")
        lines += warnings.map { "  " + $0 }
        return lines
    }
}
