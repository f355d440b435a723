import Foundation
import LIMSStore

/// `lims import KIND FILE` for lab sheets: one subcommand per kind in `SheetRegistry`.
enum SheetImportCommands {
    static var subcommands: [CommandSpec] { SheetRegistry.all.map(command(for:)) }

    static func command(for importer: any SheetImporter) -> CommandSpec {
        CommandSpec(
            name: importer.kind,
            abstract: importer.summary,
            discussion: """
                Columns (header row required, any order; 'lims template \(importer.kind) --describe' explains them):
                  \(importer.columns.map { $0.required ? "\($0.name)*" : $0.name }.joined(separator: ","))
                (* = required). One transaction per file: any error → nothing is written.
                The same file (by SHA-256) is refused a second time unless --replace.
                """,
            arguments: [ArgumentSpec(name: "file", help: "The CSV file (',', ';' or tab; UTF-8 or Windows-1252).")],
            options: [
                .flag("dry-run", help: "Check the file and print what would be written; write nothing."),
                .flag("replace", help: "Replace the earlier import of this file: update records by code, retire old values."),
                .value("delimiter", "char", help: "Field delimiter: ',', ';' or 'tab' (default: detected)."),
            ],
            examples: ["lims template \(importer.kind) > \(importer.kind).csv",
                       "lims import \(importer.kind) \(importer.kind).csv --dry-run",
                       "lims import \(importer.kind) \(importer.kind).csv --operator li.wei"],
            run: { invocation in try run(importer, invocation) })
    }

    static func run(_ importer: any SheetImporter, _ invocation: Invocation) throws -> Int32 {
        let path = invocation.argument(0)!
        let delimiter = try parseDelimiter(invocation)
        let store = try invocation.openStore()
        // A pipe, FIFO or '-' (stdin) is read once into a private copy, hashed as it is read.
        let input = try InputSource.open(path == "-" ? "-" : invocation.absolute(path), displayName: path == "-" ? "<stdin>" : path)
        defer { input.close() }
        var options = SheetImportOptions(dryRun: invocation.flag("dry-run"), replace: invocation.flag("replace"),
                                         delimiter: delimiter, displayName: input.displayName)
        let progress = ProgressLine("importing \(input.displayName)", unit: .items("rows"), total: nil, console: invocation.console)
        options.progress = { done, total in
            if done >= total { progress.finish(Double(done), total: Double(total)) } else { progress.update(Double(done), total: Double(total)) }
        }
        let summary = try SheetImport(store: store, importer: importer, url: input.url, options: options).run()
        summary.lines.forEach { invocation.console.out($0) }
        return ExitCode.success
    }

    static func parseDelimiter(_ invocation: Invocation) throws -> Character? {
        guard let text = invocation.value("delimiter") else { return nil }
        switch text {
        case ",", "comma": return ","
        case ";", "semicolon": return ";"
        case "tab", "\\t", "\t": return "\t"
        default:
            throw invocation.usageError("The value '\(text)' is invalid for '--delimiter'; expected ',', ';' or 'tab'.")
        }
    }
}
