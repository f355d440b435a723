import LIMSStore

/// The study's comparison table: per parameter and treatment `mean ± SD (median) letters`, with
/// Kruskal–Wallis H, df, p and the kruskalmc pairs.
enum TreatmentsSection {
    /// A parameter of the comparison: how to read it for one sample.
    struct Parameter {
        var key: String
        var label: String
        var unit: String
        var value: (ReportContext, ReportSample) -> ResolvedValue
    }

    static let propertyOrder = ["pH_H2O", "CEC", "exch_Al", "exch_Ca", "exch_K", "exch_Mg", "exch_Na", "TOC", "TC", "TN"]

    static func metric(_ key: String, _ label: String, _ unit: String, _ read: @escaping (REEMetrics) -> Double?) -> Parameter {
        Parameter(key: key, label: label, unit: unit) { context, sample in
            let m = context.metrics(sample.id)
            guard let v = read(m) else { return .missing }
            return ResolvedValue(value: v, censored: false, substituted: !m.substitutedElements.isEmpty, overRange: false, replicates: 1)
        }
    }

    /// Every parameter the selected samples have data for, in table order.
    static func available(_ context: ReportContext) -> [Parameter] {
        let form = context.options.anomalyForm
        var list: [Parameter] = [
            metric("sum-ree", "ΣREE", "mg/kg", \.sumREE),
            metric("sum-rey", "ΣREY", "mg/kg", \.sumREY),
            metric("lree", "LREE", "mg/kg", \.lree),
            metric("hree", "HREE", "mg/kg", \.hree),
            metric("lree-hree", "LREE/HREE (\(context.reference.code)-normalized)", "–", \.lreeHreeRatio),
            metric("ce-anomaly", "Ce* (\(form.rawValue))", "–", \.ceAnomaly),
            metric("eu-anomaly", "Eu* (\(form.rawValue))", "–", \.euAnomaly),
        ]
        var analytes = Set<String>(), properties: [String: String] = [:]
        for sample in context.samples {
            for (analyte, raws) in context.data.measurements[sample.id] ?? [:]
            where raws.contains(where: { ReportData.solidUnits.contains($0.unit ?? "") }) {
                analytes.insert(analyte)
            }
            for (name, raws) in context.data.properties[sample.id] ?? [:] { properties[name] = raws.first?.unit ?? "" }
        }
        for analyte in Elements.sorted(analytes) {
            list.append(Parameter(key: analyte, label: analyte, unit: "mg/kg") { c, s in c.total(s.id, analyte) })
        }
        let propertyNames = properties.keys.sorted {
            (propertyOrder.firstIndex(of: $0) ?? 99, $0) < (propertyOrder.firstIndex(of: $1) ?? 99, $1)
        }
        for name in propertyNames {
            let unit = properties[name].flatMap { $0.isEmpty ? nil : $0 } ?? "–"
            list.append(Parameter(key: name, label: name, unit: unit) { c, s in c.property(s.id, name) })
        }
        return list
    }

    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .treatments)
        let all = available(context)
        var chosen: [Parameter] = []
        if context.options.parameters.isEmpty {
            chosen = all
        } else {
            for wanted in context.options.parameters {
                if let p = all.first(where: { $0.key.lowercased() == wanted.lowercased() || $0.label.lowercased() == wanted.lowercased()
                    || $0.label.lowercased().hasPrefix(wanted.lowercased() + " ") }) {
                    chosen.append(p)
                } else {
                    section.warnings.append("parameter \"\(wanted)\" has no data in the selected samples (known: "
                                            + all.map(\.key).joined(separator: ", ") + ")")
                }
            }
        }
        if context.treatmentOrder.count == 1 {
            section.warnings.append("only one treatment (\(context.treatmentOrder[0])) selected: descriptive statistics only, no comparison")
        }
        var comparisons: [TreatmentComparison] = []
        for parameter in chosen {
            var values: [(treatment: String, sample: String, value: Double, substituted: Bool)] = []
            for sample in context.samples {
                let v = parameter.value(context, sample)
                if let x = v.value { values.append((sample.treatmentCode ?? "", sample.code, x, v.substituted)) }
            }
            guard !values.isEmpty else { continue }
            var comparison = TreatmentComparison(parameter: parameter.label, unit: parameter.unit,
                                                 treatments: context.treatmentOrder, values: values,
                                                 alpha: context.options.alpha)
            // Say which samples have no value (and why, for the anomalies), so a smaller n is explained.
            let withValue = Set(values.map(\.sample))   // a Set: 10⁴ samples × 40 parameters must not be quadratic
            let lacking = context.samples.filter { !withValue.contains($0.code) }.map { s -> String in
                let m = context.metrics(s.id)
                if parameter.key.hasSuffix("-anomaly") && !context.hasREETotals(s.id) { return "\(s.code) (no REE totals)" }
                switch parameter.key {
                case "ce-anomaly": return "\(s.code) (\(m.ceAnomalyNote ?? "no REE totals"))"
                case "eu-anomaly": return "\(s.code) (\(m.euAnomalyNote ?? "no REE totals"))"
                default: return s.code
                }
            }
            if !lacking.isEmpty {
                let shown = lacking.prefix(12).joined(separator: ", ") + (lacking.count > 12 ? " … (\(lacking.count - 12) more)" : "")
                comparison.notes.insert("no value for \(shown)", at: 0)
            }
            comparisons.append(comparison)
        }
        guard !comparisons.isEmpty else {
            section.warnings.append("no parameter has values in the selected samples: nothing to compare")
            return section
        }
        section.hasContent = true
        for c in comparisons where context.treatmentOrder.count > 1 {
            let testNotes = c.notes.filter { !$0.hasPrefix("no value for ") }
            if !testNotes.isEmpty { section.warnings.append("\(c.parameter): " + testNotes.joined(separator: "; ")) }
        }
        section.paragraph("""
            Cells: `mean ± SD (median)` with SD on n − 1, then letters: treatments sharing a letter do not differ \
            (Kruskal–Wallis, then multiple comparisons after Siegel & Castellan 1988 as pgirmess::kruskalmc at \
            α = \(Validate.format(context.options.alpha)), letters by insert-and-absorb as multcompView::multcompLetters). \
            \(KruskalWallis.formula). Critical difference: \(KruskalMC.formula). \
            Anomalies: \(context.options.anomalyForm.ceFormula); \(context.options.anomalyForm.euFormula).
            """)
        // n of a column: samples of the treatment with a value for at least one reported parameter.
        let columnN = context.treatmentOrder.map { t in
            Set(comparisons.flatMap { c in c.groups.filter { $0.treatment == t }.map(\.descriptive.n) }).max() ?? 0
        }
        let counts = zip(context.treatmentOrder, columnN).map { "\($0) (n = \($1))" }
        var table = MarkdownTable(columns: ["Parameter", "Unit"] + counts + ["H", "df", "p"],
                                  rightAligned: Set(2..<(5 + counts.count)))
        var pairs = MarkdownTable(columns: ["Parameter", "Pair", "obs. dif.", "critical dif.", "Different"], rightAligned: [2, 3])
        var anySubstituted = false, notes: [String] = []
        for c in comparisons {
            table.rows.append([c.parameter, c.unit] + zip(c.groups, columnN).map { c.cell($0, columnN: $1) }
                              + [c.test.map { NumberFormat.fixed($0.h, 3) } ?? "–", c.test.map { String($0.degreesOfFreedom) } ?? "–",
                                 c.test.map { formatP($0.p) } ?? "–"])
            anySubstituted = anySubstituted || c.groups.contains { !$0.substitutedSamples.isEmpty }
            for p in c.comparisons?.pairs ?? [] {
                pairs.rows.append([c.parameter, "\(p.first) – \(p.second)", NumberFormat.fixed(p.observedDifference, 3),
                                   NumberFormat.fixed(p.criticalDifference, 3), p.significant ? "yes" : "no"])
            }
            if !c.notes.isEmpty { notes.append("\(c.parameter): " + c.notes.joined(separator: "; ")) }
        }
        var footnotes: [String] = []
        if anySubstituted { footnotes.append(context.substituteFootnote + " Samples: see the JSON `substituted_samples`.") }
        if !notes.isEmpty { footnotes.append("Notes: " + notes.joined(separator: " · ")) }
        section.add("Parameters by treatment", table, notes: footnotes)
        if !pairs.rows.isEmpty { section.add("Multiple comparisons (kruskalmc, α = \(Validate.format(context.options.alpha)))", pairs) }
        section.json = .object([
            ("alpha", .num(context.options.alpha)),
            ("formulas", .object([("kruskal_wallis", .string(KruskalWallis.formula)), ("kruskalmc", .string(KruskalMC.formula))])),
            ("parameters", .array(comparisons.map(\.json))),
        ])
        return section
    }

    static func formatP(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : NumberFormat.fixed(p, 3)
    }
}
