import LIMSStore

/// `lims qc-rules list|add|remove|enable`: how rows of an instrument run are told to be QC by name.
enum QCRuleCommands {
    static var group: CommandSpec {
        CommandSpec(name: "qc-rules", abstract: "List and extend the rules that tell QC rows (blanks, standards, CRMs …) by name.",
                    discussion: """
                        Rules are tried in ascending priority; the first that matches the label (or the
                        instrument's type column) decides the QC type. Built-in rules can be disabled, not
                        deleted. After the rules: a label naming a concentration (930ppb) is a calibration
                        standard, and a duplicate suffix (X-12 DUP) a duplicate. Other rows are samples.
                        """,
                    subcommands: [list, add, remove, enable])
    }

    static let list = CommandSpec(
        name: "list", abstract: "List the QC rules in the order they are tried.",
        options: [.flag("all", help: "Also disabled rules."), FormatOption.table],
        examples: ["lims qc-rules list", "lims qc-rules list --all --format csv"],
        run: { invocation in
            let rules = try invocation.openStore(readOnly: true).qcNameRules(includeDisabled: invocation.flag("all"))
            var table = ResultTable(columns: ["id", "priority", "applies_to", "match", "pattern", "qc_type", "crm", "builtin", "enabled", "note"])
            table.rows = rules.map {
                [.integer($0.id), .integer(Int64($0.priority)), .text($0.appliesTo.rawValue), .text($0.matchKind.rawValue),
                 .text($0.pattern), .text($0.qcType), .text($0.isCRM ? "yes" : "no"), .text($0.builtin ? "yes" : "no"),
                 .text($0.enabled ? "yes" : "no"), .optionalText($0.note)]
            }
            return RegistryCommands.emit(table, invocation, noun: "QC rules")
        })

    static let add = CommandSpec(
        name: "add", abstract: "Add a rule: labels matching PATTERN become QC rows of TYPE.",
        arguments: [ArgumentSpec(name: "pattern", help: "Text to look for, e.g. LFB, QC-, 'Lab Blank' (case ignored).")],
        options: [
            .value("type", "type", help: "QC type: " + QCNameRule.qcTypes.joined(separator: ", ") + " (required unless --crm).",
                   choices: QCNameRule.qcTypes),
            .value("match", "kind", help: "How PATTERN matches: word (default), exact, prefix, suffix or contains.",
                   choices: QCNameRule.MatchKind.allCases.map(\.rawValue)),
            .flag("crm", help: "A certified reference material (the label is kept as the CRM name); same as --type crm."),
            .value("applies-to", "field", help: "label (default) or type (the instrument's sample-type column).", choices: ["label", "type"]),
            .value("priority", "n", help: "0-1000, lower is tried first (default 25: after DNU and the type column, before built-in label rules)."),
            .value("note", "text", help: "Why the rule exists."),
        ],
        examples: ["lims qc-rules add LFB --type spike", "lims qc-rules add 'JSd-' --match prefix --crm",
                   "lims qc-rules add 'Lab Blank' --type blank --match exact"],
        run: { invocation in
            guard let pattern = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<pattern>'.") }
            var type = invocation.value("type")
            if invocation.flag("crm") {
                if let type, type != "crm" { throw invocation.usageError("--crm makes a CRM rule; it cannot be given with --type \(type).") }
                type = "crm"
            }
            guard let type else { throw invocation.usageError("Missing expected option '--type <type>' (or --crm).") }
            let priority = try invocation.int("priority") ?? QCNameRule.defaultLabPriority
            let rule = QCNameRule(pattern: pattern, matchKind: QCNameRule.MatchKind(rawValue: invocation.value("match") ?? "word") ?? .word,
                                  appliesTo: QCNameRule.Field(rawValue: invocation.value("applies-to") ?? "label") ?? .label,
                                  qcType: type, priority: priority, note: invocation.value("note"))
            let added = try invocation.openStore().addQCNameRule(rule)
            invocation.console.out("Added QC rule \(added.id): \(added.summary) (priority \(added.priority)).")
            return ExitCode.success
        })

    static let remove = CommandSpec(
        name: "remove", abstract: "Remove a lab rule; a built-in rule is disabled instead.",
        arguments: [ArgumentSpec(name: "id", help: "The rule id (see lims qc-rules list).")],
        examples: ["lims qc-rules remove 76"],
        run: { invocation in
            let id = try ruleID(invocation)
            switch try invocation.openStore().removeQCNameRule(id: id) {
            case .deleted(let rule): invocation.console.out("Removed QC rule \(rule.id): \(rule.summary).")
            case .disabled(let rule):
                invocation.console.out("Disabled built-in QC rule \(rule.id): \(rule.summary) (built-in rules are not deleted; lims qc-rules enable \(rule.id) restores it).")
            }
            return ExitCode.success
        })

    static let enable = CommandSpec(
        name: "enable", abstract: "Enable a disabled rule again.",
        arguments: [ArgumentSpec(name: "id", help: "The rule id (see lims qc-rules list --all).")],
        examples: ["lims qc-rules enable 12"],
        run: { invocation in
            let rule = try invocation.openStore().enableQCNameRule(id: try ruleID(invocation))
            invocation.console.out("Enabled QC rule \(rule.id): \(rule.summary).")
            return ExitCode.success
        })

    static func ruleID(_ invocation: Invocation) throws -> Int64 {
        guard let text = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<id>'.") }
        guard let id = Int64(text) else { throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a rule number (see lims qc-rules list).") }
        return id
    }
}
