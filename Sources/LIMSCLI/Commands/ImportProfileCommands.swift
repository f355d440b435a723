import Foundation
import LIMSStore

/// `lims import-profile add|list|show|remove`: saved profiles for vendor layouts no reader knows,
/// used by `lims import results FILE --profile NAME`.
enum ImportProfileCommands {
    static var group: CommandSpec {
        CommandSpec(name: "import-profile", abstract: "Save, list, show and remove import profiles (layouts of other instruments).",
                    discussion: """
                        A profile maps the columns of an export no built-in reader knows to their roles (sample,
                        type, analytes by header pattern, units, DL, dilution, date). Write a profile sheet
                        (lims template import-profile prints a commented example), add it, then import with
                        lims import results FILE --profile NAME.
                        """,
                    subcommands: [add, list, show, remove])
    }

    static let add = CommandSpec(
        name: "add", abstract: "Check a profile sheet and save it under NAME.",
        arguments: [ArgumentSpec(name: "name", help: "Profile name: letters, digits, '.', '_' or '-'.")],
        options: [
            .value("from", "file", help: "The profile sheet (key,value rows; see lims template import-profile). Required."),
            .flag("describe", help: "Also explain, in words, how the profile reads a file."),
            .flag("replace", help: "Overwrite a profile of the same name."),
            .flag("dry-run", help: "Check the sheet (and describe it with --describe) without saving it."),
        ],
        examples: ["lims template import-profile > horiba.csv",
                   "lims import-profile add horiba-ultima --from horiba.csv --describe"],
        run: { invocation in
            guard let name = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<name>'.") }
            let path = try invocation.required("from")
            try LabStore.validateProfileName(name)
            let settings = try ImportProfileSheet.settings(url: URL(fileURLWithPath: invocation.absolute(path)), displayName: path)
            let profile = try ImportProfile(name: name, settings: settings, source: path)
            if invocation.flag("dry-run") {
                invocation.console.out("Dry run: profile \(name) is valid (\(profile.settings.count) settings); nothing was saved.")
            } else {
                let stored = try invocation.openStore().addImportProfile(profile, replace: invocation.flag("replace"))
                invocation.console.out("Saved import profile \(stored.profile.name) (\(profile.settings.count) settings). "
                                       + "Import with: lims import results FILE --profile \(stored.profile.name)")
            }
            if invocation.flag("describe") { ImportProfileTemplate.describe(profile).forEach { invocation.console.out($0) } }
            return ExitCode.success
        })

    static let list = CommandSpec(
        name: "list", abstract: "List the saved import profiles.",
        options: [FormatOption.table],
        examples: ["lims import-profile list"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            var table = ResultTable(columns: ["name", "layout", "description", "operator", "created_at"])
            table.rows = try store.importProfiles().map {
                [.text($0.profile.name), .text($0.profile.layout.rawValue), .optionalText($0.profile.description),
                 .text($0.operatorName), .text($0.createdAt)]
            }
            return RegistryCommands.emit(table, invocation, noun: "import profiles")
        })

    static let show = CommandSpec(
        name: "show", abstract: "Explain a saved profile, or print it as a sheet (--format csv) to edit and add again.",
        arguments: [ArgumentSpec(name: "name", help: "The profile name.")],
        options: [.value("format", "format", help: "text (explained, default) or csv (the profile sheet).", choices: ["text", "csv"])],
        examples: ["lims import-profile show horiba-ultima", "lims import-profile show horiba-ultima --format csv > horiba.csv"],
        run: { invocation in
            guard let name = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<name>'.") }
            let stored = try invocation.openStore(readOnly: true).requireImportProfile(named: name)
            if invocation.value("format") == "csv" {
                invocation.console.write(stored.profile.sheet)
            } else {
                ImportProfileTemplate.describe(stored.profile).forEach { invocation.console.out($0) }
                invocation.console.out("  added:       \(stored.createdAt) by \(stored.operatorName)")
                invocation.console.out("Settings:")
                stored.profile.settings.forEach { invocation.console.out("  \($0.key),\(CSVText.escape($0.value))") }
            }
            return ExitCode.success
        })

    static let remove = CommandSpec(
        name: "remove", abstract: "Remove a saved profile (batches imported with it keep their values).",
        arguments: [ArgumentSpec(name: "name", help: "The profile name.")],
        examples: ["lims import-profile remove horiba-ultima"],
        run: { invocation in
            guard let name = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<name>'.") }
            let removed = try invocation.openStore().removeImportProfile(named: name)
            invocation.console.out("Removed import profile \(removed.profile.name).")
            return ExitCode.success
        })
}
