import Foundation
import LIMSStore
import Reports

extension ReferenceImportError: DiagnosticError {
    public var diagnosticLines: [String] { [description] }
}

/// `lims reference list|show|import`: the compositions REE patterns are normalized to.
enum ReferenceCommands {
    static var reference: CommandSpec {
        CommandSpec(name: "reference", abstract: "List, show and import reference compositions (UCC, CI chondrite, PAAS, your own).",
                    subcommands: [list, show, importCommand])
    }

    static let list = CommandSpec(
        name: "list", abstract: "List the reference compositions.", options: [FormatOption.table],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            var table = ResultTable(columns: ["code", "name", "default", "elements", "citation"])
            table.rows = try ReferenceStore.all(store).map {
                [.text($0.code), .text($0.name), .text($0.isDefault ? "yes" : ""), .integer(Int64($0.values.count)), .text($0.citation)]
            }
            return RegistryCommands.emit(table, invocation, noun: "reference compositions")
        })

    static let show = CommandSpec(
        name: "show", abstract: "Show the values (mg/kg) and citation of one reference composition.",
        arguments: [ArgumentSpec(name: "code", help: "Reference code, e.g. UCC-TM1995.")],
        options: [FormatOption.table],
        examples: ["lims reference show CI-MS1995"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: true)
            let reference = try ReferenceStore.reference(store, code: invocation.argument(0)!)
            var table = ResultTable(columns: ["element", "value", "unit"])
            table.rows = Elements.sorted(reference.values.keys).map { [.text($0), .number(reference.values[$0]), .text("mg/kg")] }
            if invocation.outputFormat == .table {
                invocation.console.out("\(reference.code) — \(reference.name)\(reference.isDefault ? " (default)" : "")")
                invocation.console.out(reference.citation)
                invocation.console.out()
            }
            invocation.console.write(invocation.outputFormat.render(table))
            return ExitCode.success
        })

    static let importCommand = CommandSpec(
        name: "import", abstract: "Import a lab's own reference compositions from CSV (reference,element,value,unit,citation[,name]).",
        arguments: [ArgumentSpec(name: "file", help: "CSV file, one row per element; the citation on each reference's first row.")],
        options: [
            .flag("replace", help: "Replace the values of a reference that exists already."),
            .flag("dry-run", help: "Check the file and say what would be imported; write nothing."),
        ],
        examples: ["lims reference import my-shale.csv"],
        run: { invocation in
            let path = invocation.absolute(invocation.argument(0)!)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StoreError.invalidValue(field: "file", value: path, expected: "a readable CSV file")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ReferenceImportError(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")
            }
            let references = try ReferenceImporter.parse(text: text, fileName: invocation.argument(0)!)
            let store = try invocation.openStore(readOnly: invocation.flag("dry-run"))
            if invocation.flag("dry-run") {
                for r in references {
                    let exists = try ReferenceStore.all(store).contains { $0.code == r.code }
                    invocation.console.out("Would import \(r.code) (\(r.values.count) elements)\(exists ? (invocation.flag("replace") ? ", replacing the stored one" : "; it exists already, use --replace") : "").")
                }
                return ExitCode.success
            }
            try ReferenceStore.save(references, in: store, replace: invocation.flag("replace"), source: invocation.argument(0)!)
            for r in references {
                invocation.console.out("Imported reference \(r.code) (\(r.values.count) elements).")
                if !r.missingREY.isEmpty {
                    invocation.console.warning("\(r.code) has no value for \(r.missingREY.joined(separator: ", ")); patterns normalized to it will leave those out")
                }
            }
            return ExitCode.success
        })
}
