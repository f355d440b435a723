/// `lims import results`. (Filled in by the results-import work.)
enum ResultsImportCommands {
    static var subcommands: [CommandSpec] { [] }
}
