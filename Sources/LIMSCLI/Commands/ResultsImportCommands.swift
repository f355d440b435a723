import Foundation
import LIMSStore

/// `lims import results FILE`: instrument exports and the long results sheet.
enum ResultsImportCommands {
    static var subcommands: [CommandSpec] { [results] }

    static let results = CommandSpec(
        name: "results",
        abstract: "Import an instrument export (MassHunter, Qtegra, ICP Expert, PerkinElmer, Shimadzu, Horiba, XRF) or a long results sheet.",
        discussion: """
            One transaction per file and one import batch (name, SHA-256, format, operator, counts).
            Format and delimiter are detected; concentrations are converted to mg/L (solutions) or
            mg/kg (solids) with the original value and unit kept. QC rows (blanks, standards, CCV, CRMs,
            duplicates, DNU) are stored apart. Names that match no registered sample stop the import
            unless --allow-unmatched. The same file is refused a second time unless --replace.
            """,
        arguments: [ArgumentSpec(name: "file", help: "The export to import (CSV/TSV text in UTF-8, UTF-16 or Windows-1252; '-' reads standard input).")],
        options: [
            .value("format", "format", help: "File format: auto, " + ResultsFormat.allCases.map(\.rawValue).joined(separator: ", ") + " (default: auto).",
                   choices: ["auto"] + ResultsFormat.allCases.map(\.rawValue)),
            .value("delimiter", "char", help: "Field delimiter: , ; or tab (default: detected)."),
            .value("sheet", "name|n", help: "The sheet of an .xlsx workbook: its name or number (default: the first sheet a reader can read)."),
            .value("matrix", "matrix", help: "solid or solution (default: from the unit; needed for ppm).", choices: ["solid", "solution"]),
            .value("instrument", "name", help: "Instrument name stored with the batch (e.g. 'Agilent 7900')."),
            .value("dilution", "factor", help: "Multiply values and detection limits by this dilution factor."),
            .value("date-order", "order", help: "Order of ambiguous dates like 08/02/2016: dmy, mdy or ymd (default: a day > 12 in the file decides, else dmy).",
                   choices: ["dmy", "mdy", "ymd"]),
            .value("unit", "unit", help: "Unit of the values when the file carries none (e.g. mg/L for WinLab32 without a unit column)."),
            .value("istd", "elements", help: "Elements whose lines are internal standards in this run, comma-separated (e.g. Sc,Y): stored as QC data."),
            .value("profile", "name", help: "Read the file with a saved import profile (lims import-profile) instead of detecting the format."),
            .flag("apply-name-dilution", help: "Multiply values by a dilution suffix in the sample name (X x10); by default it is only flagged."),
            .flag("allow-unmatched", help: "Keep names that match no registered sample as unmatched records."),
            .flag("replace", help: "Replace the batch that imported this file before (its values are retired)."),
            .flag("dry-run", help: "Show what would be written and write nothing."),
        ],
        examples: [
            "lims import results run_2019-03-14.csv --instrument 'Agilent 7900'",
            "lims import results qtegra.csv --matrix solution --dry-run",
            "lims import results export.csv --format icp-expert --date-order mdy --allow-unmatched",
            "lims import results horiba_run.csv --profile horiba-ultima",
        ],
        run: { invocation in
            guard let path = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<file>'.") }
            var options = ResultsImportOptions()
            if let format = invocation.value("format"), format != "auto" { options.format = ResultsFormat(rawValue: format) }
            if let delimiter = invocation.value("delimiter") {
                switch delimiter {
                case ",", ";": options.delimiter = Character(delimiter)
                case "tab", "\\t", "\t": options.delimiter = "\t"
                default: throw invocation.usageError("The value '\(delimiter)' is invalid for '--delimiter'; expected , ; or tab.")
                }
            }
            options.sheet = invocation.value("sheet")
            options.matrix = invocation.value("matrix").flatMap(UnitConversion.Matrix.init(rawValue:))
            options.instrument = invocation.value("instrument")
            if let dilution = try invocation.double("dilution") {
                guard dilution > 0 else { throw invocation.usageError("The value '\(invocation.value("dilution")!)' is invalid for '--dilution'; expected a factor > 0.") }
                options.dilution = dilution
            }
            options.dateOrder = invocation.value("date-order").flatMap(InstrumentDate.Order.init(rawValue:)) ?? .dmy
            options.dateOrderIsExplicit = invocation.value("date-order") != nil
            if let unit = invocation.value("unit") {
                guard UnitConversion.isKnownUnit(unit) else {
                    throw invocation.usageError("The value '\(unit)' is invalid for '--unit'; expected one of \(UnitConversion.acceptedList(excluding: unit)).")
                }
                options.unit = unit
            }
            if let list = invocation.value("istd") {
                let elements = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let bad = elements.first(where: { !PeriodicTable.isElement($0) }) {
                    throw invocation.usageError("The value '\(bad)' is invalid for '--istd'; expected element symbols such as Sc,Y,In.")
                }
                options.internalStandards = Set(elements)
            }
            options.profile = invocation.value("profile")
            if options.profile != nil, let format = invocation.value("format"), format != "auto" {
                throw invocation.usageError("--profile reads the file with the profile; it cannot be given with --format \(format).")
            }
            options.applyNameDilution = invocation.flag("apply-name-dilution")
            options.allowUnmatched = invocation.flag("allow-unmatched")
            options.replace = invocation.flag("replace")
            // A pipe, FIFO or '-' (stdin) is read once into a private copy, hashed as it is read.
            let input = try InputSource.open(path == "-" ? "-" : invocation.absolute(path), displayName: path == "-" ? "<stdin>" : path)
            defer { input.close() }
            options.displayName = input.displayName
            let console = invocation.console
            let progress = ProgressLine("importing \(input.displayName)", unit: .bytes, total: nil, console: console)
            options.progress = { read, total in
                if Int64(read) >= total { progress.finish(Double(read), total: Double(total)) } else { progress.update(Double(read), total: Double(total)) }
            }
            let store = try invocation.openStore()
            let importer = ResultsImport(store: store, url: input.url, options: options)
            let summary = invocation.flag("dry-run") ? try importer.plan() : try importer.run()
            summary.lines().forEach { console.out($0) }
            if let stop = summary.dryRunStop {
                // A dry run answers "would this import go through?": no must not exit 0.
                console.err("Error: the real import would stop: \(stop); nothing was written")
                return ExitCode.failure
            }
            return ExitCode.success
        })
}
