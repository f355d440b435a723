/// `sites`: field sites (e.g. the Dingnan demonstration site). Key: `code`.
public struct SitesSheet: SheetImporter {
    public init() {}
    public let kind = "sites"
    public let summary = "Field sites: code, name, county, province, country, coordinates."
    public let columns: [SheetColumn] = [
        SheetColumn("code", required: true, help: "unique site code", example: "DN"),
        SheetColumn("name", help: "site name", example: "Dingnan demonstration site"),
        SheetColumn("county", help: "county", example: "Dingnan"),
        SheetColumn("province", help: "province", example: "Jiangxi"),
        SheetColumn("country", help: "country", example: "China"),
        SheetColumn("latitude", help: "decimal degrees, -90 to 90 (north positive)", example: "24.78"),
        SheetColumn("longitude", help: "decimal degrees, -180 to 180 (east positive)", example: "115.03"),
        SheetColumn("description", help: "free text", example: "heap-leached ion-adsorption REE tailings"),
    ]
    public var ownedTables: [String] { ["site"] }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        let code = try row.requiredText("code")
        try context.save(table: "site", label: "site \(code)", key: [("code", .text(code))], values: [
            ("name", row.text("name").sql), ("county", row.text("county").sql),
            ("province", row.text("province").sql), ("country", row.text("country").sql),
            ("latitude", try row.number("latitude", unit: "degrees", minimum: -90, maximum: 90).sql),
            ("longitude", try row.number("longitude", unit: "degrees", minimum: -180, maximum: 180).sql),
            ("description", row.text("description").sql),
        ], sampleID: nil, row: row, keyColumn: "code")
    }
}
