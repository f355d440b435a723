import LIMSStore

/// The measured REE+Y totals a paper prints: per sample (with its depth) the value as measured
/// (mean of replicate runs) or "< DL", then the detection limits and methods per element.
enum MeasuredTotalsTable {
    /// `methods`: the distinct methods of the values, sorted.
    struct Cell { var value: Double?; var censored: Bool; var detectionLimits: [Double]; var methods: [String] }

    /// One pass over the replicate runs (this runs per sample × element of the table).
    static func cell(_ raws: [RawValue]) -> Cell {
        var detectedSum = 0.0, detectedCount = 0, anyCensored = false
        var lowestCensoredLimit: Double?
        var limits: [Double] = [], methods: [String] = []
        for raw in raws {
            let isCensored = raw.isCensored
            if (raw.qualifier == "=" || raw.qualifier == ">"), let v = raw.value { detectedSum += v; detectedCount += 1 }
            if isCensored {
                anyCensored = true
                if let l = raw.detectionLimit ?? raw.value, l > 0 { lowestCensoredLimit = min(lowestCensoredLimit ?? l, l) }
            }
            if let l = raw.detectionLimit ?? (isCensored ? raw.value : nil), l > 0 { limits.append(l) }
            if let m = raw.method, !methods.contains(m) { methods.append(m) }
        }
        // The mean sums left to right from 0, as `reduce(0, +)` does.
        let value: Double? = detectedCount == 0 ? lowestCensoredLimit : detectedSum / Double(detectedCount)
        return Cell(value: value, censored: detectedCount == 0 && anyCensored, detectionLimits: limits,
                    methods: methods.count > 1 ? methods.sorted() : methods)
    }

    static func add(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        let order = Elements.reyPattern
        var table = MarkdownTable(columns: ["Sample", "Treatment", "Depth (cm)"] + order, rightAligned: Set(3..<(3 + order.count)))
        var tidy = TidyTable(columns: [.text("sample"), .text("treatment"), .number("depth_top_cm"), .number("depth_bottom_cm"),
                                       .text("element"), .number("value_mg_kg"), .text("qualifier"), .number("detection_limit_mg_kg"),
                                       .text("method"), .number("replicates")])
        // Per element of `order`: the lowest and highest DL seen and the methods (arrays by position, not dictionaries).
        var lowestLimit = [Double?](repeating: nil, count: order.count), highestLimit = lowestLimit
        var methods = [Set<String>](repeating: [], count: order.count)
        for sample in samples {
            var row = [sample.code, sample.treatmentCode ?? "", sample.depthText]
            let stored = context.data.measurements[sample.id]
            for (i, e) in order.enumerated() {
                let all = stored?[e] ?? []
                let raws = all.allSatisfy({ ReportData.solidUnits.contains($0.unit ?? "") }) ? all
                    : all.filter { ReportData.solidUnits.contains($0.unit ?? "") }
                let c = cell(raws)
                for l in c.detectionLimits {
                    lowestLimit[i] = min(lowestLimit[i] ?? l, l)
                    highestLimit[i] = max(highestLimit[i] ?? l, l)
                }
                for m in c.methods where !methods[i].contains(m) { methods[i].insert(m) }
                row.append(c.value.map { (c.censored ? "< " : "") + NumberFormat.significant($0, 3) } ?? "–")
                if !raws.isEmpty {
                    tidy.rows.append([.text(sample.code), .text(sample.treatmentCode ?? ""), .number(sample.depthTopCm),
                                      .number(sample.depthBottomCm), .text(e), .number(c.value), .text(c.censored ? "<" : ""),
                                      .number(c.detectionLimits.min()), .text(c.methods.joined(separator: "; ")),
                                      .int(raws.count)])
                }
            }
            table.rows.append(row)
        }
        table.rows.append(["DL (mg/kg)", "", ""] + order.indices.map { i in
            guard let lo = lowestLimit[i], let hi = highestLimit[i] else { return "–" }
            return lo == hi ? NumberFormat.significant(lo, 2) : "\(NumberFormat.significant(lo, 2))–\(NumberFormat.significant(hi, 2))"
        })
        table.rows.append(["Method", "", ""] + order.indices.map { i in
            methods[i].isEmpty ? "–" : methods[i].sorted().joined(separator: ", ")
        })
        section.add("Measured totals (mg/kg), detection limits and methods", table, notes: [
            "As measured (mean of valid replicate runs); `< x`: below detection, x = DL. DL: range of the detection limits "
            + "reported with the values (– none reported); method: the value's method, else its import batch's method or instrument. Depth from the sample register.",
        ])
        section.tidy.append(("measured-totals", tidy))
    }
}
