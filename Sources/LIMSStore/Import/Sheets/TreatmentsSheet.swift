/// `treatments`: reclamation treatments of a site (control, amendment + plant). Key: `code`.
public struct TreatmentsSheet: SheetImporter {
    public init() {}
    public let kind = "treatments"
    public let summary = "Treatments of a site: amendment, rate (kg/m2), plant, dates."
    public let columns: [SheetColumn] = [
        SheetColumn("site", required: true, help: "code of a registered site", example: "DN"),
        SheetColumn("code", required: true, help: "unique treatment code", example: "miscanthus"),
        SheetColumn("name", help: "treatment name", example: "pig manure + sawdust, Miscanthus"),
        SheetColumn("amendment", help: "organic amendment applied, empty for none", example: "pig manure + sawdust"),
        SheetColumn("amendment_rate_kg_m2", help: "amendment rate in kg/m2 (≥ 0)", example: "2.6"),
        SheetColumn("amended_on", help: "date of amendment, YYYY-MM-DD", example: "2016-04-20"),
        SheetColumn("plant", help: "plant sown or planted", example: "Miscanthus sinensis"),
        SheetColumn("planted_on", help: "planting date, YYYY-MM-DD", example: "2016-05-10"),
        SheetColumn("description", help: "free text", example: ""),
    ]
    public var ownedTables: [String] { ["treatment"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let code = try row.requiredText("code")
        let site = try context.reference(row, column: "site", table: "site", noun: "site",
                                         hint: "import it first: lims import sites")
        try context.save(table: "treatment", label: "treatment \(code)", key: [("code", .text(code))], values: [
            ("site_id", .integer(site.int64("id")!)), ("name", row.text("name").sql),
            ("amendment", row.text("amendment").sql),
            ("amendment_rate_kg_m2", try row.number("amendment_rate_kg_m2", unit: "kg/m2", minimum: 0).sql),
            ("amended_on", try row.date("amended_on").sql), ("plant", row.text("plant").sql),
            ("planted_on", try row.date("planted_on").sql), ("description", row.text("description").sql),
        ], sampleID: nil, row: row, keyColumn: "code")
    }
}
