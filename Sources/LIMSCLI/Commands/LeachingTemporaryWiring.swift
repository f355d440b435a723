import Foundation
import LIMSStore

/// TEMPORARY (until the lead merges the sheet runner and the report command):
/// a `report` group holding the leaching/seepage reports, and `lims import KIND FILE` for the
/// leaching and seepage sheet kinds through a small runner of its own. Replace with the real
/// sheet runner (`LeachingSheets.all` in the sheet registry) and `LeachingReportCommands.subcommands`
/// in the real `report` group.
enum LeachingTemporaryWiring {
    static var report: CommandSpec {
        CommandSpec(name: "report", abstract: "Reports (leaching and seepage experiments).",
                    subcommands: LeachingReportCommands.subcommands)
    }

    static var importCommands: [CommandSpec] {
        LeachingSheets.all.map { importer in
            CommandSpec(
                name: importer.kind, abstract: importer.summary,
                discussion: "Columns: " + importer.columns.map { $0.name + ($0.required ? "*" : "") }.joined(separator: ",")
                    + " (* required).",
                arguments: [ArgumentSpec(name: "file", help: "The CSV sheet.")],
                options: [.flag("dry-run", help: "Check every row and report; write nothing.")],
                run: { invocation in try runSheet(importer, invocation) })
        }
    }

    private struct DryRunRollback: Error {}

    /// Reads the sheet, writes every row in ONE transaction with an import batch, collects all
    /// row diagnostics, and writes nothing when there is any (or on --dry-run).
    static func runSheet(_ importer: any SheetImporter, _ invocation: Invocation) throws -> Int32 {
        let path = invocation.argument(0)!
        let url = URL(fileURLWithPath: invocation.absolute(path))
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ImportDiagnostic(file: path, line: 1, message: "no such file")
        }
        let fingerprint = try FileFingerprint.of(url)
        let sheet = try Sheet(reader: try CSVReader(url: url, displayName: path), columns: importer.columns)
        let store = try invocation.openStore()
        if let existing = try store.activeBatch(kind: importer.kind, sha256: fingerprint.sha256) {
            throw ImportDiagnostic(file: path, line: 1, message: "this file was already imported as batch \(existing.id) "
                                   + "(\(existing.fileName), \(existing.importedAt)); nothing was written")
        }
        var batch = ImportBatch(kind: importer.kind, fileName: url.lastPathComponent, filePath: url.path,
                                sha256: fingerprint.sha256, fileSize: fingerprint.size, format: "sheet")
        let dryRun = invocation.flag("dry-run")
        do {
            try store.write {
                batch.id = try store.insertBatch(batch)
                var problems: [ImportDiagnostic] = []
                for row in sheet.rows {
                    do {
                        // A savepoint per row, so a failed row leaves nothing half-written behind it.
                        try store.db.writeTransaction { try importer.importRow(row, store: store, batchID: batch.id) }
                    } catch let diagnostic as ImportDiagnostic {
                        problems.append(diagnostic)
                    } catch let diagnostics as ImportDiagnostics {
                        problems += diagnostics.diagnostics
                    } catch let error as StoreError {
                        problems.append(ImportDiagnostic(file: path, line: row.line, message: error.description))
                    }
                }
                if !problems.isEmpty { throw ImportDiagnostics(problems) }
                batch.rowCount = sheet.rows.count
                batch.valueCount = try store.db.scalar("SELECT count(*) FROM measurement WHERE batch_id = ?", [batch.id])?.int ?? 0
                try store.finishBatch(batch)
                if dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {
            invocation.console.out("Dry run: \(path) is valid: \(batch.rowCount) \(importer.kind) row(s), \(batch.valueCount) value(s); nothing was written.")
            return ExitCode.success
        }
        invocation.console.out("Imported \(path) as batch \(batch.id): \(batch.rowCount) \(importer.kind) row(s), \(batch.valueCount) value(s).")
        return ExitCode.success
    }
}
