import Foundation
import LIMSStore

/// `lims crm list|show|import`: certified reference materials and their values.
enum CRMCommands {
    static var crm: CommandSpec {
        CommandSpec(name: "crm", abstract: "List, show and import certified reference materials (CRM values for QC recovery).",
                    subcommands: [list, show, importSheet])
    }

    static func table(_ values: [CRMValue]) -> ResultTable {
        var table = ResultTable(columns: ["crm", "analyte", "value", "unit", "uncertainty", "kind", "citation"])
        table.rows = values.map { v in
            [.text(v.crmName), .text(v.analyte), .number(v.value), .text(v.unit), .number(v.uncertainty), .text(v.kind), .optionalText(v.citation)]
        }
        return table
    }

    static let list = CommandSpec(
        name: "list", abstract: "List the CRMs and how many values each has.",
        options: [FormatOption.table],
        examples: ["lims crm list"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let values = try CRMCatalog.all(store)
            var table = ResultTable(columns: ["crm", "values", "judging", "citation"])
            for (name, group) in Dictionary(grouping: values, by: \.crmName).sorted(by: { $0.key < $1.key }) {
                table.rows.append([.text(name), .integer(Int64(group.count)), .integer(Int64(group.filter(\.judges).count)),
                                   .text(Array(Set(group.compactMap(\.citation))).sorted().joined(separator: "; "))])
            }
            return RegistryCommands.emit(table, invocation, noun: "CRMs")
        })

    static let show = CommandSpec(
        name: "show", abstract: "Show one CRM's values (names matched ignoring case, spaces and the NIST/SRM prefix).",
        arguments: [ArgumentSpec(name: "name", help: "The CRM, e.g. 'NIST SRM 2711a' or 2711a.")],
        options: [FormatOption.table],
        examples: ["lims crm show 2711a"],
        run: { invocation in
            guard let name = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<name>'.") }
            let store = try invocation.openStore(readOnly: true)
            let all = try CRMCatalog.all(store)
            let values = all.filter { CRMCatalog.key($0.crmName) == CRMCatalog.key(name) }
            guard !values.isEmpty else {
                let names = Array(Set(all.map(\.crmName))).sorted()
                throw StoreError.notFound(kind: "CRM", key: name, suggestions: Suggestions.closest(to: name, among: names))
            }
            invocation.console.write(invocation.outputFormat.render(table(values.sorted { AnalyteOrder.areInOrder($0.analyte, $1.analyte) })))
            return ExitCode.success
        })

    static let importSheet = CommandSpec(
        name: "import", abstract: "Load CRM values from a sheet (crm,analyte,value,unit,uncertainty,kind,citation).",
        discussion: "One transaction: every row is checked first (file:line:col errors, nothing written). A value already held for the same CRM and analyte is replaced, the old one kept in the audit log. `lims template crm` prints the sheet.",
        arguments: [ArgumentSpec(name: "file", help: "The CRM sheet (CSV).")],
        examples: ["lims crm import oreas-465.csv"],
        run: { invocation in
            guard let path = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<file>'.") }
            let store = try invocation.openStore()
            let url = URL(fileURLWithPath: invocation.absolute(path))
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ImportDiagnostic(file: path, line: 1, column: nil, message: "no such file")
            }
            let result = try CRMCatalog.importSheet(url: url, store: store, displayName: path)
            invocation.console.out("Imported \(path): \(result.added) CRM values added, \(result.replaced) replaced.")
            return ExitCode.success
        })
}
