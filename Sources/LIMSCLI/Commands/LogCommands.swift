import LIMSStore

/// `lims log`: who changed what, when and why (the append-only audit log).
enum LogCommands {
    static let log = CommandSpec(
        name: "log", abstract: "Show the audit log: every change (registration, import, correction) with operator and reason.",
        options: [
            .value("sample", "code", help: "Only entries about this sample (and its results)."),
            .value("since", "date", help: "Only entries on or after this date (YYYY-MM-DD)."),
            .value("until", "date", help: "Only entries on or before this date (YYYY-MM-DD)."),
            .value("table", "name", help: "Only changes to this table, e.g. measurement or sample."),
            .value("action", "action", help: "Only this action: insert, update, correct, retire, import, replace …"),
            .value("by", "operator", help: "Only changes made by this operator."),
            .value("record", "id", help: "Only entries about this record id (with --table)."),
            FormatOption.table,
        ],
        examples: ["lims log --sample C1-S", "lims log --since 2026-01-01 --action correct --format csv"],
        run: { invocation in
            var filter = AuditFilter()
            filter.sampleCode = invocation.value("sample")
            filter.since = try invocation.date("since")
            filter.until = try invocation.date("until")
            if let since = filter.since, let until = filter.until, since > until {
                throw invocation.usageError("--since \(since) is after --until \(until).")
            }
            filter.table = invocation.value("table")
            filter.action = invocation.value("action")
            filter.operatorName = invocation.value("by")
            filter.recordID = try invocation.int("record").map(Int64.init)
            let store = try invocation.openStore(readOnly: true)
            return try QueryCommands.emit(try store.queryAudit(filter), invocation, noun: "log entries")
        })
}
