import Foundation
import LIMSStore
import Reports

/// `lims qc batch|chart|settings|blank-correct`: the quality control of instrument runs.
enum QCCommands {
    static var qc: CommandSpec {
        CommandSpec(name: "qc", abstract: "Judge instrument runs by their QC: blanks and LOD/LOQ, CRM recovery, duplicates, drift, control charts.",
                    subcommands: [batch, chart, settings, blankCorrect])
    }

    static let batch = CommandSpec(
        name: "batch", abstract: "The QC of one import batch and its verdict (pass, warning, fail).",
        discussion: """
            Procedural blanks: n, mean, SD, method LOD = 3 × SD and LOQ = 10 × SD per line. CRM recovery =
            measured / certified × 100 against the limits of `lims qc settings` (information values are
            shown, not judged). Duplicates: RPD = |a − b| / mean × 100, judged above 10 × DL (the limit doubled
            between 5 and 10 × DL). Check standards: recovery along the run (drift). Westgard rules of the
            CRMs' control charts at this batch's points. Exit 0 whatever the verdict; the verdict is printed.
            """,
        arguments: [ArgumentSpec(name: "id", help: "The batch id (see lims batch list).")],
        options: [FormatOption.table],
        examples: ["lims qc batch 3", "lims qc batch 3 --format json"],
        run: { invocation in
            guard let text = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<id>'.") }
            guard let id = Int64(text), id > 0 else { throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a batch number.") }
            let store = try invocation.openStore(readOnly: true)
            let report = try BatchQCEvaluator(store: store).evaluate(batchID: id)
            switch invocation.outputFormat {
            case .table: invocation.console.write(QCText.text(report))
            case .csv: invocation.console.write(QCText.table(report).renderCSV())
            case .json: invocation.console.write(QCText.json(report))
            }
            return ExitCode.success
        })

    static let chart = CommandSpec(
        name: "chart", abstract: "A control chart of one CRM line across batches, with Westgard rules.",
        discussion: """
            The CRM's measured values in run order (active batches, oldest first). The target mean and SD
            come from the first --baseline points (default: all). Rules: 1-2s (warning), 1-3s, 2-2s, R-4s,
            4-1s, 10-x. --out writes the chart as SVG.
            """,
        options: [
            .value("crm", "name", help: "The CRM as named in the runs (e.g. 'OREAS 45d')."),
            .value("analyte", "line", help: "An element (La) or a line as `lims qc chart --crm X` lists it ('La 139 [No Gas]')."),
            .value("baseline", "n", help: "Compute the target mean and SD from the first n points (default: all points)."),
            .out("file.svg", help: "Write the chart as an SVG figure."),
            FormatOption.table,
        ],
        examples: ["lims qc chart --crm 'OREAS 45d' --analyte La", "lims qc chart --crm 'OREAS 45d' --analyte 'La 139 [No Gas]' -o la.svg"],
        run: { invocation in
            let crm = try invocation.required("crm")
            let store = try invocation.openStore(readOnly: true)
            let lines = try ControlChart.lines(store: store, crm: crm)
            guard !lines.isEmpty else {
                throw StoreError.notFound(kind: "CRM measured in an active batch", key: crm, suggestions: try measuredCRMs(store))
            }
            guard let wanted = invocation.value("analyte") else {
                invocation.console.err("\(crm) was measured on \(lines.count) lines; choose one with --analyte:")
                lines.forEach { invocation.console.out($0.name) }
                return ExitCode.success
            }
            let matching = lines.filter { $0.name == wanted || $0.element == wanted }
            guard !matching.isEmpty else {
                throw invocation.usageError("The value '\(wanted)' is invalid for '--analyte'; \(crm) was measured on " + lines.map(\.name).joined(separator: ", ") + ".")
            }
            guard matching.count == 1 else {
                throw invocation.usageError("The value '\(wanted)' names \(matching.count) lines of \(crm); give one of " + matching.map { "'\($0.name)'" }.joined(separator: ", ") + ".")
            }
            let baseline = try invocation.int("baseline")
            if let baseline, baseline < 2 { throw invocation.usageError("The value '\(baseline)' is invalid for '--baseline'; expected at least 2 points.") }
            guard let chart = try ControlChart.build(store: store, crm: crm, line: matching[0], baseline: baseline) else {
                throw StoreError.notFound(kind: "control chart", key: "\(crm) \(wanted)", suggestions: [])
            }
            if let out = invocation.value("out") {
                let url = URL(fileURLWithPath: invocation.absolute(out))
                try Data(ControlChartFigure.svg(chart).utf8).write(to: url, options: .atomic)
                invocation.console.err("wrote \(out)")
            }
            switch invocation.outputFormat {
            case .table:
                invocation.console.write(QCText.chartText(chart))
            case .csv: invocation.console.write(QCText.chartTable(chart).renderCSV())
            case .json: invocation.console.write(QCText.chartTable(chart).renderJSON())
            }
            return ExitCode.success
        })

    static func measuredCRMs(_ store: LabStore) throws -> [String] {
        try store.db.rows("SELECT DISTINCT crm_name FROM qc_sample WHERE qc_type = 'crm' AND crm_name IS NOT NULL ORDER BY 1")
            .compactMap { $0.string("crm_name") }
    }

    static let settings = CommandSpec(
        name: "settings", abstract: "Show or change the QC acceptance limits.",
        options: [.value("set", "key=value", help: "Change one limit, e.g. crm_recovery_low=85.", repeatable: true), FormatOption.table],
        examples: ["lims qc settings", "lims qc settings --set crm_recovery_low=85 --set crm_recovery_high=115"],
        run: { invocation in
            let store = try invocation.openStore(readOnly: invocation.values("set").isEmpty)
            for assignment in invocation.values("set") {
                let parts = assignment.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let value = DecimalNumber.double(parts[1]) else {
                    throw invocation.usageError("The value '\(assignment)' is invalid for '--set'; expected KEY=NUMBER, e.g. crm_recovery_low=85.")
                }
                guard QCSettings.keys.contains(parts[0]) else {
                    let hint = Suggestions.closest(to: parts[0], among: QCSettings.keys).first.map { " Did you mean '\($0)'?" } ?? ""
                    throw invocation.usageError("The key '\(parts[0])' is invalid for '--set'; expected one of \(QCSettings.keys.joined(separator: ", ")).\(hint)")
                }
                try QCSettings.set(parts[0], to: value, store: store)
            }
            var table = ResultTable(columns: ["key", "value", "note"])
            table.rows = try store.db.rows("SELECT key, value, note FROM qc_setting ORDER BY key").map {
                [.text($0.string("key") ?? ""), .number($0.double("value")), .text($0.string("note") ?? "")]
            }
            invocation.console.write(invocation.outputFormat.render(table))
            return ExitCode.success
        })

    static let blankCorrect = CommandSpec(
        name: "blank-correct", abstract: "Keep blank-corrected values of a batch beside the stored ones.",
        discussion: """
            For every valid value of the batch on a line with procedural blanks: value − mean of the blanks,
            stored in blank_corrected_value (the measurement itself never changes). Running it again
            replaces the batch's corrected values. One transaction, one audit row.
            """,
        arguments: [ArgumentSpec(name: "id", help: "The batch id.")],
        examples: ["lims qc blank-correct 3"],
        run: { invocation in
            guard let text = invocation.argument(0) else { throw invocation.usageError("Missing expected argument '<id>'.") }
            guard let id = Int64(text), id > 0 else { throw invocation.usageError("The value '\(text)' is invalid for '<id>'; expected a batch number.") }
            let store = try invocation.openStore()
            let result = try BlankCorrection(store: store).apply(batchID: id)
            invocation.console.out("Batch \(id): \(result.corrected) values blank-corrected on \(result.lines) lines"
                                   + (result.skippedLines.isEmpty ? "" : "; no blanks for " + result.skippedLines.joined(separator: ", ")) + ".")
            return ExitCode.success
        })
}
