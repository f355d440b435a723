/// `lims query properties`: pH, CEC, exchangeable cations, C and N of samples.
extension LabStore {
    public func queryProperties(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var conditions = QuerySQL.sampleConditions(resolved)
        if !filter.allVersions { conditions.add("sp.status = 'valid'") }
        if !filter.properties.isEmpty { conditions.addIn("sp.property", filter.properties) }
        if !resolved.batchIDs.isEmpty { conditions.addIn("sp.batch_id", resolved.batchIDs) }
        if let censored = filter.censored { conditions.addIn("sp.qualifier", QuerySQL.censoredQualifiers, negated: !censored) }
        if let since = filter.since { conditions.add("sp.measured_on >= ?", since) }
        if let until = filter.until { conditions.add("sp.measured_on <= ?", until) }
        let sql = """
            SELECT sp.id, s.code AS sample, t.code AS treatment, p.code AS plot,
                   \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   sp.property, sp.value, sp.unit, sp.qualifier, sp.detection_limit, sp.method, sp.measured_on,
                   sp.batch_id, sp.status
            FROM sample s
            \(QuerySQL.sampleJoins(resolved))
            JOIN soil_property sp ON sp.sample_id = s.id\(conditions.whereClause)
            ORDER BY t.id, p.id, s.id, sp.property, sp.id
            """
        var columns = ["id", "sample", "treatment", "plot", "depth_cm", "property", "value", "unit",
                       "detection_limit", "method", "measured_on", "batch"]
        if filter.allVersions { columns.append("status") }
        return queryRows(columns: columns, sql: sql, arguments: conditions.arguments) { row in
            var cells: [Cell] = [
                .integer(row.int64("id") ?? 0), .optionalText(row.string("sample")),
                .optionalText(row.string("treatment")), .optionalText(row.string("plot")), QuerySQL.depthText(row),
                .optionalText(row.string("property")), ReportedValue.cell(row), .optionalText(row.string("unit")),
                .number(row.double("detection_limit")), .optionalText(row.string("method")),
                .optionalText(row.string("measured_on")), row.int64("batch_id").map(Cell.integer) ?? .null,
            ]
            if filter.allVersions { cells.append(.optionalText(row.string("status"))) }
            return cells
        }
    }
}
