/// `pois`: points of interest on an XRF map, with the phase they sit in. Key: map + poi label.
public struct POIsSheet: SheetImporter {
    public init() {}
    public let kind = "pois"
    public let summary = "Points of interest on XRF maps: position (um) and the phase they sit in."
    public let columns: [SheetColumn] = [
        SheetColumn("thin_section", required: true, help: "thin-section code", example: "TS-M1"),
        SheetColumn("map", required: true, help: "map label on that thin section", example: "map1"),
        SheetColumn("poi", required: true, help: "POI label, unique within the map", example: "POI1"),
        SheetColumn("x_um", help: "x position in um from the map origin", example: "412.5"),
        SheetColumn("y_um", help: "y position in um from the map origin", example: "230"),
        SheetColumn("phase", help: "fine-grained Fe-rich matrix, organic debris/root, Al-phosphate grain, Mn oxide, Ce particle …", example: "fine-grained Fe-rich matrix"),
        SheetColumn("notes", help: "free text", example: ""),
    ]
    public var ownedTables: [String] { ["poi"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let (section, map, _) = try context.mapReference(row)
        let label = try row.requiredText("poi")
        let x = try row.number("x_um", unit: "um"), y = try row.number("y_um", unit: "um")
        // A position outside the map is most likely pixels typed as um, or the wrong map.
        if let pixel = map.double("pixel_um") {
            for (value, size, column) in [(x, map.double("width_px"), "x_um"), (y, map.double("height_px"), "y_um")] {
                if let value, let size, value < 0 || value > size * pixel {
                    context.warn(row, column: column, "\(column) \(Validate.format(value)) is outside map \(map.string("label") ?? "") (0 to \(Validate.format(size * pixel)) um)")
                }
            }
        }
        try context.save(table: "poi", label: "POI \(label) on \(map.string("label") ?? "") of \(section.string("code") ?? "")",
                         key: [("xrf_map_id", .integer(map.int64("id")!)), ("label", .text(label))], values: [
            ("x_um", x.sql), ("y_um", y.sql), ("phase", row.text("phase").sql), ("notes", row.text("notes").sql),
        ], sampleID: section.int64("sample_id"), row: row, keyColumn: "poi")
    }
}
