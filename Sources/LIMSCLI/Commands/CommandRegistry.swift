/// The top-level commands of `lims`, in the order help lists them.
/// Each command lives in its own file under Commands/; add a new one here.
enum CommandRegistry {
    static var topLevel: [CommandSpec] {
        [
            DatabaseCommands.initCommand,
            DatabaseCommands.migrate,
            DatabaseCommands.status,
            RegistryCommands.site,
            RegistryCommands.treatment,
            RegistryCommands.plot,
            SampleCommands.sample,
            ImportCommands.group,
            MaintenanceCommands.check, MaintenanceCommands.backup, MaintenanceCommands.restore,
        ]
    }
}
