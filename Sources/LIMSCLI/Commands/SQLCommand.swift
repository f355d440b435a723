import LIMSStore

/// `lims sql "SELECT …"`: one read-only statement for power users. The database is opened
/// read-only (and `query_only`), and a statement that would write is refused before it runs.
enum SQLCommand {
    static let sql = CommandSpec(
        name: "sql", abstract: "Run one read-only SQL statement (SELECT, WITH, EXPLAIN …); writes are refused.",
        discussion: "Changes go through the lims commands, which keep the audit log. Tables: 'lims status'.",
        arguments: [ArgumentSpec(name: "statement", help: "The SQL statement (quote it for the shell).")],
        options: [FormatOption.table],
        examples: ["lims sql \"SELECT analyte, count(*) FROM measurement GROUP BY analyte\" --format csv"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let rows = try store.readOnlyQuery(invocation.argument(0) ?? "")
            return try QueryCommands.emit(rows, invocation, noun: "rows")
        })
}
