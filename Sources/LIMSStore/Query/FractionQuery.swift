/// `lims query fractions`: wet-sieved size fractions of samples with their mass share
/// (m_fraction / Σ m_fractions of the same parent and replicate × 100, DESIGN.md §4) and,
/// when result filters are given, the values measured on the fraction samples.
extension LabStore {
    public func queryFractions(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var conditions = QuerySQL.sampleConditions(resolved)
        if let since = filter.since { conditions.add("s.collected_on >= ?", since) }
        if let until = filter.until { conditions.add("s.collected_on <= ?", until) }
        var measurement = QuerySQL.measurementConditions(resolved, dates: false)
        measurement.add("m.sample_id = f.fraction_sample_id")
        let withValues = filter.filtersMeasurements
        let sql = """
            SELECT f.id, s.code AS sample, fs.code AS fraction_sample, t.code AS treatment, p.code AS plot,
                   \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   f.class_label, f.lower_um, f.upper_um, f.replicate, f.mass_g, f.method,
                   f.mass_g * 100.0 / (SELECT sum(f2.mass_g) FROM size_fraction f2
                                       WHERE f2.parent_sample_id = f.parent_sample_id
                                         AND f2.replicate = f.replicate) AS mass_percent
                   \(withValues ? ", m.id AS result_id, m.analyte, m.value, m.unit, m.qualifier, m.detection_limit, m.batch_id" : "")
            FROM size_fraction f
            JOIN sample s ON s.id = f.parent_sample_id
            LEFT JOIN sample fs ON fs.id = f.fraction_sample_id
            \(QuerySQL.sampleJoins(resolved))
            \(withValues ? "JOIN measurement m ON \(measurement.joined)\nLEFT JOIN import_batch b ON b.id = m.batch_id" : "")\(conditions.whereClause)
            ORDER BY t.id, p.id, s.id, f.replicate, f.lower_um DESC, f.id\(withValues ? ", m.analyte, m.id" : "")
            """
        let arguments = (withValues ? measurement.arguments : []) + conditions.arguments
        var columns = ["sample", "fraction", "class", "lower_um", "upper_um", "replicate", "mass_g", "mass_pct",
                       "treatment", "plot", "depth_cm", "method"]
        if withValues { columns += ["result_id", "analyte", "value", "unit", "batch"] }
        return queryRows(columns: columns, sql: sql, arguments: arguments) { row in
            var cells: [Cell] = [
                .optionalText(row.string("sample")), .optionalText(row.string("fraction_sample")),
                .optionalText(row.string("class_label")), .number(row.double("lower_um")), .number(row.double("upper_um")),
                .integer(row.int64("replicate") ?? 1), .number(row.double("mass_g")),
                row.double("mass_percent").map { .number($0, display: String(format: "%.2f", $0)) } ?? .null,
                .optionalText(row.string("treatment")), .optionalText(row.string("plot")), QuerySQL.depthText(row),
                .optionalText(row.string("method")),
            ]
            if withValues {
                cells += [row.int64("result_id").map(Cell.integer) ?? .null, .optionalText(row.string("analyte")),
                          ReportedValue.cell(row), .optionalText(row.string("unit")),
                          row.int64("batch_id").map(Cell.integer) ?? .null]
            }
            return cells
        }
    }
}
