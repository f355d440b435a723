/// Per-sample REE metrics: normalized patterns, sums, LREE/HREE, Ce* and Eu*, and pattern figures.
enum AnomaliesSection {
    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .anomalies)
        let reference = context.reference
        let samples = context.samples.filter { context.hasREETotals($0.id) }
        let without = context.samples.filter { !context.hasREETotals($0.id) }.map(\.code)
        if !without.isEmpty {
            section.warnings.append("no REE totals (mg/kg) for sample(s) \(without.joined(separator: ", ")); left out of the REE tables")
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

        // Sums and anomalies per sample.
        var summary = MarkdownTable(columns: ["Sample", "Treatment", "ΣREE (mg/kg)", "ΣREY (mg/kg)", "LREE (mg/kg)",
                                              "HREE (mg/kg)", "LREE/HREE (N)", "Ce*", "Eu*"],
                                    rightAligned: Set(2...8))
        var substitutedNotes: [String] = [], notComputed: [String] = []
        var jsonSamples: [JSONValue] = []
        for sample in samples {
            let m = context.metrics(sample.id)
            let mark = m.substitutedElements.contains(where: Elements.ree.contains) ? " †" : ""
            if !m.substitutedElements.isEmpty {
                substitutedNotes.append("\(sample.code): \(m.substitutedElements.joined(separator: ", "))")
            }
            func anomalyCell(_ value: Double?, _ note: String?, _ name: String) -> String {
                if let value { return NumberFormat.fixed(value, 3) }
                notComputed.append("\(sample.code) \(name): \(note ?? "inputs missing")")
                return "n.c. ‡"
            }
            // A sum is marked only when one of its own elements used a substitute.
            func sumCell(_ v: Double?, _ elements: [String]) -> String {
                let own = elements.contains(where: m.substitutedElements.contains) ? " †" : ""
                return v.map { NumberFormat.short($0) + own } ?? "– ‡"
            }
            if m.sumREE == nil { notComputed.append("\(sample.code) sums: missing \(m.missingElements.joined(separator: ", "))") }
            summary.rows.append([sample.code, sample.treatmentCode ?? "", sumCell(m.sumREE, Elements.ree), sumCell(m.sumREY, Elements.rey),
                                 sumCell(m.lree, Elements.light), sumCell(m.hree, Elements.heavy),
                                 m.lreeHreeRatio.map { NumberFormat.fixed($0, 3) + mark } ?? "– ‡",
                                 anomalyCell(m.ceAnomaly, m.ceAnomalyNote, "Ce*"),
                                 anomalyCell(m.euAnomaly, m.euAnomalyNote, "Eu*")])
            jsonSamples.append(.object([
                ("sample", .string(sample.code)), ("treatment", .str(sample.treatmentCode)),
                ("sum_ree", .num(m.sumREE)), ("sum_rey", .num(m.sumREY)), ("lree", .num(m.lree)), ("hree", .num(m.hree)),
                ("lree_hree_normalized", .num(m.lreeHreeRatio)), ("ce_anomaly", .num(m.ceAnomaly)),
                ("ce_anomaly_note", .str(m.ceAnomalyNote)), ("eu_anomaly", .num(m.euAnomaly)),
                ("eu_anomaly_note", .str(m.euAnomalyNote)),
                ("concentrations_mg_kg", .object(Elements.rey.map { ($0, .num(context.total(sample.id, $0).value)) })),
                ("normalized", .object(Elements.rey.map { ($0, .num(m.normalized[$0])) })),
                ("substituted", .strings(m.substitutedElements)), ("missing", .strings(m.missingElements)),
            ]))
        }
        var notes: [String] = []
        if !substitutedNotes.isEmpty { notes.append(context.substituteFootnote + " " + substitutedNotes.joined(separator: "; ") + ".") }
        if !notComputed.isEmpty { notes.append("‡ not computed: " + notComputed.joined(separator: "; ") + ".") }
        section.add("REE sums, LREE/HREE and anomalies per sample", summary, notes: notes)

        // Normalized patterns per sample.
        var pattern = MarkdownTable(columns: ["Sample", "Treatment"] + Elements.rey, rightAligned: Set(2..<(2 + Elements.rey.count)))
        for sample in samples {
            let m = context.metrics(sample.id)
            pattern.rows.append([sample.code, sample.treatmentCode ?? ""] + Elements.rey.map { e in
                guard let v = m.normalized[e] else { return "–" }
                return NumberFormat.fixed(v, 3) + (m.substitutedElements.contains(e) ? " †" : "")
            })
        }
        section.add("\(reference.code)-normalized REE+Y (X_N, dimensionless)", pattern,
                    notes: substitutedNotes.isEmpty ? [] : [context.substituteFootnote])

        // Treatment means of the normalized pattern.
        var means = MarkdownTable(columns: ["Treatment", "n"] + Elements.rey, rightAligned: Set(1..<(2 + Elements.rey.count)))
        var meanSeries: [SVGChart.Series] = []
        var jsonMeans: [JSONValue] = []
        for treatment in context.treatmentOrder {
            let group = samples.filter { $0.treatmentCode == treatment }
            guard !group.isEmpty else { continue }
            let stats = Elements.rey.map { e in Descriptive(group.compactMap { context.metrics($0.id).normalized[e] }) }
            means.rows.append([treatment, String(group.count)] + stats.map { d in
                guard let mean = d.mean else { return "–" }
                return d.sd.map { "\(NumberFormat.fixed(mean, 3)) ± \(NumberFormat.fixed($0, 3))" } ?? NumberFormat.fixed(mean, 3)
            })
            let ree = Array(stats.prefix(Elements.ree.count))
            meanSeries.append(SVGChart.Series(name: "\(treatment) (n = \(group.count))", values: ree.map(\.mean),
                                              errors: ree.map(\.sd)))
            jsonMeans.append(.object([("treatment", .string(treatment)), ("n", .int(group.count)),
                                      ("mean", .object(zip(Elements.rey, stats).map { ($0, .num($1.mean)) })),
                                      ("sd", .object(zip(Elements.rey, stats).map { ($0, .num($1.sd)) }))]))
        }
        section.add("Mean \(reference.code)-normalized pattern per treatment (mean ± SD)", means)

        let prefix = context.options.figurePrefix
        section.figure(ReportFigure(
            fileName: "\(prefix)ree-pattern-treatments.svg",
            caption: "\(reference.code)-normalized REE patterns, treatment means ± SD (log scale)",
            svg: SVGChart.logPattern(title: "REE patterns by treatment (mean ± SD)",
                                     subtitle: "normalized to \(reference.code); rule for < DL: \(context.options.censoring.rawValue)",
                                     categories: Elements.ree, series: meanSeries, xLabel: "element",
                                     yLabel: "sample / \(reference.code)")))
        // One line per sample, coloured by treatment; dashed when a substitute for a value < DL was used.
        let treatmentsShown = context.treatmentOrder.filter { t in samples.contains { $0.treatmentCode == t } }
        let sampleSeries = samples.map { s in
            SVGChart.Series(name: s.code, values: Elements.ree.map { context.metrics(s.id).normalized[$0] },
                            dashed: !context.metrics(s.id).substitutedElements.isEmpty,
                            colorIndex: treatmentsShown.firstIndex(of: s.treatmentCode ?? "") ?? 0)
        }
        var legend = treatmentsShown.enumerated().map { i, t in
            SVGChart.LegendEntry(name: "\(t) (\(samples.filter { $0.treatmentCode == t }.count) samples)", colorIndex: i)
        }
        if sampleSeries.contains(where: \.dashed) {
            legend.append(SVGChart.LegendEntry(name: "dashed: uses DL substitutes", colorIndex: 7, dashed: true))
        }
        section.figure(ReportFigure(
            fileName: "\(prefix)ree-pattern-samples.svg",
            caption: "\(reference.code)-normalized REE patterns per sample, coloured by treatment (dashed: uses substitutes for values < DL)",
            svg: SVGChart.logPattern(title: "REE patterns per sample", subtitle: "normalized to \(reference.code)",
                                     categories: Elements.ree, series: sampleSeries, xLabel: "element",
                                     yLabel: "sample / \(reference.code)", legend: legend)))

        section.json = .object([
            ("reference", .string(reference.code)),
            ("formulas", .object([("ce_anomaly", .string(context.options.anomalyForm.ceFormula)),
                                  ("eu_anomaly", .string(context.options.anomalyForm.euFormula)),
                                  ("sums", .string(REEMetrics.sumFormula)), ("lree_hree", .string(REEMetrics.ratioFormula))])),
            ("samples", .array(jsonSamples)),
            ("treatment_means", .array(jsonMeans)),
        ])
        return section
    }
}
