/// 'sqlite3 → schema': the database work of `lims import results`, done by sqlite3 alone.
///
/// Untimed, the long CSV's plain table becomes the rows exactly as lims writes them
/// (`stagingScript`): per value the same 23 measurement columns (element, isotope, mode, the
/// header as written, value in mg/kg, raw text, original value and unit, qualifier, method,
/// matrix, acquisition date-time, file row and column, one created_at for the batch), the
/// calibration rows as qc_sample + qc_measurement rows (15 columns) as lims files them. Timed,
/// one sqlite3 run moves them into a database made by `lims init` (`insertScript`), connection
/// set as lims sets its own (foreign keys on, synchronous=FULL, WAL, 32 MB page cache), in one
/// transaction: the same rows through the same constraints, keys and indexes, with no parsing,
/// matching or validation — what the importer's writes cost at best on this schema.
enum SchemaReference {
    /// The measurement columns lims writes, in its order (as ResultsImport: its batch columns + batch_id, created_at).
    static let measurementColumns = [
        "sample_id", "unmatched_name", "batch_id", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "value",
        "raw_text", "unit", "original_value", "original_unit", "qualifier", "detection_limit", "method", "matrix",
        "dilution_factor", "flags", "measured_at", "source_row", "source_column", "created_at",
    ]
    static let qcMeasurementColumns = [
        "qc_sample_id", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "value", "raw_text", "unit",
        "original_value", "original_unit", "qualifier", "detection_limit", "source_row", "source_column",
    ]

    /// The panel's lines as lims reads them from the MassHunter header: long-CSV name → columns.
    static var lineTable: String {
        let rows = AgilentPanel.analytes.enumerated().map { index, a in
            // Value column (1-based) of the group's "Conc. [ ppb ]": 7 sample columns, then 4 per group.
            let column = AgilentPanel.sampleColumns.count + AgilentPanel.measureColumns.count * index + 3
            let label = a.groupTitle.trimmingCharacters(in: .whitespaces)
            return "('\(a.longName)', '\(a.symbol)', \(a.mass), '\(a.mode)', '\(label)', \(column))"
        }
        return "CREATE TABLE src.line (long_name TEXT PRIMARY KEY, element, isotope, mode, source_label, source_column);\n"
            + "INSERT INTO src.line VALUES " + rows.joined(separator: ",\n") + ";\n"
    }

    /// Run on the lims database with the plain table's database attached as `src`, samples registered:
    /// writes src.staged_qc_sample, src.staged_qc_measurement and src.staged_measurement.
    static var stagingScript: String {
        let perRow = AgilentPanel.analytes.count
        let number = "CAST(m.value AS REAL)", isNumber = "m.value GLOB '[0-9]*'"
        return lineTable + """
            CREATE TABLE src.run AS SELECT (rowid - 1) / \(perRow) AS r, sample,
                strftime('%Y-%m-%dT%H:%M:%S', '\(SyntheticLab.runDay)', '+' || (\(SyntheticLab.firstRunMinute) + \(SyntheticLab.minutesPerRun) * ((rowid - 1) / \(perRow))) || ' minutes') AS measured_at
                FROM src.measurement_long WHERE (rowid - 1) % \(perRow) = 0 ORDER BY rowid;
            CREATE TABLE src.staged_qc_sample AS
                SELECT r, sample AS label, CASE WHEN sample = '0' THEN 'cal_blank' ELSE 'cal_std' END AS qc_type,
                       r + 1 AS position, measured_at
                FROM src.run WHERE NOT EXISTS (SELECT 1 FROM main.sample s WHERE s.code = run.sample) ORDER BY r;
            CREATE TABLE src.staged_measurement AS
                SELECT s.id AS sample_id, NULL AS unmatched_name, 1 AS batch_id, l.element AS analyte, l.isotope AS isotope,
                       NULL AS wavelength_nm, l.mode AS mode, l.source_label AS source_label,
                       CASE WHEN \(isNumber) THEN \(number) / 1000.0 END AS value, m.value AS raw_text, 'mg/kg' AS unit,
                       CASE WHEN \(isNumber) THEN \(number) END AS original_value, 'ppb' AS original_unit,
                       CASE WHEN \(isNumber) THEN '=' ELSE '<' END AS qualifier, NULL AS detection_limit, 'ICP-MS' AS method,
                       'solid' AS matrix, NULL AS dilution_factor, NULL AS flags, run.measured_at AS measured_at,
                       run.r + 3 AS source_row, l.source_column AS source_column, '2026-01-01T00:00:00.000Z' AS created_at
                FROM src.measurement_long m JOIN src.run ON run.r = (m.rowid - 1) / \(perRow)
                     JOIN src.line l ON l.long_name = m.analyte JOIN main.sample s ON s.code = m.sample
                ORDER BY m.rowid;
            CREATE TABLE src.staged_qc_measurement AS
                SELECT q.rowid AS qc_sample_id, l.element AS analyte, l.isotope AS isotope, NULL AS wavelength_nm,
                       l.mode AS mode, l.source_label AS source_label,
                       CASE WHEN \(isNumber) THEN \(number) / 1000.0 END AS value, m.value AS raw_text, 'mg/kg' AS unit,
                       CASE WHEN \(isNumber) THEN \(number) END AS original_value, 'ppb' AS original_unit,
                       CASE WHEN \(isNumber) THEN '=' ELSE '<' END AS qualifier, NULL AS detection_limit,
                       q.r + 3 AS source_row, l.source_column AS source_column
                FROM src.measurement_long m JOIN src.staged_qc_sample q ON q.r = (m.rowid - 1) / \(perRow)
                     JOIN src.line l ON l.long_name = m.analyte
                ORDER BY m.rowid;

            """
    }

    /// One way to run the timed step: as lims runs it, or with one part of the per-row work taken away.
    struct Variant {
        var name: String
        var foreignKeys = true
        var checks = true
        var indexes = true
        /// created_at given (lims binds one value per batch); false: left to the column default, strftime per row.
        var createdAtGiven = true
        /// Into plain tables of the same columns (no constraint, key or index) instead of the lims tables.
        var plainTables = false
        /// The `IN (…)` CHECKs written as `=` … `OR` chains (the same rule): see `orChainSchemaEdit`.
        var orChainChecks = false
    }

    static let asLimsRunsIt = Variant(name: "as lims writes (23 + 15 columns, created_at given; foreign keys, CHECKs, indexes)")

    static func variants(indexes: Int) -> [Variant] {
        [
            asLimsRunsIt,
            Variant(name: "created_at left to its default (strftime('now') per row)", createdAtGiven: false),
            Variant(name: "CHECKs with IN (…) lists written as = … OR = … (same rules)", orChainChecks: true),
            Variant(name: "without the \(indexes) secondary indexes of the two tables", indexes: false),
            Variant(name: "without foreign-key checks", foreignKeys: false),
            Variant(name: "without CHECK constraints", checks: false),
            Variant(name: "none of these: no indexes, no foreign keys, no CHECKs", foreignKeys: false, checks: false, indexes: false),
            Variant(name: "plain tables of the same 23 + 15 columns", plainTables: true),
        ]
    }

    /// The timed script. `dropIndexes` names the secondary indexes to drop when the variant has none.
    static func insertScript(attach: String, variant: Variant, dropIndexes: [String] = []) -> String {
        var sql = "PRAGMA foreign_keys = \(variant.foreignKeys ? "ON" : "OFF"); PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;\n"
        if !variant.checks { sql += "PRAGMA ignore_check_constraints = ON;\n" }
        sql += attach + "\nBEGIN;\n"
        if !variant.indexes { sql += dropIndexes.map { "DROP INDEX \"\($0)\";\n" }.joined() }
        var measurement = "measurement", qcMeasurement = "qc_measurement"
        if variant.plainTables {
            measurement = "plain_measurement"; qcMeasurement = "plain_qc_measurement"
            sql += "CREATE TABLE plain_measurement (\(measurementColumns.joined(separator: ", ")));\n"
            sql += "CREATE TABLE plain_qc_measurement (\(qcMeasurementColumns.joined(separator: ", ")));\n"
        }
        let columns = measurementColumns.filter { variant.createdAtGiven || $0 != "created_at" }.joined(separator: ", ")
        let qcColumns = qcMeasurementColumns.joined(separator: ", ")
        sql += """
            INSERT INTO qc_sample (batch_id, label, qc_type, crm_name, duplicate_of, position, measured_at)
                SELECT 1, label, qc_type, NULL, NULL, position, measured_at FROM src.staged_qc_sample ORDER BY rowid;
            INSERT INTO \(qcMeasurement) (\(qcColumns)) SELECT \(qcColumns) FROM src.staged_qc_measurement ORDER BY rowid;
            INSERT INTO \(measurement) (\(columns)) SELECT \(columns) FROM src.staged_measurement ORDER BY rowid;
            COMMIT;

            """
        return sql
    }

    /// Rewrites, on a copy of the database, the `IN (…)` CHECKs of the tables written into the
    /// equivalent `=`/`OR` chains: SQLite builds a lookup table for an IN list of more than two
    /// values for every row it checks, a chain of comparisons costs nothing to set up. (For the
    /// measurement only; a schema change of lims would be a migration.)
    static var orChainSchemaEdit: String {
        func chain(_ column: String, _ values: [String]) -> (String, String) {
            ("CHECK (\(column) IN (\(values.map { "''\($0)''" }.joined(separator: ", "))))",
             "CHECK (\(values.map { "\(column) = ''\($0)''" }.joined(separator: " OR ")))")
        }
        let edits = [chain("qualifier", ["=", "<", ">", "nd", "nm", "na"]), chain("status", ["valid", "superseded", "retired"])]
        var expression = "sql"
        for (from, to) in edits { expression = "replace(\(expression), '\(from)', '\(to)')" }
        return "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = \(expression) "
            + "WHERE type = 'table' AND name IN ('measurement', 'qc_measurement'); PRAGMA writable_schema = OFF;"
    }
}
