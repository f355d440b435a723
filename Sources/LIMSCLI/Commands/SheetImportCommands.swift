/// `lims import KIND` for lab sheets. (Filled in by the sheet-import work.)
enum SheetImportCommands {
    static var subcommands: [CommandSpec] { LeachingTemporaryWiring.importCommands } // TEMPORARY (leaching branch)
}
