/// `thin-sections`: 30 um thin sections cut from (usually undisturbed block) samples. Key: `code`.
public struct ThinSectionsSheet: SheetImporter {
    public init() {}
    public let kind = "thin-sections"
    public let summary = "Thin sections cut from samples: thickness (um), size (mm), date."
    public let columns: [SheetColumn] = [
        SheetColumn("code", required: true, help: "unique thin-section code", example: "TS-M1"),
        SheetColumn("sample", required: true, help: "code of the sample (block) it was cut from", example: "M1-S"),
        SheetColumn("thickness_um", help: "thickness in um (> 0)", example: "30"),
        SheetColumn("width_mm", help: "width in mm (> 0)", example: "50"),
        SheetColumn("length_mm", help: "length in mm (> 0)", example: "80"),
        SheetColumn("prepared_on", help: "date, YYYY-MM-DD", example: "2019-01-15"),
        SheetColumn("notes", help: "free text", example: "resin-impregnated"),
    ]
    public var ownedTables: [String] { ["thin_section"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let code = try row.requiredText("code")
        let sample = try context.sample(row, column: "sample")
        let sampleID = sample.int64("id")!
        try context.save(table: "thin_section", label: "thin section \(code)", key: [("code", .text(code))], values: [
            ("sample_id", .integer(sampleID)),
            ("thickness_um", try row.number("thickness_um", unit: "um", minimum: 0, exclusiveMinimum: true).sql),
            ("width_mm", try row.number("width_mm", unit: "mm", minimum: 0, exclusiveMinimum: true).sql),
            ("length_mm", try row.number("length_mm", unit: "mm", minimum: 0, exclusiveMinimum: true).sql),
            ("prepared_on", try row.date("prepared_on").sql), ("notes", row.text("notes").sql),
        ], sampleID: sampleID, row: row, keyColumn: "code")
    }
}
