import LIMSStore

/// The measured REE+Y totals a paper prints: per sample (with its depth) the value as measured
/// (mean of replicate runs) or "< DL", then the detection limits and methods per element.
enum MeasuredTotalsTable {
    /// `methods`: the distinct methods of the values, sorted.
    struct Cell { var value: Double?; var censored: Bool; var detectionLimits: [Double]; var methods: [String] }

    /// One pass over the stored mg/kg values of an element of a sample (the replicate runs); nil when it
    /// has none. This runs per sample × element of the table, straight from the compact runs.
    static func cell(_ context: ReportContext, _ sampleID: Int64, _ element: String) -> (cell: Cell, replicates: Int)? {
        var detectedSum = 0.0, detectedCount = 0, anyCensored = false, count = 0
        var lowestCensoredLimit: Double?
        var limits: [Double] = [], methods: [String] = []
        context.forEachSolidValue(sampleID, element) { value, detectionLimit, isCensored, detected, method in
            count += 1
            if detected, let v = value { detectedSum += v; detectedCount += 1 }
            if isCensored {
                anyCensored = true
                if let l = detectionLimit ?? value, l > 0 { lowestCensoredLimit = min(lowestCensoredLimit ?? l, l) }
            }
            if let l = detectionLimit ?? (isCensored ? value : nil), l > 0 { limits.append(l) }
            if let m = method, !methods.contains(m) { methods.append(m) }
        }
        guard count > 0 else { return nil }
        // The mean sums left to right from 0, as `reduce(0, +)` does.
        let value: Double? = detectedCount == 0 ? lowestCensoredLimit : detectedSum / Double(detectedCount)
        return (Cell(value: value, censored: detectedCount == 0 && anyCensored, detectionLimits: limits,
                     methods: methods.count > 1 ? methods.sorted() : methods), count)
    }

    static func tidyColumns() -> [TidyTable.Column] {
        [.text("sample"), .text("treatment"), .number("depth_top_cm"), .number("depth_bottom_cm"),
         .text("element"), .number("value_mg_kg"), .text("qualifier"), .number("detection_limit_mg_kg"),
         .text("method"), .number("replicates")]
    }

    static func tidyRow(_ sample: ReportSample, _ element: String, _ c: Cell, replicates: Int) -> [TidyTable.Cell] {
        [.text(sample.code), .text(sample.treatmentCode ?? ""), .number(sample.depthTopCm),
         .number(sample.depthBottomCm), .text(element), .number(c.value), .text(c.censored ? "<" : ""),
         .number(c.detectionLimits.min()), .text(c.methods.joined(separator: "; ")), .int(replicates)]
    }

    static func add(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        if context.options.isLarge(samples.count) { return addSummary(to: &section, context, samples: samples) }
        let order = Elements.reyPattern
        var table = MarkdownTable(columns: ["Sample", "Treatment", "Depth (cm)"] + order, rightAligned: Set(3..<(3 + order.count)))
        var tidy = TidyTable(columns: tidyColumns())
        // Per element of `order`: the lowest and highest DL seen and the methods (arrays by position, not dictionaries).
        var lowestLimit = [Double?](repeating: nil, count: order.count), highestLimit = lowestLimit
        var methods = [Set<String>](repeating: [], count: order.count)
        for sample in samples {
            var row = [sample.code, sample.treatmentCode ?? "", sample.depthText]
            for (i, e) in order.enumerated() {
                let found = cell(context, sample.id, e)
                let c = found?.cell ?? Cell(value: nil, censored: false, detectionLimits: [], methods: [])
                for l in c.detectionLimits {
                    lowestLimit[i] = min(lowestLimit[i] ?? l, l)
                    highestLimit[i] = max(highestLimit[i] ?? l, l)
                }
                for m in c.methods where !methods[i].contains(m) { methods[i].insert(m) }
                row.append(c.value.map { (c.censored ? "< " : "") + NumberFormat.significant($0, 3) } ?? "–")
                if let found { tidy.rows.append(tidyRow(sample, e, c, replicates: found.replicates)) }
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

    /// A large study: per element the number of values, how many are < DL, the median and quartiles of the
    /// detected ones, the DLs and methods; every sample's row is in the tidy CSV beside the report.
    static func addSummary(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        let order = Elements.reyPattern
        var table = MarkdownTable(columns: ["Element", "Samples with a value", "< DL", "Median (25th–75th percentile) of the detected",
                                           "DL (mg/kg)", "Method"], rightAligned: [1, 2, 3, 4])
        for e in order {
            var detected: [Double] = [], censored = 0, lowest: Double?, highest: Double?, methods = Set<String>()
            for sample in samples {
                guard let c = cell(context, sample.id, e)?.cell else { continue }
                if c.censored { censored += 1 } else if let v = c.value { detected.append(v) }
                for l in c.detectionLimits { lowest = min(lowest ?? l, l); highest = max(highest ?? l, l) }
                methods.formUnion(c.methods)
            }
            let limits: String
            if let lo = lowest, let hi = highest {
                limits = lo == hi ? NumberFormat.significant(lo, 2) : "\(NumberFormat.significant(lo, 2))–\(NumberFormat.significant(hi, 2))"
            } else { limits = "–" }
            table.rows.append([e, String(detected.count + censored), String(censored), Quantiles(detected)?.text ?? "–", limits,
                               methods.isEmpty ? "–" : methods.sorted().joined(separator: ", ")])
        }
        let file = "\(context.options.figurePrefix)anomalies-measured-totals.csv"
        section.add("Measured totals (mg/kg) of \(samples.count) samples: summary per element, detection limits and methods", table, notes: [
            "As measured (mean of valid replicate runs); < DL: values below detection. Median and quartiles (R's type 7) of the detected values. "
            + "More than \(context.options.perSampleLimit) samples: every sample's value, qualifier, DL, method, depth and replicate count is in `\(file)`.",
        ])
        let tidy = TidyTable(columns: tidyColumns()) { emit in
            for sample in samples {
                for e in order {
                    if let found = cell(context, sample.id, e) { emit(tidyRow(sample, e, found.cell, replicates: found.replicates)) }
                }
            }
        }
        section.tidy.append(("measured-totals", tidy))
        section.attachments.append((file, tidy))
    }
}
