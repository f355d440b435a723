/// `lims import …`: instrument results (ResultsImportCommands.swift) and lab sheets
/// (SheetImportCommands.swift) under one command.
enum ImportCommands {
    static var group: CommandSpec {
        CommandSpec(
            name: "import",
            abstract: "Import instrument results and lab sheets (one transaction per file).",
            discussion: "Every file becomes an import batch (name, SHA-256, format, operator, counts); the same file is refused a second time unless --replace.",
            subcommands: ResultsImportCommands.subcommands + SheetImportCommands.subcommands)
    }
}
