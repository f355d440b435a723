import Foundation
import LIMSStore

/// `lims check`, `lims backup`, `lims restore`: keeping the lab's only copy of its data safe.
enum MaintenanceCommands {
    static var all: [CommandSpec] { [check, backup, restore] }

    static let check = CommandSpec(
        name: "check",
        abstract: "Check the database: integrity, foreign keys, schema, orphans, ranges, audit chain, values, imported files.",
        discussion: """
            Reads only; safe while others import. Exit 0 when everything is in order, 1 with the
            list of problems otherwise. With --file, each file must still have the content (SHA-256)
            of the import batch that names it.
            """,
        options: [.value("file", "path", help: "An imported file to compare with its import batch.", repeatable: true)],
        examples: ["lims check", "lims check --file runs/2019-03-14_icpms.csv"],
        run: { invocation in
            guard invocation.databaseIsServer || FileManager.default.fileExists(atPath: invocation.databasePath) else {
                throw StoreError.noDatabase(path: invocation.databasePath)
            }
            let db = try Database(path: invocation.databasePath, mode: .readOnly)
            let path = db.path
            let files = invocation.values("file").map { URL(fileURLWithPath: invocation.absolute($0)) }
            let report = try IntegrityCheck(files: files).run(on: db)
            let console = invocation.console
            console.out("database: \(path)")
            console.out("schema version: \(report.schemaVersion)")
            console.out("")
            let descriptions: [IntegrityProblem.Check: String] = [
                .integrity: db.engine == .sqlite ? "SQLite integrity check of every page and index"
                    : "(PostgreSQL keeps its own pages)",
                .foreignKeys: db.engine == .sqlite ? "every reference points at an existing record"
                    : "(PostgreSQL enforces every reference)",
                .schema: "schema version and migration texts known to this lims",
                .orphans: "lineage loops, replaced batches, superseded values, empty fits",
                .ranges: "values inside physical ranges",
                .files: files.isEmpty ? "no --file given" : (report.notes[.files] ?? ""),
                .audit: "audit log hash chain unbroken, append-only triggers present",
                .values: "stored values = original value × unit × oxide × dilution factor",
            ]
            var table = ResultTable(columns: ["check", "result", "what"])
            for check in IntegrityProblem.Check.allCases {
                let found = report.problems(of: check)
                let count = found.filter { !$0.message.hasPrefix("… and") }.count
                let truncated = count < found.count
                let result = count == 0 ? (check == .files && files.isEmpty ? "-" : "ok")
                    : count == 1 ? "1 problem" : "\(count)\(truncated ? "+" : "") problems"
                table.rows.append([.text(check.rawValue), .text(result), .text(descriptions[check] ?? "")])
            }
            console.write(table.renderText())
            if report.isHealthy {
                console.out("")
                console.out("No problems found.")
                return ExitCode.success
            }
            console.out("")
            console.out("Problems:")
            report.problems.forEach { console.out("  \($0)") }
            console.err("Error: \(report.problems.count) problem(s) found in \(path)")
            return ExitCode.failure
        })

    static let backup = CommandSpec(
        name: "backup",
        abstract: "Copy the database to a backup file with SQLite's online backup (safe while others write).",
        discussion: """
            The copy is consistent even while other lims processes import: it is written to a
            temporary file beside PATH, checked, and renamed to PATH only when complete. Beside it,
            PATH.manifest.json records the file's SHA-256 and the rows of every table; 'lims restore'
            checks the backup against it.
            """,
        arguments: [ArgumentSpec(name: "path", help: "The backup file to write.")],
        options: [.flag("force", help: "Replace PATH if it exists.")],
        examples: ["lims backup backups/lims-2019-03-14.sqlite"],
        run: { invocation in
            try refuseServer(invocation, "backup")
            let path = invocation.databasePath
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noDatabase(path: path) }
            let source = try Database(path: path, mode: .readOnly)
            if try DatabaseMigrator().currentVersion(of: source) == 0 { throw StoreError.noDatabase(path: path) }
            let destination = try invocation.checkedOutputPath(invocation.argument(0)!, option: "<path>")
            try invocation.checkedOutputPath(BackupManifest.path(forBackup: destination), option: "<path>")
            let console = invocation.console
            let progress = ProgressLine("backup", unit: .items("pages"), total: nil, console: console)
            let summary = try DatabaseBackup(overwrite: invocation.flag("force")).backup(from: source, to: destination) {
                remaining, total in
                if remaining == 0 { progress.finish(Double(total), total: Double(total)) }
                else { progress.update(Double(total - remaining), total: Double(total)) }
            }
            console.out("Backed up \(path) to \(summary.destination): \(summary.pages) pages of \(summary.pageSize) bytes "
                        + "(\(summary.bytes) bytes), schema version \(summary.schemaVersion); "
                        + "manifest \(BackupManifest.path(forBackup: summary.destination)).")
            if summary.restarts > 0 {
                console.err("note: other processes wrote during the backup; it restarted \(summary.restarts) time(s) to stay consistent")
            }
            return ExitCode.success
        })

    static let restore = CommandSpec(
        name: "restore",
        abstract: "Replace the database with a backup, after verifying the backup.",
        discussion: """
            The backup must pass SQLite's integrity check and foreign-key check and have a schema
            version this lims knows, and match its manifest PATH.manifest.json (SHA-256 of the file,
            rows per table) written by 'lims backup'; otherwise nothing is changed. An existing
            database is replaced only with --force. The restore is one transaction: interrupted, it
            leaves the old database.
            """,
        arguments: [ArgumentSpec(name: "path", help: "The backup file to restore from.")],
        options: [.flag("force", help: "Replace an existing database."),
                  .flag("without-manifest", help: "Restore a backup that has no manifest (SQLite's checks only).")],
        examples: ["lims restore backups/lims-2019-03-14.sqlite --force"],
        run: { invocation in
            try refuseServer(invocation, "restore")
            let target = invocation.databasePath
            let backupPath = invocation.absolute(invocation.argument(0)!)
            let summary = try DatabaseRestore(overwrite: invocation.flag("force"),
                                              requireManifest: !invocation.flag("without-manifest"))
                .restore(from: backupPath, to: target)
            invocation.console.out("Restored \(target) from \(summary.source): \(summary.pages) pages, "
                                   + "schema version \(summary.schemaVersion).")
            let latest = DatabaseMigrator().latestVersion
            if summary.schemaVersion < latest {
                invocation.console.err("note: the backup has schema version \(summary.schemaVersion); "
                                       + "upgrade it to \(latest) with `lims --db \(target) init`")
            }
            return ExitCode.success
        })

    /// Backup and restore copy SQLite files page by page; a PostgreSQL database is copied with
    /// `lims copy` (to a SQLite file and back) or with the server's own pg_dump.
    static func refuseServer(_ invocation: Invocation, _ command: String) throws {
        guard invocation.databaseIsServer else { return }
        let example = command == "backup" ? "lims --db \(invocation.databaseName) copy --to backup.sqlite"
            : "lims copy --from backup.sqlite --to \(invocation.databaseName)"
        throw StoreError.invalidValue(field: "--db", value: invocation.databaseName,
                                      expected: "a SQLite file: `lims \(command)` copies SQLite files; for a PostgreSQL "
                                        + "database use `\(example)` or the server's pg_dump/pg_restore; nothing was written")
    }
}
