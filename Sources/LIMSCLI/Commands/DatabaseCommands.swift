import Foundation
import LIMSStore

/// `lims init`, `lims migrate`, `lims status`.
enum DatabaseCommands {
    static let initCommand = CommandSpec(
        name: "init",
        abstract: "Create the database, or upgrade it to this lims's schema (safe to repeat).",
        examples: ["lims --db study.sqlite init", "lims --db postgresql://lims@labserver/tailings init"],
        run: { invocation in
            // Known before opening: opening a SQLite path creates the file.
            let fileExisted = FileManager.default.fileExists(atPath: invocation.databasePath)
            let db = try Database(path: invocation.databasePath)
            let path = db.path
            let migrator = DatabaseMigrator()
            let existed = db.engine == .sqlite ? fileExisted : try migrator.currentVersion(of: db) > 0
            let applied = try migrator.migrate(db)
            let version = try migrator.currentVersion(of: db)
            if applied.isEmpty {
                invocation.console.out("\(path): already at schema version \(version); nothing to do.")
            } else {
                let verb = existed ? "Upgraded" : "Created"
                invocation.console.out("\(verb) \(path): applied \(applied.map(\.fileName).joined(separator: ", ")); schema version \(version).")
            }
            return ExitCode.success
        })

    static let migrate = CommandSpec(
        name: "migrate",
        abstract: "List the schema migrations and which are applied, or apply the pending ones.",
        options: [.flag("list", help: "Only list migrations (applied and pending); change nothing.")],
        run: { invocation in
            let path = invocation.databasePath
            guard invocation.databaseIsServer || FileManager.default.fileExists(atPath: path) else {
                throw StoreError.noDatabase(path: path)
            }
            let db = try Database(path: path, mode: invocation.flag("list") ? .readOnly : .readWrite)
            let migrator = DatabaseMigrator()
            if invocation.flag("list") {
                let applied = Dictionary(uniqueKeysWithValues: try migrator.applied(in: db).map { ($0.id, $0) })
                var table = ResultTable(columns: ["id", "migration", "status", "applied_at"])
                for migration in migrator.migrations {
                    let done = applied[migration.id]
                    table.rows.append([.integer(Int64(migration.id)), .text(migration.fileName),
                                       .text(done == nil ? "pending" : "applied"), .optionalText(done?.appliedAt)])
                }
                for (id, done) in applied where id > migrator.latestVersion {
                    table.rows.append([.integer(Int64(id)), .text(done.name), .text("unknown to this lims"), .text(done.appliedAt)])
                }
                invocation.console.write(table.renderText())
                return ExitCode.success
            }
            let applied = try migrator.migrate(db)
            invocation.console.out(applied.isEmpty ? "No pending migrations."
                                   : "Applied \(applied.map(\.fileName).joined(separator: ", ")).")
            return ExitCode.success
        })

    static let status = CommandSpec(
        name: "status",
        abstract: "Show the database path, schema version and the number of rows in each table.",
        options: [FormatOption.table],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let version = try DatabaseMigrator().currentVersion(of: store.db)
            var table = ResultTable(columns: ["table", "rows"])
            table.rows = try store.tableCounts().map { [.text($0.table), .integer(Int64($0.count))] }
            if invocation.outputFormat == .table {
                invocation.console.out("database: \(store.path)")
                invocation.console.out("schema version: \(version)")
                invocation.console.out("")
            }
            invocation.console.write(invocation.outputFormat.render(table))
            return ExitCode.success
        })
}
