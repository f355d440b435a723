import Foundation
import LIMSStore
import Reports

/// `lims report anomalies|extractability|fractions|treatments|pois|all`.
enum ReportCommands {
    static var report: CommandSpec {
        CommandSpec(name: "report", abstract: "Write geochemistry reports (Markdown tables + SVG figures, JSON or CSV).",
                    discussion: """
                        Markdown (default) has a header naming the database, date, reference and rules, GitHub tables with
                        units and footnotes; with --out the SVG figures are written beside it. Exit 0 when written (warnings
                        about missing data on stderr), 1 when there is nothing to report.
                        """,
                    subcommands: subcommands)
    }

    /// The report subcommands. Other report families (e.g. leaching/seepage) add their entries here.
    static var subcommands: [CommandSpec] {
        [
            geochemistry("anomalies", [.anomalies], "Per-sample normalized REE+Y patterns, ΣREE, LREE_N/HREE_N, Ce/Ce*, Eu/Eu*, La/La*, Gd/Gd*, Y/Ho, λ (O'Neill 2016)."),
            geochemistry("extractability", [.extractability], "CaCl₂-extractable REEs (mg/kg, % of total) and per-treatment summaries."),
            geochemistry("fractions", [.fractions], "Size fractions: mass %, enrichment factors, mass-balance recovery."),
            geochemistry("treatments", [.treatments], "Treatment comparison: mean ± SD (median) with letters; Kruskal–Wallis and kruskalmc, or Kaplan–Meier and Peto–Peto with values < DL."),
            geochemistry("pois", [.pois], "Thin sections: POIs by phase and Ce oxidation state, XANES, LCF, map correlations."),
            geochemistry("qc", [.qc], "Quality control per import batch: verdict, blank LOD/LOQ, CRM recovery, duplicates, drift, Westgard rules."),
            geochemistry("all", ReportKind.allCases, "All of the geochemistry reports in one document, with the QC of every batch."),
        ] + LeachingReportCommands.subcommands
    }

    static let options: [OptionSpec] = [
        .value("treatment", "code", help: "Only this treatment.", repeatable: true),
        .value("reference", "code", help: "Reference composition for normalization (default: the database default, UCC-TM1995). See 'lims reference list'."),
        .value("format", "format", help: "Output format: markdown, json or csv (default: markdown); csv writes one tidy CSV per table and datapackage.json into the --out folder.", choices: ["markdown", "json", "csv"]),
        .out("path", help: "Write to this file (figures beside it), or into this directory as report.md/json/csv (default: stdout, no figures)."),
        .value("censored", "rule", help: "Values below detection: km (default: kept as < DL; Kaplan–Meier, ROS, Peto–Peto), or substituted: half-dl, dl, zero; omit leaves them out.", choices: CensoringRule.allCases.map(\.rawValue)),
        .value("anomaly", "form", help: "Form of Ce/Ce*, Eu/Eu*, La/La*, Gd/Gd*: arithmetic or geometric (Lawrence et al. 2006; default: arithmetic).", choices: AnomalyForm.allCases.map(\.rawValue)),
        .value("alpha", "p", help: "Family-wise α of the kruskalmc comparisons (default: 0.05)."),
        .value("parameter", "name", help: "Treatment comparison: only this parameter (sum-ree, sum-rey, lree, hree, lree-hree, ce-anomaly, eu-anomaly, an element, a soil property).", repeatable: true),
        .value("recovery-range", "low-high", help: "Flag mass-balance recoveries outside this range in % (default: 80-120)."),
        .flag("exclude-failed-qc", help: "Leave out the values of import batches whose QC verdict is fail (lims qc batch); the QC section names them."),
        .value("per-sample-limit", "n", help: "Above n samples the Markdown summarizes the per-sample tables (median and quartiles; the full tables are written beside it as CSV) and the per-sample figure shows quartiles per treatment (default: 200)."),
    ]

    static func geochemistry(_ name: String, _ kinds: [ReportKind], _ abstract: String) -> CommandSpec {
        CommandSpec(name: name, abstract: abstract, options: options,
                    examples: ["lims report \(name) --treatment control --treatment ramie --out reports/\(name).md"],
                    run: { invocation in try run(kinds, name: name, invocation) })
    }

    static func reportOptions(_ invocation: Invocation) throws -> ReportOptions {
        var options = ReportOptions()
        options.treatments = invocation.values("treatment")
        options.referenceCode = invocation.value("reference")
        options.censoring = invocation.value("censored").flatMap(CensoringRule.init(rawValue:)) ?? .censoredMethods
        options.anomalyForm = invocation.value("anomaly").flatMap(AnomalyForm.init(rawValue:)) ?? .arithmetic
        if let alpha = try invocation.double("alpha") {
            guard alpha > 0 && alpha < 1 else {
                throw invocation.usageError("The value '\(invocation.value("alpha")!)' is invalid for '--alpha'; expected a probability between 0 and 1, e.g. 0.05.")
            }
            options.alpha = alpha
        }
        options.parameters = invocation.values("parameter")
        options.excludeFailedQC = invocation.flag("exclude-failed-qc")
        if let limit = try invocation.count("per-sample-limit") { options.perSampleLimit = limit }
        if let text = invocation.value("recovery-range") {
            let parts = text.split(separator: "-").map { DecimalNumber.double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
                throw invocation.usageError("The value '\(text)' is invalid for '--recovery-range'; expected low-high in %, e.g. 80-120.")
            }
            options.recoveryRange = low...high
        }
        return options
    }

    static func run(_ kinds: [ReportKind], name: String, _ invocation: Invocation) throws -> Int32 {
        let store = try invocation.openStore(readOnly: true)
        var options = try reportOptions(invocation)
        let format = invocation.value("format") ?? "markdown"
        let ext = ["markdown": "md", "json": "json", "csv": "csv"][format]!
        if format == "csv" { return try writeCSV(kinds, name: name, invocation, options: options, store: store) }
        var outURL: URL?
        if let out = invocation.value("out") {
            var url = URL(fileURLWithPath: invocation.absolute(out))
            var isDirectory: ObjCBool = false
            if out.hasSuffix("/") || (FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                url = url.appendingPathComponent("report.\(ext)")
            }
            outURL = url
            try invocation.checkedOutputPath(url.path, option: "--out")   // never over the database (issue 16)
            options.figurePrefix = url.deletingPathExtension().lastPathComponent + "-"
        }
        let document = try buildReport(kinds, name: name, store: store, options: options, invocation)
        for warning in document.warnings { invocation.console.warning(warning) }
        guard document.hasContent else {
            invocation.console.err("Error: nothing to report for 'lims report \(name)'"
                                   + (options.treatments.isEmpty ? "" : " (treatments: \(options.treatments.joined(separator: ", ")))")
                                   + "; see the warnings above. Nothing was written.")
            return ExitCode.failure
        }
        let text: String
        switch format {
        case "json": text = document.json().rendered() + "\n"
        default: text = document.markdown()
        }
        guard let outURL else {
            invocation.console.write(text)
            if format == "markdown" && !document.figures.isEmpty {
                invocation.console.err("note: \(document.figures.count) figure(s) not written; use --out PATH to write the SVG files beside the Markdown.")
            }
            if format == "markdown" && !document.attachments.isEmpty {
                invocation.console.err("note: \(document.attachments.count) per-sample CSV table(s) not written; use --out PATH to write them beside the Markdown.")
            }
            return ExitCode.success
        }
        let directory = outURL.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: outURL, options: .atomic)
        var written = [outURL.path]
        var tables = 0
        if format == "markdown" {
            for figure in document.figures {
                let url = directory.appendingPathComponent(figure.fileName)
                try Data(figure.svg.utf8).write(to: url, options: .atomic)
                written.append(url.path)
            }
            // The per-sample tables the Markdown of a large study summarizes, beside it as tidy CSV.
            let attached = try document.writeAttachments(to: directory)
            tables = attached.count
            written += attached.map(\.path)
        }
        let extra = [written.count - 1 - tables > 0 ? "\(written.count - 1 - tables) figure(s)" : nil,
                     tables > 0 ? "\(tables) CSV table(s)" : nil].compactMap { $0 }
        invocation.console.out("Wrote \(written[0])" + (extra.isEmpty ? "." : " and \(extra.joined(separator: " and ")):"))
        for path in written.dropFirst() { invocation.console.out("  \(path)") }
        return ExitCode.success
    }

    /// The report, with a progress line on a terminal (loading the data, then each section).
    static func buildReport(_ kinds: [ReportKind], name: String, store: LabStore, options: ReportOptions,
                            _ invocation: Invocation) throws -> ReportDocument {
        var builder = try ReportBuilder(store: store, options: options)
        let progress = ProgressLine("report \(name)", unit: .items("steps"), total: Double(kinds.count + 1), console: invocation.console)
        builder.progress = { done, total in
            if done >= total { progress.finish(Double(done), total: Double(total)) } else { progress.update(Double(done), total: Double(total)) }
        }
        return try builder.build(kinds)
    }

    /// `--format csv`: one tidy CSV per table and datapackage.json into the --out folder.
    static func writeCSV(_ kinds: [ReportKind], name: String, _ invocation: Invocation, options: ReportOptions,
                         store: LabStore) throws -> Int32 {
        guard let out = invocation.value("out") else {
            throw invocation.usageError("'--format csv' writes one CSV file per table; give the folder with '--out FOLDER'.")
        }
        let folder = URL(fileURLWithPath: invocation.absolute(out))
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw invocation.usageError("The value '\(out)' is invalid for '--out' with '--format csv'; expected a folder (it is a file).")
        }
        let document = try buildReport(kinds, name: name, store: store, options: options, invocation)
        for warning in document.warnings { invocation.console.warning(warning) }
        guard document.hasContent else {
            invocation.console.err("Error: nothing to report for 'lims report \(name)'"
                                   + (options.treatments.isEmpty ? "" : " (treatments: \(options.treatments.joined(separator: ", ")))")
                                   + "; see the warnings above. Nothing was written.")
            return ExitCode.failure
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try document.writeCSVFiles(to: folder)   // streamed: a per-sample table is never held whole
        invocation.console.out("Wrote \(files.count - 1) CSV file(s) and datapackage.json into \(folder.path)/:")
        for file in files { invocation.console.out("  \(file)") }
        return ExitCode.success
    }
}
