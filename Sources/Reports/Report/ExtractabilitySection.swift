import LIMSStore

/// CaCl₂-extractable REEs per sample (mg/kg and % of total), summaries per treatment, pattern figure.
enum ExtractabilitySection {
    struct Row {
        var sample: ReportSample
        var extraction: ExtractionRecord
        var results: [String: Extractability] = [:]
        var substituted: Set<String> = []
        /// Elements whose extractable amount (and %) is an upper limit: the extract was < DL (rule `km`).
        var upper: Set<String> = []
        var sumExtractable: Double?
        var sumPercent: Double?
    }

    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .extractability)
        let filter = context.options.treatments
        let extractions = context.data.extractions.filter { e in
            guard let s = context.data.samples[e.soilSampleID], let t = s.treatmentCode else { return false }
            return filter.isEmpty || filter.contains(t)
        }
        guard !extractions.isEmpty else {
            section.warnings.append("no CaCl₂ extraction logged for the selected treatments: nothing to report on extractability")
            return section
        }
        // Elements measured in the extracts (mg/L), REY first.
        var analyteSet = Set<String>()
        for e in extractions {
            for (analyte, raws) in context.data.measurements[e.extractSampleID] ?? [:]
            where raws.contains(where: { ReportData.solutionUnits.contains(($0.unit ?? "").trimmingCharacters(in: .whitespaces)) }) {
                analyteSet.insert(analyte)
            }
        }
        let elements = Elements.sorted(analyteSet)
        var rows: [Row] = []
        for e in extractions {
            let sample = context.data.samples[e.soilSampleID]!
            let where_ = "extraction of \(sample.code) (extract \(e.extractCode))"
            guard let massG = e.soilMassG, massG > 0 else {
                section.warnings.append("\(where_): no soil mass logged; extractable amounts not computed")
                continue
            }
            guard let volumeL = Extractability.solutionVolumeL(volumeML: e.solutionVolumeML, solutionMassG: e.solutionMassG) else {
                section.warnings.append("\(where_): no solution volume or mass logged; extractable amounts not computed")
                continue
            }
            var row = Row(sample: sample, extraction: e)
            var noTotal: [String] = []
            for element in elements {
                let c = context.solution(e.extractSampleID, element)
                guard let conc = c.value else { continue }
                let total = context.total(sample.id, element)
                if total.value == nil { noTotal.append(element) }
                // An upper-limit total (< DL) bounds nothing as a denominator: no % there.
                row.results[element] = Extractability(concentrationMgPerL: conc, volumeL: volumeL, soilMassKg: massG / 1000,
                                                      totalMgPerKg: total.leftCensored ? nil : total.value)
                if c.substituted || total.substituted { row.substituted.insert(element) }
                if c.leftCensored { row.upper.insert(element) }
            }
            let other = elements.flatMap { context.data.otherUnits(e.extractSampleID, $0, units: ReportData.solutionUnits) }
            if !other.isEmpty {
                section.warnings.append("\(where_): values in \(Set(other).sorted().joined(separator: ", ")) were left out (expected mg/L)")
            }
            if row.results.isEmpty {
                section.warnings.append("\(where_): the extract has no concentrations in mg/L")
                continue
            }
            if !noTotal.isEmpty {
                section.warnings.append("sample \(sample.code) has no total (mg/kg) for \(noTotal.joined(separator: ", ")); % of total not computed there")
            }
            if Elements.ree.allSatisfy({ row.results[$0] != nil }) {
                let sum = Elements.ree.reduce(0) { $0 + row.results[$1]!.extractableMgPerKg }
                row.sumExtractable = sum
                if let totalSum = context.metrics(sample.id).sumREE, totalSum > 0 { row.sumPercent = sum / totalSum * 100 }
            }
            rows.append(row)
        }
        guard !rows.isEmpty else {
            section.warnings.append("no extraction could be computed: nothing to report on extractability")
            return section
        }
        section.hasContent = true
        section.paragraph("\(Extractability.formula); V from the logged solution volume, else the solution mass at 1 g/mL. "
                          + "ΣREE extractable = Σ La…Lu; its % = ΣREE extractable / ΣREE total × 100.")
        let columnsFor = elements + (Elements.ree.allSatisfy(elements.contains) ? ["ΣREE"] : [])
        var amounts = MarkdownTable(columns: ["Sample", "Treatment", "Extract", "Soil (g)", "Solution (mL)"] + columnsFor.map { "\($0) (mg/kg)" },
                                    rightAligned: Set(3..<(5 + columnsFor.count)))
        var percents = MarkdownTable(columns: ["Sample", "Treatment", "Extract"] + columnsFor.map { "\($0) (% of total)" },
                                     rightAligned: Set(3..<(3 + columnsFor.count)))
        var jsonRows: [JSONValue] = []
        for row in rows {
            func mark(_ e: String) -> String { row.substituted.contains(e) ? " †" : "" }
            func lt(_ e: String) -> String { row.upper.contains(e) ? "< " : "" }
            let sumLT = Elements.ree.contains(where: row.upper.contains) ? "< " : ""
            let e = row.extraction
            amounts.rows.append([row.sample.code, row.sample.treatmentCode ?? "", e.extractCode, NumberFormat.short(e.soilMassG),
                                 NumberFormat.short((row.results.values.first?.volumeL ?? 0) * 1000)]
                                + elements.map { el in row.results[el].map { lt(el) + NumberFormat.short($0.extractableMgPerKg) + mark(el) } ?? "–" }
                                + (columnsFor.count > elements.count ? [row.sumExtractable.map { sumLT + NumberFormat.short($0) } ?? "–"] : []))
            percents.rows.append([row.sample.code, row.sample.treatmentCode ?? "", e.extractCode]
                                 + elements.map { el in row.results[el]?.percentOfTotal.map { lt(el) + NumberFormat.short($0) + mark(el) } ?? "–" }
                                 + (columnsFor.count > elements.count ? [row.sumPercent.map { sumLT + NumberFormat.short($0) } ?? "–"] : []))
            jsonRows.append(.object([
                ("sample", .string(row.sample.code)), ("treatment", .str(row.sample.treatmentCode)),
                ("extract", .string(e.extractCode)), ("soil_mass_g", .num(e.soilMassG)),
                ("solution_volume_l", .num(row.results.values.first?.volumeL)),
                ("elements", .object(elements.compactMap { el in
                    guard let r = row.results[el] else { return nil }
                    return (el, .object([("extract_mg_l", .num(r.concentrationMgPerL)), ("extractable_mg_kg", .num(r.extractableMgPerKg)),
                                         ("total_mg_kg", .num(r.totalMgPerKg)), ("percent_of_total", .num(r.percentOfTotal)),
                                         ("substituted", .bool(row.substituted.contains(el))),
                                         ("upper_limit", .bool(row.upper.contains(el)))]))
                })),
                ("sum_ree_extractable_mg_kg", .num(row.sumExtractable)), ("sum_ree_percent_of_total", .num(row.sumPercent)),
            ]))
        }
        let footnote = rows.contains { !$0.substituted.isEmpty } ? [context.substituteFootnote] : []
        section.add("Extractable amounts per extraction (mg/kg dry soil)", amounts, notes: footnote)
        section.add("Extractability per extraction (% of total)", percents, notes: footnote)

        // Per soil sample (mean of its extractions), then per treatment.
        var perSample: [(sample: ReportSample, percent: [String: Double], substituted: Set<String>, upper: Set<String>)] = []
        for sample in Dictionary(grouping: rows, by: \.sample.id).keys.sorted() {
            let its = rows.filter { $0.sample.id == sample }
            var percent: [String: Double] = [:]
            for key in columnsFor {
                let values = its.compactMap { key == "ΣREE" ? $0.sumPercent : $0.results[key]?.percentOfTotal }
                if !values.isEmpty { percent[key] = values.reduce(0, +) / Double(values.count) }
            }
            var upper = its.reduce(into: Set<String>()) { $0.formUnion($1.upper) }
            if Elements.ree.contains(where: upper.contains) { upper.insert("ΣREE") }
            perSample.append((its[0].sample, percent, its.reduce(into: Set<String>()) { $0.formUnion($1.substituted) }, upper))
        }
        var summary = MarkdownTable(columns: ["Element"] + context.treatmentOrder + ["Test", "H or χ²", "df", "p"],
                                    rightAligned: Set(1..<(5 + context.treatmentOrder.count)).subtracting([1 + context.treatmentOrder.count]))
        var jsonSummary: [JSONValue] = []
        var summaryComparisons: [TreatmentComparison] = []
        var patternByTreatment: [String: [String: (mean: Double?, sd: Double?, n: Int)]] = [:]
        for key in columnsFor {
            let values = perSample.compactMap { s -> TreatmentComparison.Value? in
                guard let v = s.percent[key] else { return nil }
                return .init(treatment: s.sample.treatmentCode ?? "", sample: s.sample.code, value: v,
                             substituted: s.substituted.contains(key), censored: s.upper.contains(key))
            }
            guard !values.isEmpty else { continue }
            let c = TreatmentComparison(parameter: key, unit: "% of total", treatments: context.treatmentOrder, values: values,
                                        alpha: context.options.alpha)
            for g in c.groups { patternByTreatment[g.treatment, default: [:]][key] = (g.mean, g.sd, g.descriptive.n) }
            let t = c.testSummary
            summary.rows.append([key] + c.groups.map { c.cell($0) }
                                + [t.map { $0.name == "Kruskal–Wallis" ? "KW" : "Peto–Peto" } ?? "–",
                                   t.map { NumberFormat.fixed($0.statistic, 3) } ?? "–", t.map { String($0.df) } ?? "–",
                                   t.map { TreatmentsSection.formatP($0.p) + (c.lettersDisagreeWithP ? " §" : "") } ?? "–"])
            jsonSummary.append(c.json)
            summaryComparisons.append(c)
        }
        section.add("Extractability by treatment (% of total; mean ± SD (median) over soil samples; letters as in the treatment comparison)", summary,
                    notes: footnote)

        let series = context.treatmentOrder.compactMap { t -> SVGChart.Series? in
            guard let stats = patternByTreatment[t], stats.values.contains(where: { $0.n > 0 && $0.mean != nil }) else { return nil }
            return SVGChart.Series(name: "\(t)", values: Elements.reyPattern.map { stats[$0]?.mean }, errors: Elements.reyPattern.map { stats[$0]?.sd },
                                   colorIndex: context.colorIndex(t))
        }
        if series.isEmpty {
            section.warnings.append("no % of total could be computed for any REE (no totals): the extractability figure is not drawn")
        } else {
            section.figure(ReportFigure(
                fileName: "\(context.options.figurePrefix)extractability-pattern.svg",
                caption: "CaCl₂-extractable REE+Y as % of total, treatment means ± SD (log scale; Y between Dy and Ho)",
                svg: SVGChart.logPattern(title: "CaCl₂ extractability (% of total)", subtitle: "1 mM CaCl₂; mean ± SD per treatment",
                                         categories: Elements.reyPattern, series: series, xLabel: "element (Y placed by ionic radius)", yLabel: "% of total")))
        }
        // Tidy CSVs: the per-extraction tables as numbers + qualifiers, the summary as one row per element and treatment.
        var perExtraction = TidyTable(columns: [.text("sample"), .text("treatment"), .text("extract"), .number("soil_mass_g"),
                                                .number("solution_volume_l"), .text("element"), .number("extract_mg_l"),
                                                .number("extractable_mg_kg"), .number("total_mg_kg"), .number("percent_of_total"),
                                                .text("qualifier")])
        for row in rows {
            for el in elements {
                guard let r = row.results[el] else { continue }
                let q = (row.upper.contains(el) ? "<" : "") + (row.substituted.contains(el) ? "†" : "")
                perExtraction.rows.append([.text(row.sample.code), .text(row.sample.treatmentCode ?? ""), .text(row.extraction.extractCode),
                                           .number(row.extraction.soilMassG), .number(r.volumeL), .text(el), .number(r.concentrationMgPerL),
                                           .number(r.extractableMgPerKg), .number(r.totalMgPerKg), .number(r.percentOfTotal), .text(q)])
            }
            if let sum = row.sumExtractable {
                let q = Elements.ree.contains(where: row.upper.contains) ? "<" : ""
                perExtraction.rows.append([.text(row.sample.code), .text(row.sample.treatmentCode ?? ""), .text(row.extraction.extractCode),
                                           .number(row.extraction.soilMassG), .number(row.results.values.first?.volumeL), .text("ΣREE"),
                                           .number(nil), .number(sum), .number(context.metrics(row.sample.id).sumREE),
                                           .number(row.sumPercent), .text(q)])
            }
        }
        section.tidy = [("per-extraction", perExtraction)]
        let noQ = [JSONValue](repeating: .null, count: summaryComparisons.count)
        section.tidy.append(("by-treatment", TreatmentsSection.tidyGroups(summaryComparisons, noQ)))
        section.tidy.append(("by-treatment-tests", TreatmentsSection.tidyTests(summaryComparisons, noQ)))
        section.json = .object([("formula", .string(Extractability.formula)), ("extractions", .array(jsonRows)),
                                ("by_treatment", .array(jsonSummary))])
        return section
    }
}
