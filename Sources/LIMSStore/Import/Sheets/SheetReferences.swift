/// Finding the records a row refers to by their codes (site, plot, sample, thin section, map,
/// POI). An unknown code is a row error naming the cell, with "did you mean" suggestions.
extension SheetImportContext {
    /// The row of `table` whose `codeColumn` is the cell's text (optionally within a parent record).
    public func reference(_ row: SheetRow, column: String, table: String, codeColumn: String = "code",
                          noun: String, within scope: (column: String, id: Int64, description: String)? = nil,
                          hint: String = "") throws -> Row {
        let code = try row.requiredText(column)
        return try reference(code: code, row: row, column: column, table: table, codeColumn: codeColumn,
                             noun: noun, within: scope, hint: hint)
    }

    public func reference(code: String, row: SheetRow, column: String, table: String, codeColumn: String = "code",
                          noun: String, within scope: (column: String, id: Int64, description: String)? = nil,
                          hint: String = "") throws -> Row {
        let scopeSQL = scope.map { " AND \($0.column) = ?" } ?? ""
        let scopeArgs: [SQLValue] = scope.map { [.integer($0.id)] } ?? []
        if let found = try db.firstRow("SELECT * FROM \(table) WHERE \(codeColumn) = ?" + scopeSQL,
                                       [SQLValue.text(code)] + scopeArgs) {
            return found
        }
        // Codes are matched ignoring case, as in queries and registration (LabStore.registeredCode).
        let loose = try db.rows("SELECT * FROM \(table) WHERE lower(\(codeColumn)) = lower(?)" + scopeSQL
                                    + " ORDER BY \(codeColumn) LIMIT 2", [SQLValue.text(code)] + scopeArgs)
        if loose.count == 1 { return loose[0] }
        if loose.count == 2 {
            throw row.error(column, "\(noun) \"\(code)\" matches both \"\(loose[0].string(codeColumn) ?? "")\" and "
                            + "\"\(loose[1].string(codeColumn) ?? "")\" ignoring case; write the code exactly as registered")
        }
        let known = try db.rows("SELECT \(codeColumn) AS code FROM \(table) WHERE 1 = 1" + scopeSQL, scopeArgs)
            .compactMap { $0.string("code") }
        var message = "no \(noun) \"\(code)\" is registered" + (scope.map { " on \($0.description)" } ?? "")
        let close = Suggestions.closest(to: code, among: known)
        if !close.isEmpty { message += "; did you mean " + close.map { "\"\($0)\"" }.joined(separator: ", ") + "?" }
        if !hint.isEmpty { message += " (\(hint))" }
        throw row.error(column, message)
    }

    /// A registered sample by code; warns when it is retired.
    public func sample(_ row: SheetRow, column: String) throws -> Row {
        let found = try reference(row, column: column, table: "sample", noun: "sample",
                                  hint: "register it first: lims import samples, or lims sample add")
        if let retired = found.string("retired_at") {
            warn(row, column: column, "sample \(found.string("code") ?? "") was retired on \(retired)")
        }
        noteSample(found.int64("id")!)
        return found
    }

    /// A thin section, one of its XRF maps, and (optionally) one of the map's POIs.
    public func mapReference(_ row: SheetRow, poiColumn: String? = nil)
        throws -> (thinSection: Row, map: Row, poi: Row?) {
        let section = try reference(row, column: "thin_section", table: "thin_section", noun: "thin section",
                                    hint: "import it first: lims import thin-sections")
        let sectionCode = section.string("code") ?? ""
        let map = try reference(row, column: "map", table: "xrf_map", codeColumn: "label", noun: "XRF map",
                                within: ("thin_section_id", section.int64("id")!, "thin section \(sectionCode)"),
                                hint: "import it first: lims import xrf-maps")
        noteSample(section.int64("sample_id")!)
        guard let poiColumn else { return (section, map, nil) }
        let poi = try reference(row, column: poiColumn, table: "poi", codeColumn: "label", noun: "POI",
                                within: ("xrf_map_id", map.int64("id")!, "map \(map.string("label") ?? "") of \(sectionCode)"),
                                hint: "import it first: lims import pois")
        return (section, map, poi)
    }
}
