import Foundation
import LIMSStore

/// `lims copy`: the whole database from one engine to the other (a lab moving to its server, or a
/// server's database saved as one SQLite file).
enum CopyCommands {
    static let copy = CommandSpec(
        name: "copy",
        abstract: "Copy the whole database between SQLite and PostgreSQL (either way, or file to file).",
        discussion: """
            Every table in foreign-key order, ids kept, in one transaction on the target: the copy is
            complete or not there at all. The target is created and migrated if needed and must hold
            no lab data (with --force a target SQLite file is replaced; empty a PostgreSQL target with
            DROP/CREATE DATABASE). Afterwards the rows of every table are counted on both sides and
            the target's audit chain is checked. --from defaults to --db / $LIMS_DB. A
            PostgreSQL database is named by its URL, postgresql://user@host[:port]/dbname; the
            password comes from $PGPASSWORD or ~/.pgpass and is never printed.
            """,
        options: [.value("from", "db", help: "The database to copy (a SQLite path or postgresql:// URL; default --db)."),
                  .value("to", "db", help: "The database to copy into (a SQLite path or postgresql:// URL)."),
                  .flag("force", help: "Replace an existing target SQLite file.")],
        examples: ["lims copy --from lims.sqlite --to postgresql://lims@labserver/tailings",
                   "lims --db postgresql://lims@labserver/tailings copy --to tailings-2026-03-01.sqlite"],
        run: { invocation in
            let from = invocation.value("from").map(invocation.location) ?? invocation.databasePath
            let to = invocation.location(try invocation.required("to"))
            if from == to { throw invocation.usageError("--from and --to name the same database (\(DatabaseLocation.redacted(to))).") }
            if !DatabaseLocation.isServerURL(from), !FileManager.default.fileExists(atPath: from) {
                throw StoreError.noDatabase(path: from)
            }
            if !DatabaseLocation.isServerURL(to), FileManager.default.fileExists(atPath: to) {
                guard invocation.flag("force") else {
                    throw invocation.usageError("The target '\(to)' exists; give --force to replace it, or choose a new file.")
                }
                for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: to + suffix) {
                    try FileManager.default.removeItem(atPath: to + suffix)
                }
            }
            let source = try Database(path: from, mode: .readOnly)
            let target = try Database(path: to)
            let summary = try DatabaseCopy().copy(from: source, to: target)
            let console = invocation.console
            var table = ResultTable(columns: ["table", "rows"])
            for count in summary.tables where count.rows > 0 {
                table.rows.append([.text(count.table), .integer(Int64(count.rows))])
            }
            console.write(table.renderText())
            console.out("")
            console.out("Copied \(summary.rows) rows in \(summary.tables.count) tables from \(summary.source) to \(summary.target); "
                        + "row counts match and the audit chain is unbroken.")
            return ExitCode.success
        })
}

extension Invocation {
    /// A database named on the command line: a server URL as it is, a file path made absolute.
    func location(_ text: String) -> String {
        DatabaseLocation.isServerURL(text) ? text : absolute(text)
    }
}
