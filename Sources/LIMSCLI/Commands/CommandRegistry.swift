/// The top-level commands of `lims`, in the order help lists them.
/// Each command lives in its own file under Commands/; add a new one here.
enum CommandRegistry {
    static var topLevel: [CommandSpec] {
        [
            DemoCommands.demo,
            DatabaseCommands.initCommand,
            DatabaseCommands.migrate,
            DatabaseCommands.status,
            RegistryCommands.site,
            RegistryCommands.treatment,
            RegistryCommands.plot,
            SampleCommands.sample,
            ImportCommands.group,
            ImportProfileCommands.group,
            QCRuleCommands.group,
            BatchCommands.batch,
            TemplateCommands.template,
            QueryCommands.query,
            ResultCommands.result,
            ExportCommands.export,
            ReportCommands.report,
            ReferenceCommands.reference,
            QCCommands.qc,
            CRMCommands.crm,
            SQLCommand.sql,
            LogCommands.log,
            MaintenanceCommands.check,
            MaintenanceCommands.backup,
            MaintenanceCommands.restore,
            CopyCommands.copy,
            CompletionCommands.completion,
            HelpCommands.help,
            HelpCommands.manual,
        ]
    }
}
