/// Thin sections: POIs by phase and Ce oxidation state, XANES and LCF results, map correlations.
enum POISection {
    static func build(_ context: ReportContext) -> ReportSection {
        var section = ReportSection(kind: .pois)
        let ts = context.data.thinSections
        let filter = context.options.treatments
        let sections = ts.sections.filter { s in
            filter.isEmpty || (context.data.samples[s.sampleID]?.treatmentCode.map(filter.contains) ?? false)
        }
        guard !sections.isEmpty else {
            section.warnings.append("no thin sections for the selected treatments: nothing to report on POIs")
            return section
        }
        section.hasContent = true
        func treatment(_ s: ThinSectionData.Section) -> String { context.data.samples[s.sampleID]?.treatmentCode ?? "–" }
        func sample(_ s: ThinSectionData.Section) -> String { context.data.samples[s.sampleID]?.code ?? "–" }
        let sectionIDs = Set(sections.map(\.id))
        let maps = ts.maps.filter { sectionIDs.contains($0.sectionID) }
        let mapByID = Dictionary(uniqueKeysWithValues: maps.map { ($0.id, $0) })
        let sectionByID = Dictionary(uniqueKeysWithValues: sections.map { ($0.id, $0) })
        let pois = ts.pois.filter { mapByID[$0.mapID] != nil }
        let poiByID = Dictionary(uniqueKeysWithValues: pois.map { ($0.id, $0) })
        func ceState(_ poi: ThinSectionData.POI) -> String {
            ts.xanes.first { $0.poiID == poi.id && $0.edge.hasPrefix("Ce") && $0.oxidationState != nil }?.oxidationState ?? "not measured"
        }
        func place(_ poiID: Int64) -> (section: ThinSectionData.Section, map: ThinSectionData.Map, poi: ThinSectionData.POI)? {
            guard let poi = poiByID[poiID], let map = mapByID[poi.mapID], let s = sectionByID[map.sectionID] else { return nil }
            return (s, map, poi)
        }

        // Overview per thin section.
        var overview = MarkdownTable(columns: ["Thin section", "Sample", "Treatment", "Maps", "POIs", "POIs by phase"], rightAligned: [3, 4])
        for s in sections {
            let its = pois.filter { mapByID[$0.mapID]?.sectionID == s.id }
            let phases = Dictionary(grouping: its, by: { $0.phase ?? "unassigned" }).map { "\($0.key) \($0.value.count)" }.sorted()
            overview.rows.append([s.code, sample(s), treatment(s), String(maps.filter { $0.sectionID == s.id }.count),
                                  String(its.count), phases.joined(separator: "; ")])
        }
        section.add("Thin sections", overview)
        if pois.isEmpty { section.warnings.append("thin sections have no POIs recorded") }

        // POIs by treatment, phase and Ce oxidation state.
        let states = ["Ce(III)", "Ce(IV)", "mixed", "not measured"]
        var byPhase = MarkdownTable(columns: ["Thin section", "Treatment", "Phase", "POIs"] + states, rightAligned: Set(3..<(4 + states.count)))
        var jsonPhases: [JSONValue] = []
        for s in sections {
            let its = pois.filter { mapByID[$0.mapID]?.sectionID == s.id }
            for phase in Set(its.map { $0.phase ?? "unassigned" }).sorted() {
                let group = its.filter { ($0.phase ?? "unassigned") == phase }
                let counts = states.map { st in group.filter { ceState($0) == st }.count }
                byPhase.rows.append([s.code, treatment(s), phase, String(group.count)] + counts.map(String.init))
                jsonPhases.append(.object([("thin_section", .string(s.code)), ("treatment", .string(treatment(s))),
                                           ("phase", .string(phase)), ("pois", .int(group.count)),
                                           ("ce_oxidation_state", .object(zip(states, counts).map { ($0, .int($1)) }))]))
            }
        }
        if !byPhase.rows.isEmpty { section.add("POIs by phase and Ce oxidation state (from Ce L3 XANES)", byPhase) }

        // XANES results.
        var xanesTable = MarkdownTable(columns: ["Thin section", "Map", "POI", "Phase", "Edge", "Oxidation state", "Ce(IV) fraction", "E0 (eV)"],
                                       rightAligned: [6, 7])
        var jsonXanes: [JSONValue] = []
        for x in ts.xanes {
            guard let p = place(x.poiID) else { continue }
            xanesTable.rows.append([p.section.code, p.map.label, p.poi.label, p.poi.phase ?? "–", x.edge, x.oxidationState ?? "–",
                                    x.ce4Fraction.map { NumberFormat.fixed($0, 2) } ?? "–", x.e0EV.map { NumberFormat.fixed($0, 1) } ?? "–"])
            jsonXanes.append(.object([("thin_section", .string(p.section.code)), ("map", .string(p.map.label)), ("poi", .string(p.poi.label)),
                                      ("phase", .str(p.poi.phase)), ("edge", .string(x.edge)), ("oxidation_state", .str(x.oxidationState)),
                                      ("ce4_fraction", .num(x.ce4Fraction)), ("e0_ev", .num(x.e0EV))]))
        }
        if !xanesTable.rows.isEmpty { section.add("XANES results", xanesTable) }

        // Linear-combination fits.
        var lcfTable = MarkdownTable(columns: ["Thin section", "Map", "POI", "Edge", "Components (fraction ± unc.)", "Σ fractions",
                                               "R-factor", "χ²", "Range (eV)"], rightAligned: [5, 6, 7])
        var jsonLCF: [JSONValue] = []
        for fit in ts.lcf {
            guard let p = place(fit.poiID) else { continue }
            let comps = fit.components.map { c in
                "\(c.phase) \(NumberFormat.fixed(c.fraction, 2))" + (c.uncertainty.map { " ± \(NumberFormat.fixed($0, 2))" } ?? "")
            }
            let sum = fit.components.reduce(0) { $0 + $1.fraction }
            let range = (fit.rangeLowEV != nil || fit.rangeHighEV != nil)
                ? "\(fit.rangeLowEV.map { NumberFormat.fixed($0, 0) } ?? "?")–\(fit.rangeHighEV.map { NumberFormat.fixed($0, 0) } ?? "?")" : "–"
            lcfTable.rows.append([p.section.code, p.map.label, p.poi.label, fit.edge, comps.joined(separator: "; "),
                                  NumberFormat.fixed(sum, 2), fit.rFactor.map { NumberFormat.short($0) } ?? "–",
                                  fit.chiSquare.map { NumberFormat.short($0) } ?? "–", range])
            jsonLCF.append(.object([("thin_section", .string(p.section.code)), ("map", .string(p.map.label)), ("poi", .string(p.poi.label)),
                                    ("edge", .string(fit.edge)), ("r_factor", .num(fit.rFactor)), ("chi_square", .num(fit.chiSquare)),
                                    ("range_ev", .array([.num(fit.rangeLowEV), .num(fit.rangeHighEV)])), ("sum_fractions", .num(sum)),
                                    ("components", .array(fit.components.map { .object([("phase", .string($0.phase)),
                                                                                         ("fraction", .num($0.fraction)),
                                                                                         ("uncertainty", .num($0.uncertainty))]) }))]))
        }
        if !lcfTable.rows.isEmpty { section.add("Linear-combination fits", lcfTable) }

        // Map correlations.
        var corrTable = MarkdownTable(columns: ["Thin section", "Treatment", "Map", "Pair", "R²", "Pixels"], rightAligned: [4, 5])
        var jsonCorr: [JSONValue] = []
        for c in ts.correlations {
            guard let map = mapByID[c.mapID], let s = sectionByID[map.sectionID] else { continue }
            corrTable.rows.append([s.code, treatment(s), map.label, "\(c.elementA)–\(c.elementB)", NumberFormat.fixed(c.rSquared, 4),
                                   c.nPixels.map(String.init) ?? "–"])
            jsonCorr.append(.object([("thin_section", .string(s.code)), ("map", .string(map.label)), ("element_a", .string(c.elementA)),
                                     ("element_b", .string(c.elementB)), ("r_squared", .num(c.rSquared)),
                                     ("n_pixels", c.nPixels.map { .int($0) } ?? .null)]))
        }
        if !corrTable.rows.isEmpty { section.add("Element correlations over whole maps (R²)", corrTable) }

        section.json = .object([
            ("thin_sections", .array(sections.map { s in
                .object([("code", .string(s.code)), ("sample", .string(sample(s))), ("treatment", .string(treatment(s))),
                         ("maps", .strings(maps.filter { $0.sectionID == s.id }.map(\.label))),
                         ("pois", .int(pois.filter { mapByID[$0.mapID]?.sectionID == s.id }.count))])
            })),
            ("pois_by_phase", .array(jsonPhases)), ("xanes", .array(jsonXanes)), ("lcf", .array(jsonLCF)),
            ("map_correlations", .array(jsonCorr)),
        ])
        return section
    }
}
