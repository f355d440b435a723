/// `xrf-maps`: synchrotron micro-XRF maps of a thin section. Key: thin_section + map label.
public struct XRFMapsSheet: SheetImporter {
    public init() {}
    public let kind = "xrf-maps"
    public let summary = "Micro-XRF maps of thin sections: beamline, energy, beam and pixel size, dwell, dimensions."
    public let columns: [SheetColumn] = [
        SheetColumn("thin_section", required: true, help: "thin-section code", example: "TS-M1"),
        SheetColumn("map", required: true, help: "map label, unique within the thin section", example: "map1"),
        SheetColumn("facility", help: "synchrotron", example: "SSRF"),
        SheetColumn("beamline", help: "beamline", example: "BL15U1"),
        SheetColumn("energy_ev", help: "incident energy in eV (> 0)", example: "7200"),
        SheetColumn("beam_x_um", help: "beam size x in um (> 0)", example: "3"),
        SheetColumn("beam_y_um", help: "beam size y in um (> 0)", example: "3"),
        SheetColumn("pixel_um", help: "pixel (step) size in um (> 0)", example: "10"),
        SheetColumn("dwell_ms", help: "dwell time per pixel in ms (> 0)", example: "100"),
        SheetColumn("width_px", help: "map width in pixels (whole number ≥ 1)", example: "200"),
        SheetColumn("height_px", help: "map height in pixels (whole number ≥ 1)", example: "150"),
        SheetColumn("acquired_on", help: "date, YYYY-MM-DD", example: "2019-04-02"),
        SheetColumn("file_name", help: "the map's data file", example: "TS-M1_map1.h5"),
    ]
    public var ownedTables: [String] { ["xrf_map"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let section = try context.reference(row, column: "thin_section", table: "thin_section", noun: "thin section",
                                            hint: "import it first: lims import thin-sections")
        let sectionCode = section.string("code") ?? ""
        context.noteSample(section.int64("sample_id")!)
        let label = try row.requiredText("map")
        try context.save(table: "xrf_map", label: "XRF map \(label) of \(sectionCode)",
                         key: [("thin_section_id", .integer(section.int64("id")!)), ("label", .text(label))], values: [
            ("facility", row.text("facility").sql), ("beamline", row.text("beamline").sql),
            ("energy_ev", try row.number("energy_ev", unit: "eV", minimum: 0, exclusiveMinimum: true).sql),
            ("beam_x_um", try row.number("beam_x_um", unit: "um", minimum: 0, exclusiveMinimum: true).sql),
            ("beam_y_um", try row.number("beam_y_um", unit: "um", minimum: 0, exclusiveMinimum: true).sql),
            ("pixel_um", try row.number("pixel_um", unit: "um", minimum: 0, exclusiveMinimum: true).sql),
            ("dwell_ms", try row.number("dwell_ms", unit: "ms", minimum: 0, exclusiveMinimum: true).sql),
            ("width_px", try row.integer("width_px", minimum: 1).sql),
            ("height_px", try row.integer("height_px", minimum: 1).sql),
            ("acquired_on", try row.date("acquired_on").sql), ("file_name", row.text("file_name").sql),
        ], sampleID: section.int64("sample_id"), row: row, keyColumn: "map")
    }
}
