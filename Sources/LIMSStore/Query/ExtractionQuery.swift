/// `lims query extractions`: 1 mM CaCl2 extractions of soil samples and, when analytes or
/// other result filters are given, the extract's values with the extractable amount per kg
/// of soil and the extractability against the soil's total (DESIGN.md §4):
///   extractable (mg/kg) = C (mg/L) × V (L) / m_soil (kg);  V from the volume, else the
///   solution mass at density 1;  extractability (%) = extractable / total × 100.
extension LabStore {
    public func queryExtractions(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var conditions = QuerySQL.sampleConditions(resolved)
        if let since = filter.since { conditions.add("e.extracted_on >= ?", since) }
        if let until = filter.until { conditions.add("e.extracted_on <= ?", until) }
        var measurement = QuerySQL.measurementConditions(resolved, dates: false)
        measurement.add("m.sample_id = x.id")
        let withValues = filter.filtersMeasurements
        let valueColumns = withValues ? """
            , m.id AS result_id, m.analyte, m.value, m.unit, m.qualifier, m.detection_limit, m.batch_id, b.file_name,
              (SELECT tm.value FROM measurement tm
               WHERE tm.sample_id = s.id AND tm.analyte = m.analyte AND tm.status = 'valid'
                 AND tm.unit = 'mg/kg' AND tm.qualifier = '='
               ORDER BY tm.id DESC LIMIT 1) AS total_mg_kg
            """ : ""
        let valueJoin = withValues ? """
            JOIN measurement m ON \(measurement.joined)
            LEFT JOIN import_batch b ON b.id = m.batch_id
            """ : ""
        let sql = """
            SELECT e.id, s.code AS sample, x.code AS extract, t.code AS treatment, p.code AS plot,
                   \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   e.soil_mass_g, e.solution_mass_g, e.solution_volume_ml, e.cacl2_mmol_l, e.ratio,
                   e.contact_time_h, e.extracted_on\(valueColumns)
            FROM cacl2_extraction e
            JOIN sample s ON s.id = e.sample_id
            JOIN sample x ON x.id = e.extract_sample_id
            \(QuerySQL.sampleJoins(resolved))
            \(valueJoin)\(conditions.whereClause)
            ORDER BY t.id, p.id, s.id, x.id\(withValues ? ", m.analyte, m.id" : "")
            """
        let arguments = (withValues ? measurement.arguments : []) + conditions.arguments
        var columns = ["sample", "extract", "treatment", "plot", "depth_cm", "soil_g", "solution_ml",
                       "cacl2_mmol_l", "contact_time_h", "extracted_on"]
        if withValues {
            columns += ["result_id", "analyte", "extract_value", "unit", "extractable_mg_kg", "total_mg_kg",
                        "extractability_pct", "batch", "file"]
        }
        return queryRows(columns: columns, sql: sql, arguments: arguments) { row in
            let soil = row.double("soil_mass_g")
            // Solution volume in mL: measured volume, else the solution mass at density 1 g/mL.
            let volume = row.double("solution_volume_ml") ?? row.double("solution_mass_g")
            var cells: [Cell] = [
                .optionalText(row.string("sample")), .optionalText(row.string("extract")),
                .optionalText(row.string("treatment")), .optionalText(row.string("plot")), QuerySQL.depthText(row),
                .number(soil), .number(volume), .number(row.double("cacl2_mmol_l")),
                .number(row.double("contact_time_h")), .optionalText(row.string("extracted_on")),
            ]
            guard withValues else { return cells }
            let qualifier = row.string("qualifier") ?? "="
            let unit = row.string("unit")
            // mg/L × (mL/1000) / (g/1000) = mg/L × mL / g → mg/kg of soil.
            let factor: Double? = (unit == "mg/L" && soil != nil && volume != nil && soil! > 0) ? volume! / soil! : nil
            var extractable = Cell.null
            var extractability = Cell.null
            if let factor {
                extractable = ReportedValue.cell(value: row.double("value").map { $0 * factor }, qualifier: qualifier,
                                                 detectionLimit: row.double("detection_limit").map { $0 * factor })
                if case .number(let number, _) = extractable { extractable = .computed(number) }
                if qualifier == "=", let value = row.double("value"), let total = row.double("total_mg_kg"), total > 0 {
                    extractability = .computed(value * factor / total * 100)
                }
            }
            cells += [
                row.int64("result_id").map(Cell.integer) ?? .null, .optionalText(row.string("analyte")),
                ReportedValue.cell(row), .optionalText(unit), extractable, .number(row.double("total_mg_kg")),
                extractability, row.int64("batch_id").map(Cell.integer) ?? .null, .optionalText(row.string("file_name")),
            ]
            return cells
        }
    }
}
