import LIMSStore

/// `lims result correct|retire|history`: corrections of measured values that keep the old
/// value (superseded, with a pointer to its replacement) and record who, when and why.
enum ResultCommands {
    static var result: CommandSpec {
        CommandSpec(name: "result", abstract: "Correct or retire a measured value (the old one stays in history).",
                    subcommands: [correct, retire, history])
    }

    static let idArgument = ArgumentSpec(name: "id", help: "The result id (first column of 'lims query results').")
    static let reasonOption = OptionSpec.value("reason", "text", help: "Why (required; kept in the audit log).")

    static let correct = CommandSpec(
        name: "correct", abstract: "Replace a value by a corrected one; the old one is kept as superseded.",
        arguments: [idArgument],
        options: [
            .value("value", "value", help: "The corrected value: 12.5, <0.05 (below DL 0.05), >500, nd, nm or na (required)."),
            .value("unit", "unit", help: "Unit of --value if not the stored one (converted, e.g. ppb → mg/L)."),
            .value("qualifier", "q", help: "Qualifier, if not written in --value.", choices: ["=", "<", ">", "nd", "nm", "na"]),
            .value("detection-limit", "dl", help: "Detection limit (default: the stored one)."),
            reasonOption,
        ],
        examples: ["lims result correct 1234 --value 41.7 --reason 'transcription error: 417 typed for 41.7'"],
        run: { invocation in
            let id = try parseID(invocation)
            let store = try invocation.openStore()
            let old = try store.requireResult(id: id)
            let new = try store.correctResult(
                id: id, value: try invocation.required("value"), unit: invocation.value("unit"),
                qualifier: invocation.value("qualifier"),
                detectionLimit: try invocation.double("detection-limit"), reason: try invocation.required("reason"))
            invocation.console.out("Corrected result \(id) (\(old.analyte) of \(old.sampleCode ?? "?")): "
                                   + "\(old.reported) → \(new.reported); the new result is \(new.id).")
            return ExitCode.success
        })

    static let retire = CommandSpec(
        name: "retire", abstract: "Withdraw a value (e.g. contaminated); it stays in history, queries skip it.",
        arguments: [idArgument], options: [reasonOption],
        examples: ["lims result retire 1234 --reason 'digest contaminated (blank 10x DL)'"],
        run: { invocation in
            let id = try parseID(invocation)
            let store = try invocation.openStore()
            let reason = try invocation.required("reason")
            try store.retireResult(id: id, reason: reason)
            let result = try store.requireResult(id: id)
            invocation.console.out("Retired result \(id) (\(result.analyte) of \(result.sampleCode ?? "?"), \(result.reported)).")
            return ExitCode.success
        })

    static let history = CommandSpec(
        name: "history", abstract: "Every version of a value, oldest first, with the audit entries that made them.",
        arguments: [idArgument], options: [FormatOption.table],
        run: { invocation in
            let id = try parseID(invocation)
            let store = try invocation.openStore(readOnly: true)
            let versions = try store.resultHistory(id: id)
            var table = ResultTable(columns: ["id", "sample", "analyte", "value", "unit", "detection_limit", "status",
                                              "superseded_by", "changed_at", "operator", "reason"])
            for version in versions {
                var filter = AuditFilter()
                filter.table = "measurement"
                filter.recordID = version.id
                let entry = try store.queryAudit(filter).collect().rows.last
                let column = { (name: String) -> Cell in
                    guard let entry, let index = ["id", "at", "operator", "action", "table", "record", "sample", "batch",
                                                  "summary", "reason"].firstIndex(of: name) else { return .null }
                    return entry[index]
                }
                table.rows.append([
                    .integer(version.id), .optionalText(version.sampleCode), .text(version.analyte),
                    ReportedValue.cell(value: version.value, qualifier: version.qualifier, detectionLimit: version.detectionLimit),
                    .optionalText(version.unit), .number(version.detectionLimit), .text(version.status),
                    version.supersededBy.map(Cell.integer) ?? .null, column("at"), column("operator"), column("reason"),
                ])
            }
            invocation.console.write(invocation.outputFormat.render(table))
            return ExitCode.success
        })

    static func parseID(_ invocation: Invocation) throws -> Int64 {
        let text = invocation.argument(0) ?? ""
        guard let id = Int64(text), id > 0 else {
            throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a result id (a whole number).")
        }
        return id
    }
}
