import LIMSStore

/// The measured REE+Y totals a paper prints: per sample (with its depth) the value as measured
/// (mean of replicate runs) or "< DL", then the detection limits and methods per element.
enum MeasuredTotalsTable {
    struct Cell { var value: Double?; var censored: Bool; var detectionLimits: [Double]; var methods: Set<String> }

    static func cell(_ raws: [RawValue]) -> Cell {
        let detected = raws.filter { $0.qualifier == "=" || $0.qualifier == ">" }.compactMap(\.value)
        let censored = raws.filter(\.isCensored)
        let limits = raws.compactMap { $0.detectionLimit ?? ($0.isCensored ? $0.value : nil) }.filter { $0 > 0 }
        let value: Double? = detected.isEmpty ? censored.compactMap { $0.detectionLimit ?? $0.value }.filter { $0 > 0 }.min()
            : detected.reduce(0, +) / Double(detected.count)
        return Cell(value: value, censored: detected.isEmpty && !censored.isEmpty, detectionLimits: limits,
                    methods: Set(raws.compactMap(\.method)))
    }

    static func add(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        let order = Elements.reyPattern
        var table = MarkdownTable(columns: ["Sample", "Treatment", "Depth (cm)"] + order, rightAligned: Set(3..<(3 + order.count)))
        var tidy = TidyTable(columns: [.text("sample"), .text("treatment"), .number("depth_top_cm"), .number("depth_bottom_cm"),
                                       .text("element"), .number("value_mg_kg"), .text("qualifier"), .number("detection_limit_mg_kg"),
                                       .text("method"), .number("replicates")])
        var limits: [String: [Double]] = [:], methods: [String: Set<String>] = [:]
        for sample in samples {
            var row = [sample.code, sample.treatmentCode ?? "", sample.depthText]
            for e in order {
                let raws = (context.data.measurements[sample.id]?[e] ?? []).filter { ReportData.solidUnits.contains($0.unit ?? "") }
                let c = cell(raws)
                limits[e, default: []] += c.detectionLimits
                methods[e, default: []].formUnion(c.methods)
                row.append(c.value.map { (c.censored ? "< " : "") + NumberFormat.significant($0, 3) } ?? "–")
                if !raws.isEmpty {
                    tidy.rows.append([.text(sample.code), .text(sample.treatmentCode ?? ""), .number(sample.depthTopCm),
                                      .number(sample.depthBottomCm), .text(e), .number(c.value), .text(c.censored ? "<" : ""),
                                      .number(c.detectionLimits.min()), .text(c.methods.sorted().joined(separator: "; ")),
                                      .int(raws.count)])
                }
            }
            table.rows.append(row)
        }
        table.rows.append(["DL (mg/kg)", "", ""] + order.map { e in
            guard let lo = limits[e]?.min(), let hi = limits[e]?.max() else { return "–" }
            return lo == hi ? NumberFormat.significant(lo, 2) : "\(NumberFormat.significant(lo, 2))–\(NumberFormat.significant(hi, 2))"
        })
        table.rows.append(["Method", "", ""] + order.map { methods[$0].map { $0.sorted().joined(separator: ", ") }.flatMap { $0.isEmpty ? nil : $0 } ?? "–" })
        section.add("Measured totals (mg/kg), detection limits and methods", table, notes: [
            "As measured (mean of valid replicate runs); `< x`: below detection, x = DL. DL: range of the detection limits "
            + "reported with the values (– none reported); method: the value's method, else its import batch's method or instrument. Depth from the sample register.",
        ])
        section.tidy.append(("measured-totals", tidy))
    }
}
