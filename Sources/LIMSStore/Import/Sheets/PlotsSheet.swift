/// `plots`: field plots of a treatment (2 x 2 m replicates, or pits). Key: `code`.
public struct PlotsSheet: SheetImporter {
    public init() {}
    public let kind = "plots"
    public let summary = "Plots of a treatment: replicate number, area (m2)."
    public let columns: [SheetColumn] = [
        SheetColumn("treatment", required: true, help: "code of a registered treatment", example: "miscanthus"),
        SheetColumn("code", required: true, help: "unique plot code", example: "M1"),
        SheetColumn("replicate", help: "replicate number (whole number ≥ 1)", example: "1"),
        SheetColumn("area_m2", help: "plot area in m2 (> 0)", example: "4"),
        SheetColumn("description", help: "free text", example: "2 x 2 m plot"),
    ]
    public var ownedTables: [String] { ["plot"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let code = try row.requiredText("code")
        let treatment = try context.reference(row, column: "treatment", table: "treatment", noun: "treatment",
                                              hint: "import it first: lims import treatments")
        try context.save(table: "plot", label: "plot \(code)", key: [("code", .text(code))], values: [
            ("treatment_id", .integer(treatment.int64("id")!)),
            ("replicate", try row.integer("replicate", minimum: 1).sql),
            ("area_m2", try row.number("area_m2", unit: "m2", minimum: 0, exclusiveMinimum: true).sql),
            ("description", row.text("description").sql),
        ], sampleID: nil, row: row, keyColumn: "code")
    }
}
