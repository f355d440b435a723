import Foundation
import LIMSStore
import Reports

/// `lims report leaching` and `lims report seepage` (issue 9). The lead mounts
/// `subcommands` under the `report` group.
enum LeachingReportCommands {
    static var subcommands: [CommandSpec] { [leaching, seepage] }

    static let outputOptions: [OptionSpec] = [
        .out("path", help: "Write the report to this file (Markdown figures go to <name>-figures/ beside it); default: stdout."),
        .value("format", "format", help: "markdown (default) or json.", choices: ["markdown", "json"]),
    ]

    static let leaching = CommandSpec(
        name: "leaching",
        abstract: "Compare column leaching runs: REE recovery, impurities, energy, time to equilibrium.",
        discussion: "Q = C·V/m per leachate collection; recovery = (leachate + cathode)/T_ion × 100; energy = ∫U·I dt. Below-detection values are substituted by DL/2 and counted.",
        options: [
            .value("run", "code", help: "Only this run (repeatable); default: all runs.", repeatable: true),
            .value("reference", "run", help: "Compare impurities with this run (default: each run's reference_run)."),
            .value("tolerance", "percent", help: "Band around the plateau for the time to equilibrium, % of the final cumulative REE (default 5)."),
        ] + outputOptions,
        examples: ["lims report leaching --out leaching.md", "lims report leaching --run EK-1 --reference CL-1 --format json"],
        run: { invocation in
            let tolerance = try invocation.double("tolerance", unit: "%") ?? 5
            guard tolerance > 0, tolerance < 100 else {
                throw invocation.usageError("The value '\(invocation.value("tolerance") ?? "")' is invalid for '--tolerance'; expected a percentage between 0 and 100.")
            }
            let store = try invocation.openStore(readOnly: true)
            let report = try LeachingReport.build(store: store, options: .init(
                runCodes: invocation.values("run"), referenceRunCode: invocation.value("reference"), tolerancePercent: tolerance))
            return try emit(invocation, markdown: report.markdown, json: report.json(), figures: report.figures,
                            count: "\(report.results.count) run(s)")
        })

    static let seepage = CommandSpec(
        name: "seepage",
        abstract: "Saturated permeability by solution, concentration and path; SWCC fits and k_u(ψ) curves.",
        discussion: "Falling head k = a·L/(A·Δt)·ln(h1/h2), corrected to 20 °C by water viscosity (Vogel equation); Fredlund–Xing and van Genuchten fits; k_u by Fredlund–Xing–Huang and van Genuchten–Mualem.",
        options: [
            .value("test", "code", help: "Only this seepage test (repeatable); default: all tests.", repeatable: true),
            .flag("no-temperature-correction", help: "Report k at the test temperature (no correction to 20 °C)."),
            .value("air-entry", "kPa", help: "Air-entry value: lower limit of the Fredlund–Xing–Huang denominator (default 0.01 kPa)."),
        ] + outputOptions,
        examples: ["lims report seepage --out seepage.md"],
        run: { invocation in
            let airEntry = try invocation.double("air-entry", unit: "kPa") ?? 0.01
            guard airEntry > 0 else {
                throw invocation.usageError("The value '\(invocation.value("air-entry") ?? "")' is invalid for '--air-entry'; expected a suction > 0 kPa.")
            }
            let store = try invocation.openStore(readOnly: true)
            let report = try SeepageReport.build(store: store, options: .init(
                testCodes: invocation.values("test"), correctTo20C: !invocation.flag("no-temperature-correction"),
                airEntryKPa: airEntry))
            return try emit(invocation, markdown: report.markdown, json: report.json(), figures: report.figures,
                            count: "\(report.tests.count) test(s), \(report.swcc.count) SWCC")
        })

    /// Writes the report to stdout or to --out (with its figures for Markdown).
    static func emit(_ invocation: Invocation, markdown: (String?) -> String, json: String,
                     figures: [(name: String, svg: String)], count: String) throws -> Int32 {
        let format = invocation.value("format") ?? "markdown"
        guard let out = invocation.value("out") else {
            invocation.console.write(format == "json" ? json : markdown(nil))
            return ExitCode.success
        }
        let url = URL(fileURLWithPath: try invocation.checkedOutputPath(out, option: "--out"))
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw StoreError.invalidValue(field: "--out", value: out, expected: "a file in an existing folder (\(folder.path) does not exist)")
        }
        if format == "json" {
            try Data(json.utf8).write(to: url, options: .atomic)
            invocation.console.out("Wrote \(out) (\(count)).")
            return ExitCode.success
        }
        let figuresName = url.deletingPathExtension().lastPathComponent + "-figures"
        if !figures.isEmpty {
            let figuresURL = folder.appendingPathComponent(figuresName)
            try FileManager.default.createDirectory(at: figuresURL, withIntermediateDirectories: true)
            for figure in figures {
                try invocation.checkedOutputPath(figuresURL.appendingPathComponent(figure.name).path, option: "--out")
            }
            for figure in figures {
                try Data(figure.svg.utf8).write(to: figuresURL.appendingPathComponent(figure.name), options: .atomic)
            }
        }
        try Data(markdown(figuresName).utf8).write(to: url, options: .atomic)
        invocation.console.out("Wrote \(out) (\(count)) and \(figures.count) figure(s) in \(figuresName)/.")
        return ExitCode.success
    }
}
