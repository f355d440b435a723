/// `lims query samples`: samples by where they come from, and by which results they have
/// (or still lack: "which samples from plot M3 have no ICP-MS totals yet").
extension LabStore {
    public func querySamples(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var conditions = QuerySQL.sampleConditions(resolved)
        if let since = filter.since { conditions.add("s.collected_on >= ?", since) }
        if let until = filter.until { conditions.add("s.collected_on <= ?", until) }
        // Results filters only decide which samples qualify; dates above are collection dates.
        let measurement = QuerySQL.measurementConditions(resolved, dates: false)
        let resultsSubquery = """
            SELECT 1 FROM measurement m LEFT JOIN import_batch b ON b.id = m.batch_id
            WHERE m.sample_id = s.id\(measurement.andClause)
            """
        let wanted = filter.withResults ?? (filter.filtersMeasurements ? true : nil)
        if let wanted {
            conditions.add("\(wanted ? "" : "NOT ")EXISTS (\(resultsSubquery))", arguments: measurement.arguments)
        }
        var countConditions = SQLConditions()
        countConditions.append(measurement)
        let sql = """
            SELECT s.id, s.code, s.type, t.code AS treatment, p.code AS plot, si.code AS site, ps.code AS parent,
                   \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   s.collected_on, s.mass_g, s.retired_at,
                   (SELECT count(*) FROM measurement m LEFT JOIN import_batch b ON b.id = m.batch_id
                    WHERE m.sample_id = s.id\(countConditions.andClause)) AS n_results
            FROM sample s
            \(QuerySQL.sampleJoins(resolved))\(conditions.whereClause)
            ORDER BY t.id, p.id, s.id
            """
        var columns = ["sample", "type", "treatment", "plot", "parent", "depth_cm", "collected_on", "mass_g", "results"]
        if filter.includeRetired { columns.append("retired_at") }
        return queryRows(columns: columns, sql: sql, arguments: countConditions.arguments + conditions.arguments) { row in
            var cells: [Cell] = [
                .optionalText(row.string("code")), .optionalText(row.string("type")),
                .optionalText(row.string("treatment")), .optionalText(row.string("plot")),
                .optionalText(row.string("parent")), QuerySQL.depthText(row), .optionalText(row.string("collected_on")),
                .number(row.double("mass_g")), .integer(row.int64("n_results") ?? 0),
            ]
            if filter.includeRetired { cells.append(.optionalText(row.string("retired_at"))) }
            return cells
        }
    }
}
