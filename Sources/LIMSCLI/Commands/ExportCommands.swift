import Foundation
import LIMSStore

/// `lims export`: CSV for R or Python. `export results` is tidy (one value per row with unit,
/// qualifier, censored flag, DL, method, batch and file); the other kinds export what the
/// query of the same name shows; `export tables` writes whole tables, one file each.
enum ExportCommands {
    static var export: CommandSpec {
        CommandSpec(
            name: "export", abstract: "Export a query or whole tables to CSV (tidy: one value per row) for R or Python.",
            discussion: """
                Rows are streamed, so exports of millions of values need little memory. With -o/--out the file
                appears only when complete. Censored values have an empty 'value' (NA), qualifier '<' and their
                detection limit; 'reported' shows them as the lab writes them (<0.01).
                """,
            subcommands: [
                results,
                queryExport("samples", QueryCommands.samples, QueryCommands.samplesRows),
                queryExport("extractions", QueryCommands.extractions, QueryCommands.extractionsRows),
                queryExport("fractions", QueryCommands.fractions, QueryCommands.fractionsRows),
                queryExport("properties", QueryCommands.properties, QueryCommands.propertiesRows),
                queryExport("pois", QueryCommands.pois, QueryCommands.poisRows),
                tables,
            ])
    }

    static let outputOption = OptionSpec.out("file", help: "Write to this file instead of stdout.", aliases: ["output"])

    static let results = CommandSpec(
        name: "results", abstract: "Tidy CSV of measured values (filters as in 'lims query results').",
        options: QueryCommands.scopeOptions + QueryCommands.measurementOptions
            + QueryCommands.dateOptions("values measured") + [outputOption, FormatOption.raw],
        examples: ["lims export results --treatment control --analyte REE -o control_ree.csv"],
        run: { invocation in
            let filter = try QueryCommands.filterFrom(invocation)
            let store = try invocation.openStore(readOnly: true)
            return try write(try store.tidyResults(filter), invocation, noun: "results")
        })

    /// `export KIND` with the options of `query KIND` (minus --format/--wide) and --output.
    static func queryExport(_ name: String, _ query: CommandSpec,
                            _ rows: @escaping @Sendable (Invocation) throws -> QueryRows) -> CommandSpec {
        CommandSpec(
            name: name, abstract: "CSV of 'lims query \(name)' with the same filters.",
            options: query.options.filter { $0.name != "format" && $0.name != "wide" } + [outputOption],
            run: { invocation in try write(try rows(invocation), invocation, noun: name) })
    }

    static let tables = CommandSpec(
        name: "tables", abstract: "Write whole tables to DIR/<table>.csv (all tables unless --table is given).",
        options: [
            .out("folder", help: "Folder to write into (required; created if missing).", aliases: ["dir"]),
            .value("table", "name", help: "Only this table.", repeatable: true),
            FormatOption.raw,
        ],
        examples: ["lims export tables -o backup-csv", "lims export tables --out csv --table measurement --table sample"],
        run: { invocation in
            let directory = URL(fileURLWithPath: invocation.absolute(try invocation.required("out")))
            let store = try invocation.openStore(readOnly: true)
            let names = invocation.values("table").isEmpty ? try store.tableNames() : invocation.values("table")
            let rows = try names.map { try store.tableRows($0) }   // all names checked before writing anything
            for name in names {
                try invocation.checkedOutputPath(directory.appendingPathComponent("\(name).csv").path, option: "--out")
            }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, table) in zip(names, rows) {
                let count = try RowWriter.write(table, format: .csv, invocation: invocation,
                                                outputPath: directory.appendingPathComponent("\(name).csv").path,
                                                outputOption: "--out")
                invocation.console.err("\(name).csv: \(count) row(s)")
            }
            return ExitCode.success
        })

    static func write(_ rows: QueryRows, _ invocation: Invocation, noun: String) throws -> Int32 {
        let output = invocation.value("out")
        let count = try RowWriter.write(rows, format: .csv, invocation: invocation, outputPath: output)
        if count == 0 {
            invocation.console.err("No \(noun) match.")
        } else if let output {
            invocation.console.err("Wrote \(count) row(s) to \(output).")
        }
        return ExitCode.success
    }
}
