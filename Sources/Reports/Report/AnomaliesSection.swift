/// Per-sample REE metrics: normalized patterns, sums, LREE_N/HREE_N, Ce/Ce*, Eu/Eu*, La/La*, Gd/Gd*, Y/Ho, λ, and pattern figures.
enum AnomaliesSection {
    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .anomalies)
        let reference = context.reference
        var samples: [ReportSample] = [], without: [String] = []
        for sample in context.samples {
            if context.hasREETotals(sample.id) { samples.append(sample) } else { without.append(sample.code) }
        }
        if !without.isEmpty {
            section.warnings.append("no REE totals (mg/kg) for sample(s) \(listed(without, context)); left out of the REE tables")
        }
        let lacking = reference.missingREY
        if !lacking.isEmpty {
            section.warnings.append("reference \(reference.code) has no value for \(lacking.joined(separator: ", ")); "
                                    + "those normalized values (and anomalies or ratios needing them) are not computed")
        }
        guard !samples.isEmpty else {
            section.warnings.append("no sample of the selected treatments has REE totals (mg/kg): nothing to report on REE patterns")
            return section
        }
        section.hasContent = true
        section.paragraph("""
            Normalized to **\(reference.code)** — \(reference.name); \(reference.citation). \
            Formulas: X_N = X_sample / X_\(reference.code); \(REEMetrics.sumFormula); \(REEMetrics.ratioFormula); \
            \(context.options.anomalyForm.ceFormula); \(context.options.anomalyForm.euFormula) \
            (\(context.options.anomalyForm.rawValue)); > 1 positive, < 1 negative anomaly. \
            Anomalies are not computed when a needed input is below detection or missing.
            """)

        let km = context.options.censoring == .censoredMethods
        let large = context.options.isLarge(samples.count)
        MeasuredTotalsTable.add(to: &section, context, samples: samples)
        if large {
            addSummaries(to: &section, context, samples: samples)
        } else {
            addPerSampleTables(to: &section, context, samples: samples)
        }
        // Treatment means of the normalized pattern: Kaplan–Meier where values are below detection.
        let order = Elements.reyPattern
        var means = MarkdownTable(columns: ["Treatment", "n"] + order, rightAligned: Set(1..<(2 + order.count)))
        var meanSeries: [SVGChart.Series] = []
        var jsonMeans: [JSONValue] = []
        var anyKM = false
        for treatment in context.treatmentOrder {
            let group = samples.filter { $0.treatmentCode == treatment }
            guard !group.isEmpty else { continue }
            // Each sample's metrics read once (not once per element): the values per element in group order.
            var valuesOfElement = [[CensoredValue]](repeating: [], count: order.count)
            for s in group {
                let m = context.metrics(s.id)
                for (i, e) in order.enumerated() {
                    if let v = m.normalized[e] { valuesOfElement[i].append(CensoredValue(v, censored: m.upperLimitElements.contains(e))) }
                }
            }
            let stats: [(mean: Double?, sd: Double?, censored: Int)] = valuesOfElement.map { values in
                let censored = values.filter(\.censored).count
                if km && censored > 0 {
                    anyKM = true
                    guard let estimate = try? KaplanMeier(values) else { return (nil, nil, censored) }
                    return (estimate.mean, estimate.sd, censored)
                }
                let d = Descriptive(values.map(\.value))
                return (d.mean, d.sd, censored)
            }
            means.rows.append([treatment, String(group.count)] + stats.map { st in
                guard let mean = st.mean else { return st.censored > 0 ? "all < DL" : "–" }
                return NumberFormat.summary(mean: mean, sd: st.sd, median: nil) + (st.censored > 0 ? " [\(st.censored) < DL]" : "")
            })
            meanSeries.append(SVGChart.Series(name: "\(treatment) (n = \(group.count))", values: stats.map(\.mean),
                                              errors: stats.map(\.sd), colorIndex: context.colorIndex(treatment)))
            jsonMeans.append(.object([("treatment", .string(treatment)), ("n", .int(group.count)),
                                      ("mean", .object(zip(order, stats).map { ($0, .num($1.mean)) })),
                                      ("sd", .object(zip(order, stats).map { ($0, .num($1.sd)) })),
                                      ("n_censored", .object(zip(order, stats).map { ($0, .int($1.censored)) }))]))
        }
        section.add("Mean \(reference.code)-normalized pattern per treatment (mean ± SD)", means,
                    notes: anyKM ? ["[k < DL]: k values below detection; mean ± SD by \(KaplanMeier.method)."] : [])

        let prefix = context.options.figurePrefix
        let rule = context.options.censoring
        section.figure(ReportFigure(
            fileName: "\(prefix)ree-pattern-treatments.svg",
            caption: "\(reference.code)-normalized REE+Y patterns (Y between Dy and Ho), treatment means ± SD (log scale)",
            svg: SVGChart.logPattern(title: "REE+Y patterns by treatment (mean ± SD)",
                                     subtitle: "normalized to \(reference.code); values < DL: \(rule == .censoredMethods ? "Kaplan–Meier means" : "rule " + rule.rawValue)",
                                     categories: order, series: meanSeries, xLabel: "element (Y placed by ionic radius)",
                                     yLabel: "sample / \(reference.code)")))
        if large {
            section.figure(patternEnvelope(context, samples: samples))
        } else {
            section.figure(perSamplePatterns(context, samples: samples))
        }
        // Per-sample tables are made row by row when written (a large study attaches them beside the Markdown).
        let perSample: [(name: String, table: TidyTable)] = [("samples", tidySamples(context, samples)),
                                                              ("normalized", tidyNormalized(context, samples))]
        section.tidy += perSample + [("treatment-means", tidyMeans(jsonMeans))]
        if large {
            section.attachments += perSample.map { (fileName: "\(prefix)anomalies-\($0.name).csv", table: $0.table) }
        }
        section.jsonSource = { [context, samples, jsonMeans] in json(context, samples: samples, means: jsonMeans) }
        return section
    }

    /// The section's JSON, built when asked for: one object per sample.
    static func json(_ context: ReportContext, samples: [ReportSample], means jsonMeans: [JSONValue]) -> JSONValue {
        let reference = context.reference, form = context.options.anomalyForm
        let jsonSamples = samples.map { sample in jsonSample(context, sample) }
        return .object([
            ("reference", .string(reference.code)),
            ("formulas", .object([("ce_anomaly", .string(context.options.anomalyForm.ceFormula)),
                                  ("eu_anomaly", .string(context.options.anomalyForm.euFormula)),
                                  ("la_anomaly", .string(REEAnomalies.laFormula(form))), ("gd_anomaly", .string(REEAnomalies.gdFormula(form))),
                                  ("y_ho", .string(REEAnomalies.yhoFormula)), ("lambdas", .string(LambdaShape.formula)),
                                  ("sums", .string(REEMetrics.sumFormula)), ("lree_hree", .string(REEMetrics.ratioFormula))])),
            ("samples", .array(jsonSamples)),
            ("treatment_means", .array(jsonMeans)),
        ])
    }

    static func jsonSample(_ context: ReportContext, _ sample: ReportSample) -> JSONValue {
        let m = context.metrics(sample.id)
        let lambdas = m.lambdaShape?.lambdas
        return .object([
            ("sample", .string(sample.code)), ("treatment", .str(sample.treatmentCode)),
            ("sum_ree", .num(m.sumREE)), ("sum_ree_upper_limit", .bool(m.isUpperLimit(Elements.ree))),
            ("sum_rey", .num(m.sumREY)), ("lree", .num(m.lree)), ("hree", .num(m.hree)),
            ("lree_hree_normalized", .num(m.lreeHreeRatio)), ("ce_anomaly", .num(m.ceAnomaly)),
            ("ce_anomaly_note", .str(m.ceAnomalyNote)), ("eu_anomaly", .num(m.euAnomaly)),
            ("eu_anomaly_note", .str(m.euAnomalyNote)),
            ("la_anomaly", .num(m.laAnomaly)), ("gd_anomaly", .num(m.gdAnomaly)), ("y_ho", .num(m.yHoRatio)),
            ("lambdas", lambdas.map { .array($0.map { .num($0) }) } ?? .null),
            ("lambda_elements", .strings(m.lambdaShape?.elementsUsed ?? [])),
            ("concentrations_mg_kg", .object(Elements.rey.map { ($0, .num(context.total(sample.id, $0).value)) })),
            ("normalized", .object(Elements.rey.map { ($0, .num(m.normalized[$0])) })),
            ("substituted", .strings(m.substitutedElements)), ("upper_limits", .strings(m.upperLimitElements)),
            ("missing", .strings(m.missingElements)),
        ])
    }

    /// One line per sample, coloured by treatment; dashed when a substitute was used; open markers for upper limits.
    static func perSamplePatterns(_ context: ReportContext, samples: [ReportSample]) -> ReportFigure {
        let order = Elements.reyPattern, reference = context.reference, prefix = context.options.figurePrefix
        let treatmentsShown = context.treatmentOrder.filter { t in samples.contains { $0.treatmentCode == t } }
        let sampleSeries = samples.map { s in
            let m = context.metrics(s.id)
            return SVGChart.Series(name: s.code, values: order.map { m.normalized[$0] },
                                   dashed: !m.substitutedElements.isEmpty, colorIndex: context.colorIndex(s.treatmentCode),
                                   upperLimits: order.map { m.upperLimitElements.contains($0) })
        }
        var legend = treatmentsShown.map { t in
            SVGChart.LegendEntry(name: "\(t) (\(samples.filter { $0.treatmentCode == t }.count) samples)", colorIndex: context.colorIndex(t))
        }
        if sampleSeries.contains(where: \.dashed) {
            legend.append(SVGChart.LegendEntry(name: "dashed: uses DL substitutes", colorIndex: SVGChart.otherColorIndex, dashed: true))
        }
        if sampleSeries.contains(where: { $0.upperLimits?.contains(true) ?? false }) {
            legend.append(SVGChart.LegendEntry(name: "open marker: < DL (upper limit)", colorIndex: SVGChart.otherColorIndex,
                                               openMarker: true, line: false))
        }
        return ReportFigure(
            fileName: "\(prefix)ree-pattern-samples.svg",
            caption: "\(reference.code)-normalized REE+Y patterns per sample, coloured by treatment (open markers: < DL; dashed: uses substitutes)",
            svg: SVGChart.logPattern(title: "REE+Y patterns per sample", subtitle: "normalized to \(reference.code)",
                                     categories: order, series: sampleSeries, xLabel: "element (Y placed by ionic radius)",
                                     yLabel: "sample / \(reference.code)", legend: legend))
    }

    /// A large study's patterns: per treatment the median and the 25th and 75th percentiles of X_N per
    /// element (values < DL at DL / reference), so the figure stays small and readable.
    static func patternEnvelope(_ context: ReportContext, samples: [ReportSample]) -> ReportFigure {
        let order = Elements.reyPattern, reference = context.reference, prefix = context.options.figurePrefix
        var series: [SVGChart.Series] = [], legend: [SVGChart.LegendEntry] = []
        for (treatment, group) in byTreatment(context, samples) {
            var valuesOfElement = [[Double]](repeating: [], count: order.count)
            for s in group {
                let normalized = context.metrics(s.id).normalized
                for (i, e) in order.enumerated() { if let v = normalized[e] { valuesOfElement[i].append(v) } }
            }
            let quantiles = valuesOfElement.map { Quantiles($0) }
            let color = context.colorIndex(treatment)
            series.append(SVGChart.Series(name: treatment, values: quantiles.map { $0?.median }, colorIndex: color))
            series.append(SVGChart.Series(name: treatment + " 25 %", values: quantiles.map { $0?.q25 }, dashed: true, colorIndex: color))
            series.append(SVGChart.Series(name: treatment + " 75 %", values: quantiles.map { $0?.q75 }, dashed: true, colorIndex: color))
            legend.append(SVGChart.LegendEntry(name: "\(treatment) (\(group.count) samples)", colorIndex: color))
        }
        legend.append(SVGChart.LegendEntry(name: "solid: median; dashed: 25th and 75th percentiles", colorIndex: SVGChart.otherColorIndex, dashed: true))
        return ReportFigure(
            fileName: "\(prefix)ree-pattern-samples.svg",
            caption: "\(reference.code)-normalized REE+Y patterns of the \(samples.count) samples, per treatment the median (solid) and "
                + "the 25th and 75th percentiles (dashed) of X_N per element, values < DL at DL / \(reference.code) "
                + "(more than \(context.options.perSampleLimit) samples: no line per sample; every sample's pattern is in "
                + "`\(prefix)anomalies-normalized.csv`)",
            svg: SVGChart.logPattern(title: "REE+Y patterns of \(samples.count) samples: median and quartiles by treatment",
                                     subtitle: "normalized to \(reference.code)", categories: order, series: series,
                                     xLabel: "element (Y placed by ionic radius)", yLabel: "sample / \(reference.code)", legend: legend))
    }

    /// The samples of each treatment, in report order (treatments without samples left out).
    static func byTreatment(_ context: ReportContext, _ samples: [ReportSample]) -> [(String, [ReportSample])] {
        var groups: [String: [ReportSample]] = [:]
        for s in samples { groups[s.treatmentCode ?? "", default: []].append(s) }
        return context.treatmentOrder.compactMap { t in groups[t].map { (t, $0) } }
    }

    /// Sample codes for a warning; a large study's list is cut to 12 and counted.
    static func listed(_ codes: [String], _ context: ReportContext) -> String {
        guard context.options.isLarge(codes.count) else { return codes.joined(separator: ", ") }
        return codes.prefix(12).joined(separator: ", ") + " … (\(codes.count - 12) more)"
    }

    /// The study's per-sample tables in the Markdown (up to `perSampleLimit` samples).
    static func addPerSampleTables(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        let reference = context.reference
        let form = context.options.anomalyForm
        // Sums and anomalies per sample.
        var summary = MarkdownTable(columns: ["Sample", "Treatment", "ΣREE (mg/kg)", "ΣREY (mg/kg)", "LREE (mg/kg)",
                                              "HREE (mg/kg)", "LREE_N/HREE_N", "Ce/Ce*", "Eu/Eu*"],
                                    rightAligned: Set(2...8))
        var shape = MarkdownTable(columns: ["Sample", "Treatment", "La/La*", "Gd/Gd*", "Y/Ho", "λ0", "λ1", "λ2", "λ3", "REE in λ fit"],
                                  rightAligned: Set(2...9))
        var substitutedNotes: [String] = [], notComputed: [String] = [], upperNotes: [String] = []
        for sample in samples {
            let m = context.metrics(sample.id)
            let mark = m.substitutedElements.contains(where: Elements.ree.contains) ? " †" : ""
            if !m.substitutedElements.isEmpty {
                substitutedNotes.append("\(sample.code): \(m.substitutedElements.joined(separator: ", "))")
            }
            if !m.upperLimitElements.isEmpty {
                upperNotes.append("\(sample.code): \(m.upperLimitElements.joined(separator: ", "))")
            }
            func anomalyCell(_ value: Double?, _ note: String?, _ name: String) -> String {
                if let value { return NumberFormat.significant(value, 3) }
                notComputed.append("\(sample.code) \(name): \(note ?? "inputs missing")")
                return "n.c. ‡"
            }
            // A sum is marked only when one of its own elements used a substitute; "< x" when one is an upper limit.
            func sumCell(_ v: Double?, _ elements: [String]) -> String {
                let own = elements.contains(where: m.substitutedElements.contains) ? " †" : ""
                return v.map { ReportContext.lt(m.isUpperLimit(elements)) + NumberFormat.short($0) + own } ?? "– ‡"
            }
            if m.sumREE == nil { notComputed.append("\(sample.code) sums: missing \(m.missingElements.joined(separator: ", "))") }
            let ratioCell: String
            if let r = m.lreeHreeRatio { ratioCell = NumberFormat.significant(r, 3) + mark }
            else if m.isUpperLimit(Elements.ree) { ratioCell = "n.c. ‡"; notComputed.append("\(sample.code) LREE_N/HREE_N: an input < DL") }
            else { ratioCell = "– ‡" }
            summary.rows.append([sample.code, sample.treatmentCode ?? "", sumCell(m.sumREE, Elements.ree), sumCell(m.sumREY, Elements.rey),
                                 sumCell(m.lree, Elements.light), sumCell(m.hree, Elements.heavy), ratioCell,
                                 anomalyCell(m.ceAnomaly, m.ceAnomalyNote, "Ce/Ce*"),
                                 anomalyCell(m.euAnomaly, m.euAnomalyNote, "Eu/Eu*")])
            let lambdas = m.lambdaShape?.lambdas
            shape.rows.append([sample.code, sample.treatmentCode ?? "", NumberFormat.significant(m.laAnomaly, 3),
                               NumberFormat.significant(m.gdAnomaly, 3), NumberFormat.significant(m.yHoRatio, 3)]
                              + (0..<4).map { i in lambdas.map { NumberFormat.significant($0[i], 3) } ?? "–" }
                              + [m.lambdaShape.map { String($0.elementsUsed.count) } ?? "< \(LambdaShape.minimumElements)"])
        }
        var notes: [String] = []
        if !substitutedNotes.isEmpty { notes.append(context.substituteFootnote + " " + substitutedNotes.joined(separator: "; ") + ".") }
        if !upperNotes.isEmpty { notes.append("< upper limit: a sum including values below detection kept at their DL (rule `km`): " + upperNotes.joined(separator: "; ") + ".") }
        if !notComputed.isEmpty { notes.append("‡ not computed: " + notComputed.joined(separator: "; ") + ".") }
        notes.append("LREE and HREE are sums in mg/kg; LREE_N/HREE_N is the ratio of the \(reference.code)-normalized sums (dimensionless).")
        section.add("REE sums, LREE_N/HREE_N, Ce/Ce* and Eu/Eu* per sample", summary, notes: notes)
        section.add("Pattern shape per sample: La/La*, Gd/Gd*, Y/Ho and λ (O'Neill 2016)", shape, notes: [
            "\(REEAnomalies.laFormula(form)); \(REEAnomalies.gdFormula(form)) (\(form.rawValue) form; measured inputs only); \(REEAnomalies.yhoFormula). "
            + "λ: \(LambdaShape.formula); \(LambdaShape.citation). λ needs ≥ \(LambdaShape.minimumElements) measured REEs (values < DL are left out of the fit).",
        ])

        // Normalized patterns per sample (Y between Dy and Ho).
        let order = Elements.reyPattern
        var pattern = MarkdownTable(columns: ["Sample", "Treatment"] + order, rightAligned: Set(2..<(2 + order.count)))
        for sample in samples {
            let m = context.metrics(sample.id)
            pattern.rows.append([sample.code, sample.treatmentCode ?? ""] + order.map { e in
                guard let v = m.normalized[e] else { return "–" }
                return ReportContext.lt(m.upperLimitElements.contains(e)) + NumberFormat.significant(v, 3)
                    + (m.substitutedElements.contains(e) ? " †" : "")
            })
        }
        var patternNotes = substitutedNotes.isEmpty ? [] : [context.substituteFootnote]
        if !upperNotes.isEmpty { patternNotes.append("< x: below detection, x = DL / reference (an upper limit).") }
        section.add("\(reference.code)-normalized REE+Y (X_N, dimensionless)", pattern, notes: patternNotes)
    }

    /// A large study's per-sample tables summarized: per treatment the median and quartiles of the sums,
    /// the ratio and the anomalies, with counts of what the per-sample tables would mark; the tables
    /// themselves go to tidy CSV files beside the report.
    static func addSummaries(to section: inout ReportSection, _ context: ReportContext, samples: [ReportSample]) {
        let reference = context.reference, prefix = context.options.figurePrefix
        let quantities: [(label: String, read: (REEMetrics) -> Double?)] = [
            ("ΣREE (mg/kg)", \.sumREE), ("ΣREY (mg/kg)", \.sumREY), ("LREE (mg/kg)", \.lree), ("HREE (mg/kg)", \.hree),
            ("LREE_N/HREE_N", \.lreeHreeRatio), ("Ce/Ce*", \.ceAnomaly), ("Eu/Eu*", \.euAnomaly),
            ("La/La*", \.laAnomaly), ("Gd/Gd*", \.gdAnomaly), ("Y/Ho", \.yHoRatio),
        ]
        var table = MarkdownTable(columns: ["Treatment", "n"] + quantities.map(\.label), rightAligned: Set(1..<(2 + quantities.count)))
        var substituted = 0, upper = 0, notComputed = 0
        for (treatment, group) in byTreatment(context, samples) {
            var values = [[Double]](repeating: [], count: quantities.count)
            for sample in group {
                let m = context.metrics(sample.id)
                if !m.substitutedElements.isEmpty { substituted += 1 }
                if !m.upperLimitElements.isEmpty { upper += 1 }
                if m.sumREE == nil || m.lreeHreeRatio == nil || m.ceAnomaly == nil || m.euAnomaly == nil { notComputed += 1 }
                for (i, q) in quantities.enumerated() { if let v = q.read(m) { values[i].append(v) } }
            }
            table.rows.append([treatment, String(group.count)] + values.map { v in
                Quantiles(v).map { $0.n == group.count ? $0.text : "\($0.text) [n = \($0.n)]" } ?? "–"
            })
        }
        let samplesFile = "\(prefix)anomalies-samples.csv", normalizedFile = "\(prefix)anomalies-normalized.csv"
        var notes = ["Median (25th–75th percentile) of the \(samples.count) samples' values per treatment (quantiles by linear "
                     + "interpolation, R's type 7); `[n = k]`: only k samples have the value. More than \(context.options.perSampleLimit) "
                     + "samples: the per-sample tables (sums, ratios, anomalies, La/La*, Gd/Gd*, Y/Ho, λ0–λ3, with their qualifiers) are in "
                     + "`\(samplesFile)`, the \(reference.code)-normalized patterns (mg/kg and X_N per element) in `\(normalizedFile)`."]
        if upper > 0 { notes.append("\(upper) sample(s) have values below detection kept at their DL (rule `km`): sums over them are upper limits, counted here at their value; the CSV marks them `<`.") }
        if substituted > 0 { notes.append("\(substituted) sample(s) use substitutes: " + context.substituteFootnote + " The CSV marks them `†`.") }
        if notComputed > 0 { notes.append("\(notComputed) sample(s) lack a sum, LREE_N/HREE_N, Ce/Ce* or Eu/Eu* (an input missing or < DL): empty cells in the CSV.") }
        notes.append("LREE and HREE are sums in mg/kg; LREE_N/HREE_N is the ratio of the \(reference.code)-normalized sums (dimensionless).")
        section.add("REE sums, ratios and anomalies by treatment (median and quartiles of \(samples.count) samples)", table, notes: notes)
    }

    /// Per sample, full precision: sums with a qualifier ("<" upper limit, "†" substituted), ratios, anomalies, λ.
    static func tidySamples(_ context: ReportContext, _ samples: [ReportSample]) -> TidyTable {
        var columns: [TidyTable.Column] = [.text("sample"), .text("treatment")]
        for name in ["sum_ree", "sum_rey", "lree", "hree"] { columns += [.number(name + "_mg_kg"), .text(name + "_qualifier")] }
        columns += ["lree_n_hree_n", "ce_anomaly", "eu_anomaly", "la_anomaly", "gd_anomaly", "y_ho", "lambda0", "lambda1", "lambda2", "lambda3"].map { .number($0) }
        columns += [.text("upper_limit_elements"), .text("substituted_elements")]
        return TidyTable(columns: columns) { emit in
          for sample in samples {
            let m = context.metrics(sample.id)
            var row: [TidyTable.Cell] = [.text(sample.code), .text(sample.treatmentCode ?? "")]
            for (v, elements) in [(m.sumREE, Elements.ree), (m.sumREY, Elements.rey), (m.lree, Elements.light), (m.hree, Elements.heavy)] {
                let q = (m.isUpperLimit(elements) ? "<" : "") + (elements.contains(where: m.substitutedElements.contains) ? "†" : "")
                row += [.number(v), .text(v == nil ? "" : q)]
            }
            row += [m.lreeHreeRatio, m.ceAnomaly, m.euAnomaly, m.laAnomaly, m.gdAnomaly, m.yHoRatio].map { .number($0) }
            row += (0..<4).map { i in .number(m.lambdaShape?.lambdas[i]) }
            row += [.text(m.upperLimitElements.joined(separator: " ")), .text(m.substitutedElements.joined(separator: " "))]
            emit(row)
          }
        }
    }

    /// One row per sample and element (Y between Dy and Ho): mg/kg, X_N and its qualifier.
    static func tidyNormalized(_ context: ReportContext, _ samples: [ReportSample]) -> TidyTable {
        TidyTable(columns: [.text("sample"), .text("treatment"), .text("element"), .number("concentration_mg_kg"),
                            .number("normalized"), .text("qualifier"), .text("reference")]) { emit in
            for sample in samples {
                let m = context.metrics(sample.id)
                for e in Elements.reyPattern {
                    let q = (m.upperLimitElements.contains(e) ? "<" : "") + (m.substitutedElements.contains(e) ? "†" : "")
                    emit([.text(sample.code), .text(sample.treatmentCode ?? ""), .text(e), .number(context.total(sample.id, e).value),
                          .number(m.normalized[e]), .text(q), .text(context.reference.code)])
                }
            }
        }
    }

    static func tidyMeans(_ means: [JSONValue]) -> TidyTable {
        var t = TidyTable(columns: [.text("treatment"), .number("n"), .text("element"), .number("n_censored"), .number("mean"), .number("sd")])
        func number(_ v: JSONValue?) -> Double? { if case .number(let d)? = v { return d }; return nil }
        func object(_ v: JSONValue, _ key: String) -> [(String, JSONValue)] {
            if case .object(let pairs) = v, let found = pairs.first(where: { $0.0 == key }), case .object(let inner) = found.1 { return inner }
            return []
        }
        for entry in means {
            guard case .object(let pairs) = entry, case .string(let treatment)? = pairs.first(where: { $0.0 == "treatment" })?.1 else { continue }
            let n = number(pairs.first { $0.0 == "n" }?.1)
            let mean = Dictionary(uniqueKeysWithValues: object(entry, "mean")), sd = Dictionary(uniqueKeysWithValues: object(entry, "sd"))
            let censored = Dictionary(uniqueKeysWithValues: object(entry, "n_censored"))
            for e in Elements.reyPattern {
                t.rows.append([.text(treatment), .number(n), .text(e), .number(number(censored[e])), .number(number(mean[e])), .number(number(sd[e]))])
            }
        }
        return t
    }
}
