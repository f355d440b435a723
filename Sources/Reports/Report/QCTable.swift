/// Quality control of the instrument runs behind the reported values (DESIGN §4): per run and element,
/// the blanks (how many, how many < DL, the highest) and the CRM recovery = measured / certified × 100
/// where the CRM's certified value is in the database in the same unit.
enum QCTable {
    static let formula = "CRM recovery = measured / certified × 100; blanks: values as measured (< DL counted)"

    static func add(to section: inout ReportSection, _ context: ReportContext) {
        let qc = context.data.qc
        guard !qc.records.isEmpty else { return }
        var table = MarkdownTable(columns: ["Run (file)", "Element", "Unit", "Blanks", "Blanks < DL", "Highest blank",
                                            "CRM", "CRM n", "Recovery (%)"], rightAligned: [3, 4, 5, 7, 8])
        var tidy = TidyTable(columns: [.text("run"), .text("qc_label"), .text("qc_type"), .text("crm"), .text("element"),
                                       .number("value"), .text("qualifier"), .number("detection_limit"), .text("unit"),
                                       .number("certified"), .number("recovery_percent")])
        var missingCertified = Set<String>()
        for run in qc.runs {
            let records = qc.records.filter { $0.batchID == run.batchID }
            let analytes = Elements.sorted(Set(records.map(\.analyte))).filter { Elements.rey.contains($0) }
            for analyte in analytes {
                let its = records.filter { $0.analyte == analyte }
                let blanks = its.filter { $0.type != "crm" }
                let unit = its.compactMap(\.value.unit).first ?? ""
                let highest = blanks.filter { !$0.value.isCensored }.compactMap(\.value.value).max()
                var recoveries: [Double] = [], crmNames = Set<String>()
                for r in its where r.type == "crm" {
                    let name = r.crmName ?? r.label
                    crmNames.insert(name)
                    var recovery: Double?, certifiedValue: Double?
                    if let c = qc.certified[name.lowercased()]?[analyte], c.unit == (r.value.unit ?? ""), let v = r.value.value, !r.value.isCensored {
                        certifiedValue = c.value
                        recovery = v / c.value * 100
                        recoveries.append(recovery!)
                    } else {
                        missingCertified.insert(name)
                    }
                    tidy.rows.append([.text(run.fileName), .text(r.label), .text(r.type), .text(name), .text(analyte), .number(r.value.value),
                                      .text(r.value.isCensored ? "<" : ""), .number(r.value.detectionLimit), .text(r.value.unit ?? ""),
                                      .number(certifiedValue), .number(recovery)])
                }
                for r in blanks {
                    tidy.rows.append([.text(run.fileName), .text(r.label), .text(r.type), .text(""), .text(analyte), .number(r.value.value),
                                      .text(r.value.isCensored ? "<" : ""), .number(r.value.detectionLimit), .text(r.value.unit ?? ""),
                                      .number(nil), .number(nil)])
                }
                let recoveryText: String
                if let lo = recoveries.min(), let hi = recoveries.max() {
                    let d = Descriptive(recoveries)
                    recoveryText = recoveries.count == 1 ? NumberFormat.fixed(lo, 0)
                        : "\(NumberFormat.fixed(d.mean!, 0)) (\(NumberFormat.fixed(lo, 0))–\(NumberFormat.fixed(hi, 0)))"
                } else {
                    recoveryText = crmNames.isEmpty ? "–" : "no certified value"
                }
                table.rows.append([run.fileName, analyte, unit, String(blanks.count), String(blanks.filter(\.value.isCensored).count),
                                   highest.map { NumberFormat.significant($0, 3) } ?? "–", crmNames.sorted().joined(separator: ", "),
                                   String(its.filter { $0.type == "crm" }.count), recoveryText])
            }
        }
        guard !table.rows.isEmpty else { return }
        var notes = ["\(formula). Blanks: calibration blanks, blanks and continuing calibration blanks of the run."]
        if !missingCertified.isEmpty {
            notes.append("No certified value (same unit) in `crm_certified_value` for \(missingCertified.sorted().joined(separator: ", ")): recovery not computed.")
        }
        section.add("Quality control of the runs (blanks, CRM recovery)", table, notes: notes)
        section.tidy.append(("quality-control", tidy))
    }
}
