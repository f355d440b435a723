import LIMSStore

/// Size fractions: mass % per class, enrichment factors against the bulk sample, mass-balance recovery.
enum FractionsSection {
    struct ClassSummary {
        var label: String
        var lowerUm: Double?
        var upperUm: Double?
        var massPercent: Descriptive
        var fractionSampleIDs: [Int64]
    }

    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .fractions)
        let filter = context.options.treatments
        let parents = Array(Set(context.data.fractions.map(\.parentSampleID))).compactMap { context.data.samples[$0] }
            .filter { s in filter.isEmpty || (s.treatmentCode.map(filter.contains) ?? false) }
            .sorted { $0.code < $1.code }
        guard !parents.isEmpty else {
            section.warnings.append("no size fractions logged for the selected treatments: nothing to report on fractions")
            return section
        }
        section.hasContent = true
        let range = context.options.recoveryRange
        section.paragraph("\(SizeFractions.massFormula). \(SizeFractions.enrichmentFormula). \(SizeFractions.recoveryFormula); "
                          + "flagged when outside \(Validate.format(range.lowerBound))–\(Validate.format(range.upperBound)) %.")
        var jsonParents: [JSONValue] = []
        var tidyMass = TidyTable(columns: [.text("sample"), .text("treatment"), .text("class"), .number("lower_um"), .number("upper_um"),
                                           .number("replicates"), .number("mass_percent_mean"), .number("mass_percent_sd")])
        var tidyQuantities = TidyTable(columns: [.text("sample"), .text("quantity"), .text("unit"), .number("bulk"), .text("class"),
                                                 .number("n"), .number("mean"), .number("sd"), .text("qualifier"),
                                                 .number("enrichment_factor"), .number("recovery_percent"), .text("recovery_flag")])
        for parent in parents {
            let rows = context.data.fractions.filter { $0.parentSampleID == parent.id }
            let percents = SizeFractions.massPercents(rows.map { ($0.replicate, $0.classLabel, $0.massG) })
            var labels: [String] = []
            for r in rows where !labels.contains(r.classLabel) { labels.append(r.classLabel) }
            let classes: [ClassSummary] = labels.map { label in
                let its = rows.filter { $0.classLabel == label }
                return ClassSummary(label: label, lowerUm: its.first?.lowerUm, upperUm: its.first?.upperUm,
                                    massPercent: Descriptive(percents.keys.sorted().compactMap { percents[$0]?[label] }),
                                    fractionSampleIDs: its.compactMap(\.fractionSampleID))
            }.sorted { ($0.lowerUm ?? -1) > ($1.lowerUm ?? -1) }
            for r in rows where r.fractionSampleID == nil {
                section.warnings.append("\(parent.code) class \(r.classLabel) replicate \(r.replicate): no fraction sample registered, so no concentrations")
            }
            var massTable = MarkdownTable(columns: ["Class", "Range (µm)", "Replicates", "Mass (% of Σ fractions)"], rightAligned: [2, 3])
            for c in classes {
                tidyMass.rows.append([.text(parent.code), .text(parent.treatmentCode ?? ""), .text(c.label), .number(c.lowerUm),
                                      .number(c.upperUm), .int(c.massPercent.n), .number(c.massPercent.mean), .number(c.massPercent.sd)])
                massTable.rows.append([c.label, rangeText(c.lowerUm, c.upperUm), String(c.massPercent.n), NumberFormat.meanSD(c.massPercent)])
            }
            section.add("\(parent.code) (\(parent.treatmentCode ?? "")): mass distribution (mean ± SD over replicates)", massTable)

            // What was measured on the fractions: analytes (mg/kg), organic C (soil property), ΣREE.
            let fractionIDs = classes.flatMap(\.fractionSampleIDs)
            var analytes = Set<String>()
            for id in fractionIDs {
                for (a, raws) in context.data.measurements[id] ?? [:]
                where raws.contains(where: { ReportData.solidUnits.contains(($0.unit ?? "").trimmingCharacters(in: .whitespaces)) }) {
                    analytes.insert(a)
                }
            }
            let organic = ["TOC", "OC", "Corg"].filter { p in fractionIDs.contains { context.data.properties[$0]?[p] != nil } }
            struct Quantity { var name: String; var unit: String; var read: (Int64) -> ResolvedValue }
            var quantities = Elements.sorted(analytes).map { a in Quantity(name: a, unit: "mg/kg") { context.total($0, a) } }
            if Elements.ree.allSatisfy(analytes.contains) {
                quantities.insert(Quantity(name: "ΣREE", unit: "mg/kg") { id in
                    let m = context.metrics(id)
                    return ResolvedValue(value: m.sumREE, censored: false, substituted: !m.substitutedElements.isEmpty,
                                         overRange: false, replicates: 1)
                }, at: 0)
            }
            for p in organic { quantities.append(Quantity(name: p, unit: "%") { context.property($0, p) }) }
            guard !quantities.isEmpty else {
                section.warnings.append("\(parent.code): no concentrations measured on its fractions; only the mass distribution is reported")
                jsonParents.append(json(parent, classes, []))
                continue
            }
            var efTable = MarkdownTable(columns: ["Quantity", "Unit", "Bulk"] + classes.map { "\($0.label): C (EF)" } + ["Recovery (%)", "Flag"],
                                        rightAligned: Set(2..<(4 + classes.count)))
            var jsonQuantities: [JSONValue] = []
            var efSeries: [[Double?]] = classes.map { _ in [] }
            var efCategories: [String] = []
            var anySubstituted = false, noBulk: [String] = []
            for q in quantities {
                var bulk = q.read(parent.id)
                // An upper-limit bulk value (< DL) bounds nothing as a denominator: no EF or recovery.
                if bulk.leftCensored { noBulk.append(q.name + " (< DL)"); bulk.value = nil }
                var substituted = bulk.substituted
                var anyUpper = false
                var tidyRows: [[TidyTable.Cell]] = []
                var cells: [String] = [], classJSON: [JSONValue] = [], efs: [Double?] = []
                var recoveryInputs: [(massFraction: Double, concentration: Double?)] = []
                for c in classes {
                    let values = c.fractionSampleIDs.map(q.read)
                    substituted = substituted || values.contains(where: \.substituted)
                    let upper = values.contains(where: \.leftCensored)
                    anyUpper = anyUpper || upper
                    let concentration = Descriptive(values.compactMap(\.value))
                    let ef = concentration.mean.flatMap { mean in bulk.value.flatMap { SizeFractions.enrichmentFactor(fraction: mean, bulk: $0) } }
                    efs.append(ef)
                    tidyRows.append([.text(parent.code), .text(q.name), .text(q.unit), .number(bulk.value), .text(c.label),
                                     .int(concentration.n), .number(concentration.mean), .number(concentration.sd),
                                     .text((upper ? "<" : "") + (values.contains(where: \.substituted) ? "†" : "")), .number(ef)])
                    let lt = ReportContext.lt(upper)
                    cells.append(concentration.mean.map { "\(lt)\(NumberFormat.short($0)) (\(ef.map { lt + NumberFormat.fixed($0, 2) } ?? "–"))" } ?? "–")
                    recoveryInputs.append(((c.massPercent.mean ?? 0) / 100, concentration.mean))
                    classJSON.append(.object([("class", .string(c.label)), ("n", .int(concentration.n)), ("mean", .num(concentration.mean)),
                                              ("sd", .num(concentration.sd)), ("enrichment_factor", .num(ef))]))
                }
                let recovery = bulk.value.flatMap { SizeFractions.recoveryPercent(classes: recoveryInputs, bulk: $0) }
                if bulk.value == nil && !noBulk.contains(q.name + " (< DL)") { noBulk.append(q.name) }
                let flagged = recovery.map { !range.contains($0) } ?? false
                for row in tidyRows { tidyQuantities.rows.append(row + [.number(recovery), .text(flagged ? "outside" : "")]) }
                anySubstituted = anySubstituted || substituted
                efTable.rows.append([q.name + (substituted ? " †" : ""), q.unit, NumberFormat.short(bulk.value)] + cells
                                    + [recovery.map { ReportContext.lt(anyUpper) + NumberFormat.short($0) } ?? "–", flagged ? "⚠ outside \(Validate.format(range.lowerBound))–\(Validate.format(range.upperBound)) %" : ""])
                if flagged {
                    section.warnings.append("\(parent.code) \(q.name): mass-balance recovery \(NumberFormat.short(recovery)) % is outside "
                                            + "\(Validate.format(range.lowerBound))–\(Validate.format(range.upperBound)) %")
                }
                jsonQuantities.append(.object([("quantity", .string(q.name)), ("unit", .string(q.unit)), ("bulk", .num(bulk.value)),
                                               ("classes", .array(classJSON)), ("recovery_percent", .num(recovery)),
                                               ("recovery_flag", .bool(flagged)), ("substituted", .bool(substituted)),
                                               ("upper_limit", .bool(anyUpper))]))
                if efs.contains(where: { $0 != nil }) {
                    efCategories.append(q.name)
                    for i in classes.indices { efSeries[i].append(efs[i]) }
                }
            }
            if !noBulk.isEmpty {
                section.warnings.append("\(parent.code): no bulk value for \(noBulk.joined(separator: ", ")); EF and recovery not computed there")
            }
            section.add("\(parent.code): concentrations, enrichment factors (EF = C_fraction / C_bulk) and recovery", efTable,
                        notes: anySubstituted ? [context.substituteFootnote] : [])
            if !efCategories.isEmpty {
                section.figure(ReportFigure(
                    fileName: "\(context.options.figurePrefix)fraction-enrichment-\(fileSafe(parent.code)).svg",
                    caption: "Enrichment factors of the size fractions of \(parent.code) (C_fraction / C_bulk; dashed line EF = 1)",
                    svg: SVGChart.groupedBars(title: "Enrichment factors by size fraction — \(parent.code)",
                                              subtitle: "EF = C_fraction / C_bulk", categories: efCategories,
                                              series: classes.enumerated().map { SVGChart.Series(name: $1.label, values: efSeries[$0]) },
                                              xLabel: "quantity", yLabel: "enrichment factor", referenceLine: 1,
                                              referenceLabel: "EF = 1")))
            }
            jsonParents.append(json(parent, classes, jsonQuantities))
        }
        section.tidy = [("mass-distribution", tidyMass), ("concentrations-enrichment-recovery", tidyQuantities)]
        section.json = .object([("recovery_range_percent", .array([.num(range.lowerBound), .num(range.upperBound)])),
                                ("formulas", .object([("mass", .string(SizeFractions.massFormula)),
                                                      ("enrichment", .string(SizeFractions.enrichmentFormula)),
                                                      ("recovery", .string(SizeFractions.recoveryFormula))])),
                                ("samples", .array(jsonParents))])
        return section
    }

    static func json(_ parent: ReportSample, _ classes: [ClassSummary], _ quantities: [JSONValue]) -> JSONValue {
        .object([("sample", .string(parent.code)), ("treatment", .str(parent.treatmentCode)),
                 ("classes", .array(classes.map { c in
                     .object([("class", .string(c.label)), ("lower_um", .num(c.lowerUm)), ("upper_um", .num(c.upperUm)),
                              ("replicates", .int(c.massPercent.n)), ("mass_percent_mean", .num(c.massPercent.mean)),
                              ("mass_percent_sd", .num(c.massPercent.sd))])
                 })),
                 ("quantities", .array(quantities))])
    }

    static func rangeText(_ lower: Double?, _ upper: Double?) -> String {
        switch (lower, upper) {
        case (0?, let u?), (nil, let u?): return "< \(Validate.format(u))"
        case let (l?, u?): return "\(Validate.format(l))–\(Validate.format(u))"
        case (let l?, nil): return "> \(Validate.format(l))"
        default: return "–"
        }
    }

    static func fileSafe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
