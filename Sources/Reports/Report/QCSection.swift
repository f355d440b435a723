import LIMSStore

/// The quality-control part of a report: per import batch of instrument results its verdict, the
/// blanks' method LOD/LOQ, CRM recovery, duplicate RPD and check-standard drift (the figures of
/// `lims qc batch N`), and which batches were held out with `--exclude-failed-qc`.
enum QCSection {
    static func build(store: LabStore, heldOut: [Int64: BatchQCReport], excluding: Bool) throws -> ReportSection {
        var section = ReportSection(kind: .qc)
        let batches = try store.batches(includeReplaced: false).filter { $0.kind == "results" }
        guard !batches.isEmpty else {
            section.warnings.append("no instrument results imported: no QC to report")
            return section
        }
        let evaluator = BatchQCEvaluator(store: store)
        let reports = try batches.map { try heldOut[$0.id] ?? evaluator.evaluate(batchID: $0.id) }
        section.hasContent = true
        let limits = reports[0].settings
        section.paragraph("Each batch is judged by its QC rows (limits of `lims qc settings`): CRM recovery = measured / certified × 100 "
            + "within \(NumberFormat.short(limits.crmRecovery.lowerBound))–\(NumberFormat.short(limits.crmRecovery.upperBound)) %; duplicate "
            + "RPD = |a − b| / mean × 100 ≤ \(NumberFormat.short(limits.duplicateRPDMax)) % when both values are ≥ "
            + "\(NumberFormat.short(limits.duplicateDLMultiple)) × DL (limit doubled from \(NumberFormat.short(limits.duplicateNearDLMultiple)) × DL, "
            + "not judged below); check standards within \(NumberFormat.short(limits.ccvRecovery.lowerBound))–\(NumberFormat.short(limits.ccvRecovery.upperBound)) % "
            + "along the run; Westgard rules (1-2s warning; 1-3s, 2-2s, R-4s, 4-1s, 10-x reject) on each CRM's control chart across batches. "
            + "Method LOD = 3 × SD and LOQ = 10 × SD of the batch's procedural blanks (n measured values shown).")
        if excluding {
            let held = reports.filter { $0.verdict == .fail }
            section.paragraph(held.isEmpty ? "**Held out (`--exclude-failed-qc`):** none; every batch passed or only warned."
                : "**Held out (`--exclude-failed-qc`):** the values of \(held.count) batch(es) that failed QC are not in this report's tables: "
                  + held.map { "batch \($0.batchID) (\($0.fileName))" }.joined(separator: ", ") + ".")
        }
        var verdicts = MarkdownTable(columns: ["Batch", "File", "Verdict", "CRM pass/judged", "Duplicates pass/judged", "Drift pass/checked", "Blank lines with LOD", "Reasons"])
        var tidyVerdicts = TidyTable(columns: [.number("batch"), .text("file"), .text("verdict"), .number("crm_pass"),
                                               .number("crm_judged"), .number("duplicates_pass"),
                                               .number("duplicates_judged"), .number("drift_pass"),
                                               .number("drift_checked"), .number("blank_lines_with_lod"), .text("reasons")])
        var lodTable = MarkdownTable(columns: ["Batch", "Line", "Unit", "n", "Mean", "SD", "LOD", "LOQ"])
        var tidyLOD = TidyTable(columns: [.number("batch"), .text("line"), .text("unit"), .number("n"),
                                          .number("mean"), .number("sd"), .number("lod"), .number("loq")])
        var crmTable = MarkdownTable(columns: ["Batch", "Row", "CRM", "Line", "Measured", "Certified", "Recovery %", "Result"])
        var json: [JSONValue] = []
        for report in reports {
            let crmJudged = report.crm.filter { $0.pass != nil }, rpdJudged = report.duplicates.filter { $0.pass != nil }
            let withLOD = report.blanks.filter { $0.lod != nil }.count
            verdicts.rows.append(["\(report.batchID)", report.fileName, report.verdict.rawValue,
                                  "\(crmJudged.filter { $0.pass == true }.count)/\(crmJudged.count)",
                                  "\(rpdJudged.filter { $0.pass == true }.count)/\(rpdJudged.count)",
                                  "\(report.drift.filter(\.pass).count)/\(report.drift.count)", "\(withLOD)",
                                  report.reasons.joined(separator: "; ")])
            tidyVerdicts.rows.append([.number(Double(report.batchID)), .text(report.fileName), .text(report.verdict.rawValue),
                                      .number(Double(crmJudged.filter { $0.pass == true }.count)), .number(Double(crmJudged.count)),
                                      .number(Double(rpdJudged.filter { $0.pass == true }.count)), .number(Double(rpdJudged.count)),
                                      .number(Double(report.drift.filter(\.pass).count)), .number(Double(report.drift.count)),
                                      .number(Double(withLOD)), .text(report.reasons.joined(separator: "; "))])
            for blank in report.blanks where blank.lod != nil {
                lodTable.rows.append(["\(report.batchID)", blank.line.name, blank.unit, "\(blank.n)", NumberFormat.significant(blank.mean),
                                      NumberFormat.significant(blank.sd, 2), NumberFormat.significant(blank.lod, 2), NumberFormat.significant(blank.loq, 2)])
                tidyLOD.rows.append([.number(Double(report.batchID)), .text(blank.line.name), .text(blank.unit), .number(Double(blank.n)),
                                     .number(blank.mean), .number(blank.sd), .number(blank.lod), .number(blank.loq)])
            }
            for row in report.crm where row.recovery != nil {
                crmTable.rows.append(["\(report.batchID)", row.label, row.crmName, row.line.name, NumberFormat.significant(row.measured),
                                      row.certified.map { "\(NumberFormat.significant($0.value)) \($0.unit) (\($0.kind))" } ?? "",
                                      String(format: "%.1f", row.recovery ?? 0), row.pass.map { $0 ? "pass" : "fail" } ?? "not judged"])
            }
            json.append(.object([("batch", .number(Double(report.batchID))), ("file", .string(report.fileName)),
                                 ("verdict", .string(report.verdict.rawValue)), ("reasons", .strings(report.reasons)),
                                 ("held_out", .bool(excluding && report.verdict == .fail))]))
        }
        section.add("QC verdict per batch", verdicts)
        section.tidy.append(("qc-verdicts", tidyVerdicts))
        if !lodTable.rows.isEmpty {
            section.add("Method detection and quantification limits (procedural blanks)", lodTable)
            section.tidy.append(("qc-blank-limits", tidyLOD))
        }
        if !crmTable.rows.isEmpty { section.add("CRM recovery", crmTable) }
        section.json = .object([("batches", .array(json)), ("excluded_failed_qc", .bool(excluding))])
        return section
    }
}
