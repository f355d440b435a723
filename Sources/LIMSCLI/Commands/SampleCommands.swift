import LIMSStore

/// `lims sample add|list|show|edit|retire|alias`.
enum SampleCommands {
    static var sample: CommandSpec {
        CommandSpec(name: "sample", abstract: "Register, list, show, correct and retire samples and sub-samples.",
                    subcommands: [add, list, show, edit, retire, alias])
    }

    static let add = CommandSpec(
        name: "add", abstract: "Register a sample (field sample on a plot, or a sub-sample of a parent).",
        options: [
            .value("code", "code", help: "Unique sample code (required)."),
            .value("plot", "code", help: "Plot the sample was taken from (field samples)."),
            .value("parent", "code", help: "Parent sample (sub-samples, fractions, extracts)."),
            .value("type", "type", help: "Sample type: bulk, block, pit_layer, subsample, size_fraction, extract, leachate, solution, other (default: bulk)."),
            .value("depth", "top-bottom", help: "Depth interval in cm, e.g. 0-10."),
            .value("collected-on", "date", help: "Collection date (YYYY-MM-DD)."),
            .value("mass", "g", help: "Mass in g."),
            .value("description", "text", help: "Colour, structure, roots, stones ..."),
        ],
        examples: ["lims sample add --code C1-S --plot C1 --type bulk --depth 0-10 --collected-on 2018-07-10 --mass 850"],
        run: { invocation in
            let store = try invocation.openStore()
            let depth = try invocation.value("depth").map { try parseDepth($0, invocation) }
            let sample = try store.addSample(Sample(
                code: try invocation.required("code"), plotCode: invocation.value("plot"),
                parentCode: invocation.value("parent"), type: invocation.value("type") ?? "bulk",
                depthTopCm: depth?.top, depthBottomCm: depth?.bottom,
                collectedOn: try invocation.date("collected-on"), massG: try invocation.double("mass", unit: "g"),
                description: invocation.value("description")))
            invocation.console.out("Added sample \(sample.code) (\(sample.type)) to plot \(sample.plotCode ?? "-").")
            return ExitCode.success
        })

    static let list = CommandSpec(
        name: "list", abstract: "List samples, filtered by treatment, plot, site or type.",
        options: [
            .value("treatment", "code", help: "Only samples of this treatment.", repeatable: true),
            .value("plot", "code", help: "Only samples of this plot."),
            .value("site", "code", help: "Only samples of this site."),
            .value("type", "type", help: "Only samples of this type."),
            .flag("include-retired", help: "Also list retired samples."),
            FormatOption.table,
        ],
        examples: ["lims sample list --treatment ramie --format csv"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let samples = try store.samples(SampleFilter(
                treatmentCodes: invocation.values("treatment"), plotCode: invocation.value("plot"),
                siteCode: invocation.value("site"), type: invocation.value("type"),
                includeRetired: invocation.flag("include-retired")))
            var table = ResultTable(columns: ["code", "type", "treatment", "plot", "parent", "depth_top_cm",
                                              "depth_bottom_cm", "collected_on", "mass_g"])
            table.rows = samples.map {
                [.text($0.code), .text($0.type), .optionalText($0.treatmentCode), .optionalText($0.plotCode),
                 .optionalText($0.parentCode), .number($0.depthTopCm), .number($0.depthBottomCm),
                 .optionalText($0.collectedOn), .number($0.massG)]
            }
            return RegistryCommands.emit(table, invocation, noun: "samples")
        })

    /// "0-10" → (0, 10). A usage error otherwise.
    static func parseDepth(_ text: String, _ invocation: Invocation) throws -> (top: Double, bottom: Double) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let top = DecimalNumber.double(parts[0].trimmingCharacters(in: .whitespaces)),
              let bottom = DecimalNumber.double(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw invocation.usageError("The value '\(text)' is invalid for '--depth'; expected top-bottom in cm, e.g. 0-10.")
        }
        return (top, bottom)
    }

    // MARK: show, edit, retire (the sample's story and its corrections)

    static let show = CommandSpec(
        name: "show", abstract: "The sample's whole story: plot, lineage, preparation, results, QC, history.",
        arguments: [ArgumentSpec(name: "code", help: "The sample code.")],
        options: [
            .flag("all-versions", help: "Also superseded and retired results."),
            .value("format", "format", help: "Output format: table or json (default: table).", choices: ["table", "json"]),
        ],
        examples: ["lims sample show C1-S"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let story = try store.sampleStory(code: invocation.argument(0)!, allVersions: invocation.flag("all-versions"))
            invocation.console.write(invocation.outputFormat == .json ? SampleStoryText.json(story) : SampleStoryText.text(story))
            return ExitCode.success
        })

    static let edit = CommandSpec(
        name: "edit", abstract: "Correct a sample's record; old values stay in the audit log with the reason.",
        arguments: [ArgumentSpec(name: "code", help: "The sample code.")],
        options: [
            .value("plot", "code", help: "New plot."),
            .value("parent", "code", help: "New parent sample."),
            .value("type", "type", help: "New sample type."),
            .value("depth", "top-bottom", help: "New depth interval in cm, e.g. 0-10."),
            .value("collected-on", "date", help: "New collection date (YYYY-MM-DD)."),
            .value("mass", "g", help: "New mass in g."),
            .value("description", "text", help: "New description ('' clears it)."),
            ResultCommands.reasonOption,
        ],
        examples: ["lims sample edit C1-S --depth 0-15 --reason 'field sheet says 0-15 cm'"],
        run: { invocation in
            let code = invocation.argument(0)!
            let depth = try invocation.value("depth").map { text -> DepthRange in
                let parsed = try parseDepth(text, invocation)
                return try DepthRange(top: parsed.top, bottom: parsed.bottom)
            }
            let edit = SampleEdit(plotCode: invocation.value("plot"), parentCode: invocation.value("parent"),
                                  type: invocation.value("type"), depth: depth,
                                  collectedOn: try invocation.date("collected-on"),
                                  massG: try invocation.double("mass", unit: "g"), description: invocation.value("description"))
            if edit.isEmpty {
                throw invocation.usageError("Nothing to change: give at least one of --plot, --parent, --type, --depth, "
                                            + "--collected-on, --mass, --description.")
            }
            let reason = try invocation.required("reason")
            let store = try invocation.openStore()
            try store.editSample(code: code, edit, reason: reason)
            let entry = try store.auditEntries(sampleID: try store.requireSample(code: code).id).last
            invocation.console.out((entry?.summary ?? "sample \(code) edited").prefix(1).uppercased()
                                   + (entry?.summary ?? "sample \(code) edited").dropFirst() + ".")
            return ExitCode.success
        })

    static let retire = CommandSpec(
        name: "retire", abstract: "Retire a sample (lost, contaminated, used up); its records stay, queries skip it.",
        arguments: [ArgumentSpec(name: "code", help: "The sample code.")],
        options: [ResultCommands.reasonOption],
        examples: ["lims sample retire C1-S-G --reason 'jar broken, material lost'"],
        run: { invocation in
            let code = invocation.argument(0)!
            let reason = try invocation.required("reason")
            let sample = try invocation.openStore().retireSample(code: code, reason: reason)
            invocation.console.out("Retired sample \(sample.code) at \(sample.retiredAt ?? "?").")
            return ExitCode.success
        })
}

// MARK: alias (other names of a sample, as instruments write them)

extension SampleCommands {
    static var alias: CommandSpec {
        CommandSpec(name: "alias", abstract: "Other names of a sample as instruments write them, used when importing results.",
                    discussion: """
                        An import matches an instrument's sample name to the exact code first, then to an alias
                        (case and runs of spaces ignored), then to a code loosely, then the same without a dilution
                        suffix (X x10, X 10x, X_10X, X DF10, X (1:10)). After adding aliases, lims batch rematch N links
                        names a batch kept with --allow-unmatched.
                        """,
                    subcommands: [aliasAdd, aliasList, aliasRemove])
    }

    static let aliasAdd = CommandSpec(
        name: "add", abstract: "Add ALIAS as another name of sample CODE.",
        arguments: [ArgumentSpec(name: "code", help: "The sample code."),
                    ArgumentSpec(name: "alias", help: "The name as the instrument writes it.")],
        options: [.value("note", "text", help: "Where the name comes from (e.g. 'ICP run sheet 2019-03').")],
        examples: ["lims sample alias add C1-S 'Tail C1 surf'"],
        run: { invocation in
            guard let code = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<code>'.") }
            guard let name = invocation.argument(1) else { throw invocation.usageError("Missing expected argument '<alias>'.") }
            let alias = try invocation.openStore().addSampleAlias(code: code, alias: name, note: invocation.value("note"))
            invocation.console.out("Added alias \"\(alias.alias)\" of sample \(alias.sampleCode).")
            return ExitCode.success
        })

    static let aliasList = CommandSpec(
        name: "list", abstract: "List aliases (of one sample, or all).",
        arguments: [ArgumentSpec(name: "code", help: "Only the aliases of this sample.", optional: true)],
        options: [FormatOption.table],
        examples: ["lims sample alias list", "lims sample alias list C1-S --format csv"],
        run: { invocation in
            let aliases = try invocation.openStore(readOnly: true).sampleAliases(code: invocation.argument(0))
            var table = ResultTable(columns: ["alias", "sample", "note", "operator", "created_at"])
            table.rows = aliases.map { [.text($0.alias), .text($0.sampleCode), .optionalText($0.note), .optionalText($0.operatorName), .text($0.createdAt)] }
            return RegistryCommands.emit(table, invocation, noun: "aliases")
        })

    static let aliasRemove = CommandSpec(
        name: "remove", abstract: "Remove an alias (values already linked through it stay linked).",
        arguments: [ArgumentSpec(name: "alias", help: "The alias.")],
        examples: ["lims sample alias remove 'Tail C1 surf'"],
        run: { invocation in
            guard let name = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<alias>'.") }
            let removed = try invocation.openStore().removeSampleAlias(name)
            invocation.console.out("Removed alias \"\(removed.alias)\" of sample \(removed.sampleCode).")
            return ExitCode.success
        })
}
