import LIMSStore

/// The study's comparison table: per parameter and treatment `mean ± SD (median) letters`, with
/// Kruskal–Wallis H, df, p and the kruskalmc pairs.
enum TreatmentsSection {
    /// A parameter of the comparison: how to read it for one sample.
    /// `@unchecked Sendable`: made and read on the report's one thread, like `ReportContext` (the JSON of a large
    /// study reads its values again through it).
    struct Parameter: @unchecked Sendable {
        var key: String
        var label: String
        var unit: String
        /// The value of `context.samples[row]` (the row is also its row in the context's totals table).
        var value: (_ context: ReportContext, _ row: Int) -> ResolvedValue
    }

    static let propertyOrder = ["pH_H2O", "CEC", "exch_Al", "exch_Ca", "exch_K", "exch_Mg", "exch_Na", "TOC", "TC", "TN"]

    /// A per-sample REE quantity. `elements` are its inputs: when one is an upper limit (rule `km`) a sum
    /// is an upper limit too; ratios and anomalies are not computed then (REEMetrics gives nil).
    static func metric(_ key: String, _ label: String, _ unit: String, elements: [String] = [],
                       _ read: @escaping (REEMetrics) -> Double?) -> Parameter {
        Parameter(key: key, label: label, unit: unit) { context, row in
            let m = context.metrics(row: row)
            guard let v = read(m) else { return .missing }
            let upper = m.isUpperLimit(elements)
            return ResolvedValue(value: v, censored: upper, substituted: !m.substitutedElements.isEmpty, overRange: false,
                                 replicates: 1, leftCensored: upper)
        }
    }

    /// Every parameter the selected samples have data for, in table order.
    static func available(_ context: ReportContext) -> [Parameter] {
        let form = context.options.anomalyForm
        var list: [Parameter] = [
            metric("sum-ree", "ΣREE", "mg/kg", elements: Elements.ree, \.sumREE),
            metric("sum-rey", "ΣREY", "mg/kg", elements: Elements.rey, \.sumREY),
            metric("lree", "LREE", "mg/kg", elements: Elements.light, \.lree),
            metric("hree", "HREE", "mg/kg", elements: Elements.heavy, \.hree),
            metric("lree-hree", "LREE_N/HREE_N (\(context.reference.code)-normalized)", "–", \.lreeHreeRatio),
            metric("ce-anomaly", "Ce/Ce* (\(form.rawValue))", "–", \.ceAnomaly),
            metric("eu-anomaly", "Eu/Eu* (\(form.rawValue))", "–", \.euAnomaly),
            metric("la-anomaly", "La/La* (\(form.rawValue))", "–", \.laAnomaly),
            metric("gd-anomaly", "Gd/Gd* (\(form.rawValue))", "–", \.gdAnomaly),
            metric("y-ho", "Y/Ho", "–", \.yHoRatio),
            metric("lambda1", "λ1 (O'Neill 2016)", "–") { $0.lambdaShape?.lambdas[1] },
            metric("lambda2", "λ2 (O'Neill 2016)", "–") { $0.lambdaShape?.lambdas[2] },
            metric("lambda3", "λ3 (O'Neill 2016)", "–") { $0.lambdaShape?.lambdas[3] },
        ]
        var analytes = Set<String>(), properties: [String: String] = [:]
        for sample in context.samples {
            context.data.measurements.forEachAnalyte(of: sample.id, units: ReportData.solidUnits) { analyte, hasUnit in
                if hasUnit { analytes.insert(analyte) }
            }
            for (name, raws) in context.data.properties[sample.id] ?? [:] { properties[name] = raws.first?.unit ?? "" }
        }
        for analyte in Elements.sorted(analytes) {
            let column = context.column(analyte)
            list.append(Parameter(key: analyte, label: analyte, unit: "mg/kg") { c, row in c.total(row: row, column: column) })
        }
        let propertyNames = properties.keys.sorted {
            (propertyOrder.firstIndex(of: $0) ?? 99, $0) < (propertyOrder.firstIndex(of: $1) ?? 99, $1)
        }
        for name in propertyNames {
            let unit = properties[name].flatMap { $0.isEmpty ? nil : $0 } ?? "–"
            list.append(Parameter(key: name, label: name, unit: unit) { c, row in c.property(c.samples[row].id, name) })
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
        var compared: [Parameter] = []   // the parameter of each comparison
        let large = context.options.isLarge(context.samples.count)
        for parameter in chosen {
            var values: [TreatmentComparison.Value] = []
            var hasValue = [Bool](repeating: false, count: context.samples.count)
            for (row, sample) in context.samples.enumerated() {
                let v = parameter.value(context, row)
                if let x = v.value {
                    hasValue[row] = true
                    values.append(.init(treatment: sample.treatmentCode ?? "", sample: sample.code, value: x,
                                        substituted: v.substituted, censored: v.leftCensored))
                }
            }
            guard !values.isEmpty else { continue }
            var comparison = TreatmentComparison(parameter: parameter.label, unit: parameter.unit,
                                                 treatments: context.treatmentOrder, values: values,
                                                 alpha: context.options.alpha)
            // Say which samples have no value (and why, for the anomalies), so a smaller n is explained.
            // By row, not by code: 10⁴ samples × 80 parameters must be neither quadratic nor hash every code.
            let lacking = context.samples.indices.filter { !hasValue[$0] }.map { row -> String in
                let s = context.samples[row], m = context.metrics(row: row)
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
            // A large study's values are read again for the JSON, when it is asked for.
            comparisons.append(large ? comparison.releasingValues() : comparison)
            compared.append(parameter)
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
        let alpha = Validate.format(context.options.alpha)
        section.paragraph("""
            Cells: `mean ± SD (median)` with SD on n − 1, SD to 2 significant figures and mean and median to the same \
            decimal place, then letters: treatments sharing a letter do not differ. Parameters without values below \
            detection: Kruskal–Wallis, then multiple comparisons after Siegel & Castellan 1988 as pgirmess::kruskalmc at \
            α = \(alpha), letters by insert-and-absorb as multcompView::multcompLetters. \
            \(KruskalWallis.formula). Critical difference: \(KruskalMC.formula). \
            Parameters with values below detection (`[k < DL]`; rule `\(context.options.censoring.rawValue)`): \
            \(context.options.censoring == .censoredMethods
                ? "\(KaplanMeier.method) mean, SD and median; \(PetoPeto.formula); pairs by Peto–Peto with Benjamini–Hochberg adjusted p < α = \(alpha) for the letters (robust ROS estimates in the table below and the JSON)."
                : "\(context.options.censoring.description) — a substitution, so the numbers are not censored-data estimates (the default rule `km` gives them).") \
            Anomalies: \(context.options.anomalyForm.ceFormula); \(context.options.anomalyForm.euFormula); \
            \(REEAnomalies.laFormula(context.options.anomalyForm)); \(REEAnomalies.gdFormula(context.options.anomalyForm)); \
            \(REEAnomalies.yhoFormula); λ: \(LambdaShape.formula).
            """)
        // n of a column: samples of the treatment with a value for at least one reported parameter.
        let columnN = context.treatmentOrder.map { t in
            Set(comparisons.flatMap { c in c.groups.filter { $0.treatment == t }.map(\.descriptive.n) }).max() ?? 0
        }
        let counts = zip(context.treatmentOrder, columnN).map { "\($0) (n = \($1))" }
        var table = MarkdownTable(columns: ["Parameter", "Unit"] + counts + ["Test", "H or χ²", "df", "p"],
                                  rightAligned: Set(2..<(6 + counts.count)).subtracting([2 + counts.count]))
        var pairs = MarkdownTable(columns: ["Parameter", "Pair", "obs. dif.", "critical dif.", "Different"], rightAligned: [2, 3])
        var ppPairs = MarkdownTable(columns: ["Parameter", "Pair", "χ²", "p", "p (BH)", "Different"], rightAligned: [2, 3, 4])
        var censoredTable = MarkdownTable(columns: ["Parameter", "Treatment", "n", "< DL (%)", "KM mean ± SD (median)", "ROS mean ± SD (median)"],
                                          rightAligned: [2, 3, 4, 5])
        var anySubstituted = false, notes: [String] = [], disagree: [String] = []
        for c in comparisons {
            let summary = c.testSummary
            table.rows.append([c.parameter, c.unit] + zip(c.groups, columnN).map { c.cell($0, columnN: $1) }
                              + [summary.map { $0.name == "Kruskal–Wallis" ? "KW" : "Peto–Peto" } ?? "–",
                                 summary.map { NumberFormat.fixed($0.statistic, 3) } ?? "–", summary.map { String($0.df) } ?? "–",
                                 summary.map { formatP($0.p) + (c.lettersDisagreeWithP ? " §" : "") } ?? "–"])
            if c.lettersDisagreeWithP { disagree.append(c.parameter) }
            anySubstituted = anySubstituted || c.groups.contains { !$0.substitutedSamples.isEmpty }
            for p in c.comparisons?.pairs ?? [] {
                pairs.rows.append([c.parameter, "\(p.first) – \(p.second)", NumberFormat.fixed(p.observedDifference, 3),
                                   NumberFormat.fixed(p.criticalDifference, 3), p.significant ? "yes" : "no"])
            }
            for p in c.petoPetoPairs?.pairs ?? [] {
                ppPairs.rows.append([c.parameter, "\(p.first) – \(p.second)", p.chiSquare.map { NumberFormat.fixed($0, 3) } ?? "–",
                                     p.p.map(formatP) ?? "–", p.adjustedP.map(formatP) ?? "–", p.significant ? "yes" : "no"])
            }
            if c.method == .censored {
                for g in c.groups where g.descriptive.n > 0 {
                    let km = g.kaplanMeier.map { NumberFormat.summary(mean: $0.mean, sd: $0.sd, median: $0.median,
                                                                      medianPrefix: $0.medianIsUpperBound ? "< " : "") } ?? "all < DL"
                    let ros = g.ros.map { NumberFormat.summary(mean: $0.mean, sd: $0.sd, median: $0.median) }
                        ?? (g.censoredCount == 0 ? "(no censoring)" : "– (\(g.rosNote ?? ""))")
                    censoredTable.rows.append([c.parameter, g.treatment, String(g.descriptive.n),
                                               NumberFormat.fixed(Double(g.censoredCount) / Double(g.descriptive.n) * 100, 0), km, ros])
                }
            }
            if !c.notes.isEmpty { notes.append("\(c.parameter): " + c.notes.joined(separator: "; ")) }
        }
        let tests = comparisons.filter { $0.testSummary != nil }.count
        var footnotes: [String] = []
        if anySubstituted { footnotes.append(context.substituteFootnote + " Samples: see the JSON `substituted_samples`.") }
        if !disagree.isEmpty {
            footnotes.append("§ the letters and the overall p disagree (p ≥ α with a differing pair, or p < α with none) for "
                             + disagree.joined(separator: ", ") + ": the pairwise comparisons have their own error control; read the letters with the p.")
        }
        if tests > 1 {
            footnotes.append("Multiple testing: \(tests) parameters were tested, each at α = \(alpha); the p values are not adjusted "
                             + "across parameters (about \(NumberFormat.short(context.options.alpha * Double(tests))) false positives expected by chance "
                             + "if no treatment effect existed). Benjamini–Hochberg q values across the parameters are in the JSON (`q_bh_across_parameters`) and CSV.")
        }
        if !notes.isEmpty { footnotes.append("Notes: " + notes.joined(separator: " · ")) }
        section.add("Parameters by treatment", table, notes: footnotes)
        if !pairs.rows.isEmpty { section.add("Multiple comparisons (kruskalmc, α = \(alpha))", pairs) }
        if !ppPairs.rows.isEmpty { section.add("Pairwise Peto–Peto tests (Benjamini–Hochberg adjusted, α = \(alpha))", ppPairs) }
        if !censoredTable.rows.isEmpty {
            section.add("Censored-data estimates (Kaplan–Meier and robust ROS)", censoredTable,
                        notes: ["ROS: \(RobustROS.method), computed with ≥ \(RobustROS.minimumDetects) detects and ≤ 80 % censored. "
                                + "KM: \(KaplanMeier.method); `(< x)`: the median lies below the lowest detect."])
        }
        let pValues = comparisons.compactMap { $0.testSummary?.p }
        var q = BenjaminiHochberg.adjust(pValues)[...]
        let across: [JSONValue] = comparisons.map { c in c.testSummary == nil ? .null : .num(q.removeFirst()) }
        section.tidy.append(("parameters-by-treatment", tidyGroups(comparisons, across)))
        section.tidy.append(("tests", tidyTests(comparisons, across)))
        if !pairs.rows.isEmpty || !ppPairs.rows.isEmpty { section.tidy.append(("pairwise-comparisons", tidyPairs(comparisons))) }
        // Built when asked for: every group's values are in it (63 parameters × 10⁵ samples in a large lab).
        let alphaValue = context.options.alpha, rule = context.options.censoring.rawValue
        section.jsonSource = { [comparisons, across, compared, context, large] in .object([
            ("alpha", .num(alphaValue)),
            ("censored_rule", .string(rule)),
            ("formulas", .object([("kruskal_wallis", .string(KruskalWallis.formula)), ("kruskalmc", .string(KruskalMC.formula)),
                                  ("kaplan_meier", .string(KaplanMeier.method)), ("ros", .string(RobustROS.method)),
                                  ("peto_peto", .string(PetoPeto.formula))])),
            ("parameters", .array(zip(comparisons.indices, across).map { i, q in
                let c = comparisons[i]
                let json = large ? c.json(groupValues: groupValues(compared[i], of: c, context)) : c.json
                guard case .object(var pairs) = json else { return json }
                pairs.append(("q_bh_across_parameters", q))
                return .object(pairs)
            })),
        ]) }
        return section
    }

    /// A parameter's values per group of its comparison, read as `build` read them (samples in order).
    static func groupValues(_ parameter: Parameter, of comparison: TreatmentComparison,
                            _ context: ReportContext) -> [(values: [Double], censored: [Bool])] {
        var byTreatment: [String: (values: [Double], censored: [Bool])] = [:]
        for (row, sample) in context.samples.enumerated() {
            let v = parameter.value(context, row)
            guard let x = v.value else { continue }
            byTreatment[sample.treatmentCode ?? "", default: ([], [])].values.append(x)
            byTreatment[sample.treatmentCode ?? "", default: ([], [])].censored.append(v.leftCensored)
        }
        return comparison.groups.map { byTreatment[$0.treatment] ?? ([], []) }
    }

    static func tidyGroups(_ comparisons: [TreatmentComparison], _ q: [JSONValue]) -> TidyTable {
        var t = TidyTable(columns: [.text("parameter"), .text("unit"), .text("treatment"), .number("n"), .number("n_censored"),
                                    .text("method"), .number("mean"), .number("sd"), .number("median"), .text("median_qualifier"),
                                    .number("ros_mean"), .number("ros_sd"), .number("ros_median"), .text("letters")])
        for c in comparisons {
            for g in c.groups where g.descriptive.n > 0 {
                let method = c.method == .censored ? (g.kaplanMeier == nil ? "all censored" : "kaplan-meier") : "ordinary"
                t.rows.append([.text(c.parameter), .text(c.unit), .text(g.treatment), .int(g.descriptive.n), .int(g.censoredCount),
                               .text(method), .number(g.mean), .number(g.sd), .number(g.median),
                               .text(g.kaplanMeier?.medianIsUpperBound == true ? "<" : ""),
                               .number(g.ros?.mean), .number(g.ros?.sd), .number(g.ros?.median), .text(g.letters ?? "")])
            }
        }
        return t
    }

    static func tidyTests(_ comparisons: [TreatmentComparison], _ q: [JSONValue]) -> TidyTable {
        var t = TidyTable(columns: [.text("parameter"), .text("unit"), .text("test"), .number("statistic"), .number("df"),
                                    .number("p"), .number("q_bh_across_parameters"), .text("letters_disagree_with_p")])
        for (c, qv) in zip(comparisons, q) {
            guard let s = c.testSummary else { continue }
            var qNumber: Double?
            if case .number(let x) = qv { qNumber = x }
            t.rows.append([.text(c.parameter), .text(c.unit), .text(s.name), .number(s.statistic), .int(s.df), .number(s.p),
                           .number(qNumber), .text(c.lettersDisagreeWithP ? "yes" : "no")])
        }
        return t
    }

    static func tidyPairs(_ comparisons: [TreatmentComparison]) -> TidyTable {
        var t = TidyTable(columns: [.text("parameter"), .text("method"), .text("treatment_a"), .text("treatment_b"),
                                    .number("observed_difference"), .number("critical_difference"), .number("chi_square"),
                                    .number("p"), .number("p_bh"), .text("different")])
        for c in comparisons {
            for p in c.comparisons?.pairs ?? [] {
                t.rows.append([.text(c.parameter), .text("kruskalmc"), .text(p.first), .text(p.second), .number(p.observedDifference),
                               .number(p.criticalDifference), .number(nil), .number(nil), .number(nil), .text(p.significant ? "yes" : "no")])
            }
            for p in c.petoPetoPairs?.pairs ?? [] {
                t.rows.append([.text(c.parameter), .text("peto-peto"), .text(p.first), .text(p.second), .number(nil), .number(nil),
                               .number(p.chiSquare), .number(p.p), .number(p.adjustedP), .text(p.significant ? "yes" : "no")])
            }
        }
        return t
    }

    static func formatP(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : NumberFormat.fixed(p, 3)
    }
}
