import LIMSStore

/// `lims batch list|show ID|rematch ID`: the import batches (one per imported file) and what each wrote.
enum BatchCommands {
    static var batch: CommandSpec {
        CommandSpec(name: "batch", abstract: "List import batches and show what one imported.", subcommands: [list, show, rematch])
    }

    static let list = CommandSpec(
        name: "list", abstract: "List import batches (newest last).",
        options: [.flag("active", help: "Only active batches (not replaced)."), FormatOption.table],
        examples: ["lims batch list --format csv"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            var table = ResultTable(columns: ["id", "kind", "file", "format", "instrument", "operator", "imported_at", "rows",
                                              "values", "samples", "qc", "censored", "unmatched", "status", "replaces"])
            table.rows = try store.batches(includeReplaced: !invocation.flag("active")).map { b in
                [.integer(b.id), .text(b.kind), .text(b.fileName), .text(b.format), .optionalText(b.instrument),
                 .text(b.operatorName), .text(b.importedAt), .integer(Int64(b.rowCount)), .integer(Int64(b.valueCount)),
                 .integer(Int64(b.sampleCount)), .integer(Int64(b.qcCount)), .integer(Int64(b.censoredCount)),
                 .integer(Int64(b.unmatchedCount)), .text(b.status), b.replacesBatchID.map(Cell.integer) ?? .null]
            }
            return RegistryCommands.emit(table, invocation, noun: "import batches")
        })

    static let show = CommandSpec(
        name: "show", abstract: "Show one import batch: file, counts, QC rows, unmatched names, warnings.",
        arguments: [ArgumentSpec(name: "id", help: "The batch id (see lims batch list).")],
        examples: ["lims batch show 3"],
        run: { invocation in
            guard let text = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<id>'.") }
            guard let id = Int64(text) else { throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a batch number.") }
            let store = try invocation.openStore(readOnly: true)
            guard let batch = try store.batch(id: id) else {
                throw StoreError.notFound(kind: "import batch", key: text, suggestions: [])
            }
            try store.batchReport(batch).forEach { invocation.console.out($0) }
            return ExitCode.success
        })
}

// MARK: rematch (link names kept by --allow-unmatched to samples registered since)

extension BatchCommands {
    static let rematch = CommandSpec(
        name: "rematch", abstract: "Link a batch's unmatched names to samples registered or aliased since.",
        discussion: """
            After lims import results --allow-unmatched, values of names that matched no sample are kept
            with sample_id empty. Register the samples (or add aliases) and run this: the names are matched
            again as on import (code, alias, loose, dilution suffix), linked in one transaction with one
            audit row, and the rest listed. A name whose values were imported as the other matrix (solid
            vs solution) is not linked: re-import the file with --replace.
            """,
        arguments: [ArgumentSpec(name: "id", help: "The batch id (see lims batch list).")],
        options: [.flag("dry-run", help: "Show what would be linked and write nothing.")],
        examples: ["lims batch rematch 3 --dry-run", "lims batch rematch 3"],
        run: { invocation in
            guard let text = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<id>'.") }
            guard let id = Int64(text) else { throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a batch number.") }
            let summary = try invocation.openStore().rematchBatch(id: id, dryRun: invocation.flag("dry-run"))
            summary.lines().forEach { invocation.console.out($0) }
            return ExitCode.success
        })
}
