/// `lcf`: linear-combination fits of XANES spectra (e.g. Fe K: goethite + ferrihydrite), one row
/// per component. The rows of one fit (same POI and edge) must repeat the same fit figures
/// (R-factor, chi², range). Keys: fit = POI + edge; component = fit + phase.
public struct LCFSheet: SheetImporter {
    public init() {}
    public let kind = "lcf"
    public let summary = "Linear-combination fits at POIs, one row per component: phase, fraction, R-factor, range."
    public let columns: [SheetColumn] = [
        SheetColumn("thin_section", required: true, help: "thin-section code", example: "TS-M1"),
        SheetColumn("map", required: true, help: "map label", example: "map1"),
        SheetColumn("poi", required: true, help: "POI label on that map", example: "POI1"),
        SheetColumn("edge", required: true, help: "edge fitted, e.g. Fe K", example: "Fe K"),
        SheetColumn("r_factor", help: "R-factor of the fit (≥ 0), the same on every row of the fit", example: "0.012"),
        SheetColumn("chi_square", help: "chi² of the fit (≥ 0)", example: "0.35"),
        SheetColumn("range_low_ev", help: "fit range start in eV", example: "7092"),
        SheetColumn("range_high_ev", help: "fit range end in eV (> start)", example: "7192"),
        SheetColumn("phase", required: true, help: "reference compound, e.g. goethite, ferrihydrite", example: "goethite"),
        SheetColumn("fraction", required: true, help: "fraction of the component, 0 to 1", example: "0.62"),
        SheetColumn("uncertainty", help: "uncertainty of the fraction (≥ 0)", example: "0.03"),
    ]
    public var ownedTables: [String] { ["lcf_component", "lcf_fit"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let db = context.store.db
        let (section, map, poi) = try context.mapReference(row, poiColumn: "poi")
        let poiID = poi!.int64("id")!
        let edge = try row.requiredText("edge")
        let low = try row.number("range_low_ev", unit: "eV"), high = try row.number("range_high_ev", unit: "eV")
        if let low, let high, high <= low {
            throw row.error("range_high_ev", value: row.text("range_high_ev") ?? "", expected: "an energy above range_low_ev (\(Validate.format(low)) eV)")
        }
        let fitValues: [(String, SQLValue)] = [
            ("r_factor", try row.number("r_factor", minimum: 0).sql), ("chi_square", try row.number("chi_square", minimum: 0).sql),
            ("range_low_ev", low.sql), ("range_high_ev", high.sql),
        ]
        let where_ = "\(poi!.string("label") ?? "") (\(map.string("label") ?? ""), \(section.string("code") ?? ""))"
        let fitLabel = "LCF fit \(edge) at \(where_)"
        let fitID: Int64
        if let fit = try db.firstRow("SELECT * FROM lcf_fit WHERE poi_id = ? AND edge = ?", [poiID, edge]),
           let firstLine = context.touched["lcf_fit"]?[fit.int64("id")!] {
            // A later component row of a fit already written by this file: its figures must agree.
            if let differing = fitValues.first(where: { !SheetImportContext.same(fit[$0.0], $0.1) }) {
                throw row.error(differing.0, value: row.text(differing.0) ?? "",
                                expected: "\(SheetImportContext.show(fit[differing.0])) as on line \(firstLine) for the same fit (\(edge) at \(where_))")
            }
            fitID = fit.int64("id")!
        } else {
            fitID = try context.save(table: "lcf_fit", label: fitLabel, key: [("poi_id", .integer(poiID)), ("edge", .text(edge))],
                                     values: fitValues, sampleID: section.int64("sample_id"), row: row, keyColumn: "edge").id
        }
        let phase = try row.requiredText("phase")
        try context.save(table: "lcf_component", label: "LCF component \(phase) of \(fitLabel)",
                         key: [("lcf_fit_id", .integer(fitID)), ("phase", .text(phase))], values: [
            ("fraction", .real(try row.requiredNumber("fraction", minimum: 0, maximum: 1))),
            ("uncertainty", try row.number("uncertainty", minimum: 0).sql),
        ], sampleID: section.int64("sample_id"), row: row, keyColumn: "phase")
    }

    /// Fractions of a fit usually sum to about 1; a sum far from it is worth a look.
    public func finish(context: SheetImportContext) throws {
        let ids = context.touched["lcf_fit"].map { Array($0.keys) } ?? []
        for fit in try context.store.db.rows("""
            SELECT f.id, f.edge, p.label, sum(c.fraction) AS total FROM lcf_fit f
            JOIN poi p ON p.id = f.poi_id JOIN lcf_component c ON c.lcf_fit_id = f.id
            WHERE f.id IN (\(context.store.db.dialect.jsonArrayElements("?", integers: true))) GROUP BY f.id, f.edge, p.label ORDER BY f.id
            """, ["[" + ids.map(String.init).joined(separator: ",") + "]"]) {
            if let total = fit.double("total"), abs(total - 1) > 0.05 {
                context.warn(nil, "the fractions of the \(fit.string("edge") ?? "") fit at \(fit.string("label") ?? "") sum to \(Validate.format((total * 1000).rounded() / 1000)), not 1")
            }
        }
    }
}
