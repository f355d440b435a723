import LIMSStore

/// `lims template [KIND] [--describe]`: the CSV templates of the lab sheets and of the
/// instrument-neutral results sheet, printed from the same column lists the importers read.
enum TemplateCommands {
    /// Every template: the sheet kinds, then `results`.
    static var templates: [(kind: String, summary: String, columns: [SheetColumn])] {
        SheetRegistry.all.map { ($0.kind, $0.summary, $0.columns) }
            + [("results", "Instrument-neutral results, one value per row (lims import results --format long).",
                LongResultsTemplate.columns),
               ("crm", "Certified reference material values, one per CRM and analyte (lims crm import).", CRMCatalog.columns)]
    }

    static var template: CommandSpec {
        CommandSpec(
            name: "template",
            abstract: "Print the CSV template of a lab sheet (header + example row), or list the kinds.",
            discussion: "Without KIND: the kinds. With --describe: what goes in each column (* = required).",
            arguments: [ArgumentSpec(name: "kind", help: "The sheet kind (see 'lims template').", optional: true)],
            options: [.flag("describe", help: "Describe the columns instead of printing the CSV template.")],
            examples: ["lims template", "lims template samples > samples.csv", "lims template properties --describe"],
            run: { invocation in
                guard let kind = invocation.argument(0) else {
                    let width = templates.map(\.kind.count).max() ?? 0
                    invocation.console.out("Templates (lims template KIND prints one; lims import KIND FILE reads it):")
                    for entry in templates {
                        invocation.console.out("  " + entry.kind.padding(toLength: width, withPad: " ", startingAt: 0)
                                               + "  " + entry.summary)
                    }
                    invocation.console.out("  import-profile  A profile sheet for other instruments (lims import-profile add NAME --from FILE).")
                    return ExitCode.success
                }
                if kind == "import-profile" {
                    // Not a column sheet: key,value rows, each explained in a comment.
                    invocation.console.write(ImportProfileTemplate.text)
                    return ExitCode.success
                }
                guard let entry = templates.first(where: { $0.kind == kind }) else {
                    let hint = Suggestions.closest(to: kind, among: templates.map(\.kind)).first.map { " Did you mean '\($0)'?" } ?? ""
                    throw invocation.usageError("Unknown template '\(kind)'.\(hint) Known: "
                                                + templates.map(\.kind).joined(separator: ", ") + ".")
                }
                if invocation.flag("describe") {
                    invocation.console.out("\(entry.kind): \(entry.summary)")
                    let width = entry.columns.map(\.name.count).max() ?? 0
                    for column in entry.columns {
                        let name = column.name + (column.required ? "*" : "")
                        invocation.console.out("  " + name.padding(toLength: width + 1, withPad: " ", startingAt: 0)
                                               + "  " + column.help
                                               + (column.example.isEmpty ? "" : " (e.g. \(column.example))"))
                    }
                    invocation.console.out("* = required")
                } else {
                    invocation.console.out(entry.columns.map { CSVText.escape($0.name) }.joined(separator: ","))
                    invocation.console.out(entry.columns.map { CSVText.escape($0.example) }.joined(separator: ","))
                }
                return ExitCode.success
            })
    }
}
