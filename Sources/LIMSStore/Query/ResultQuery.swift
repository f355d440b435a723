/// `lims query results`: measured values of samples, filtered by where the sample comes from
/// and by what was measured. Only current (`status = 'valid'`) values unless `allVersions`.
extension LabStore {
    /// The SQL and arguments of the results query. The plan follows the indexes: with a
    /// treatment filter treatment → plot (plot_treatment) → sample (sample_plot) →
    /// measurement (measurement_sample_analyte); with only analytes, measurement_analyte.
    func resultQuerySQL(_ resolved: ResolvedFilter) -> (sql: String, arguments: [any SQLValueConvertible]) {
        var conditions = QuerySQL.sampleConditions(resolved)
        conditions.append(QuerySQL.measurementConditions(resolved))
        // With a treatment, site or plot filter the join order is fixed (CROSS JOIN) to walk
        // plot_treatment → sample_plot → measurement_sample_analyte: a seek per sample instead of
        // reading every value of an analyte; the rows then come out in ORDER BY order, unsorted.
        let from = QuerySQL.isScopedToPlots(resolved) ? """
            FROM plot p
            CROSS JOIN sample s ON s.plot_id = p.id
            CROSS JOIN measurement m ON m.sample_id = s.id
            JOIN treatment t ON t.id = p.treatment_id
            JOIN site si ON si.id = t.site_id
            LEFT JOIN sample ps ON ps.id = s.parent_id
            LEFT JOIN sample gs ON gs.id = ps.parent_id
            """ : """
            FROM sample s
            \(QuerySQL.sampleJoins(resolved))
            JOIN measurement m ON m.sample_id = s.id
            """
        let sql = """
            SELECT m.id, s.code AS sample, s.type AS sample_type, t.code AS treatment, p.code AS plot,
                   si.code AS site, \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   m.analyte, m.value, m.raw_text, m.unit, m.original_value, m.original_unit, m.qualifier,
                   m.detection_limit, m.method, \(QuerySQL.matrix) AS matrix, m.batch_id, b.file_name,
                   b.instrument, m.measured_at, m.status, m.superseded_by
            \(from)
            LEFT JOIN import_batch b ON b.id = m.batch_id\(conditions.whereClause)
            ORDER BY p.treatment_id, p.id, s.id, m.analyte, m.id
            """
        guard resolved.filter.limit != nil || resolved.filter.offset != nil else { return (sql, conditions.arguments) }
        // "No limit" is -1 on SQLite, NULL on PostgreSQL; both are bound, like every value.
        return (sql + "\nLIMIT ? OFFSET ?",
                conditions.arguments + [resolved.filter.limit.map { SQLValue.integer(Int64($0)) } ?? db.dialect.noLimit,
                                        resolved.filter.offset ?? 0])
    }

    /// Calls `body` with each matching measurement row (streamed, in treatment, plot,
    /// sample, analyte order). On PostgreSQL `body` must not query the database meanwhile.
    public func forEachResult(_ filter: QueryFilter, _ body: (ResultRecord) throws -> Void) throws {
        let query = resultQuerySQL(try resolve(filter))
        let statement = try db.prepare(query.sql)
        try statement.forEachStreamedRow(query.arguments) { try body(ResultRecord(row: $0)) }
    }

    /// The query plan of the results query (for checking that indexes are used).
    public func resultQueryPlan(_ filter: QueryFilter) throws -> [String] {
        let query = resultQuerySQL(try resolve(filter))
        return try db.prepare("EXPLAIN QUERY PLAN " + query.sql).rows(query.arguments).compactMap { $0.string("detail") }
    }

    /// The long listing: one row per value.
    public func queryResults(_ filter: QueryFilter) throws -> QueryRows {
        let query = resultQuerySQL(try resolve(filter))
        var columns = ["id", "sample", "treatment", "plot", "depth_cm", "analyte", "value", "unit",
                       "detection_limit", "method", "batch", "file"]
        if filter.allVersions { columns += ["status", "superseded_by"] }
        return queryRows(columns: columns, sql: query.sql, arguments: query.arguments) { row in
            let r = ResultRecord(row: row)
            var cells: [Cell] = [
                .integer(r.id), .optionalText(r.sample), .optionalText(r.treatment), .optionalText(r.plot), r.depthCell,
                .text(r.analyte), r.reported, .optionalText(r.unit), .number(r.detectionLimit),
                .optionalText(r.method), r.batchID.map(Cell.integer) ?? .null, .optionalText(r.file),
            ]
            if filter.allVersions { cells += [.text(r.status), r.supersededBy.map(Cell.integer) ?? .null] }
            return cells
        }
    }

    /// Tidy rows for R or Python: one value per row with everything needed to use it —
    /// units, qualifier, detection limit, a `censored` flag, method, batch and file.
    /// A censored value has an empty `value` (NA), never a number.
    public func tidyResults(_ filter: QueryFilter) throws -> QueryRows {
        let query = resultQuerySQL(try resolve(filter))
        let columns = ["result_id", "sample", "sample_type", "site", "treatment", "plot", "depth_top_cm",
                       "depth_bottom_cm", "analyte", "value", "unit", "qualifier", "censored", "detection_limit",
                       "reported", "raw_text", "original_value", "original_unit", "method", "matrix",
                       "batch_id", "file", "instrument", "measured_at", "status"]
        return queryRows(columns: columns, sql: query.sql, arguments: query.arguments) { row in
            let r = ResultRecord(row: row)
            let censored = ReportedValue.isCensored(r.qualifier)
            return [
                .integer(r.id), .optionalText(r.sample), .optionalText(r.sampleType), .optionalText(r.site),
                .optionalText(r.treatment), .optionalText(r.plot), .number(r.depthTopCm), .number(r.depthBottomCm),
                .text(r.analyte), .number(r.qualifier == "=" ? r.value : nil), .optionalText(r.unit), .text(r.qualifier),
                .text(censored ? "TRUE" : "FALSE"), .number(r.detectionLimit), r.reported, .text(r.rawText),
                .number(r.originalValue), .optionalText(r.originalUnit), .optionalText(r.method), .optionalText(r.matrix),
                r.batchID.map(Cell.integer) ?? .null, .optionalText(r.file), .optionalText(r.instrument),
                .optionalText(r.measuredAt), .text(r.status),
            ]
        }
    }

    /// Samples × analytes, units in the header (`La (mg/kg)`). When a sample has several
    /// current values of one analyte (e.g. two runs), the latest is shown and counted in
    /// `duplicates` so the caller can say so. Collects the whole table (for table and JSON);
    /// `forEachWideSample` streams.
    public func wideResults(_ filter: QueryFilter) throws -> (table: ResultTable, duplicates: Int) {
        let columns = try wideColumns(filter)
        var table = ResultTable(columns: ["sample", "treatment", "plot", "depth_cm"] + columns.map(\.header))
        let duplicates = try forEachWideSample(filter) { sample in
            table.rows.append(sample.info + columns.map { sample.values[$0]?.reported ?? .null })
        }
        return (table, duplicates)
    }

    /// The analyte × unit columns of the wide table, in atomic order (one pass over the values,
    /// keeping only the distinct columns).
    public func wideColumns(_ filter: QueryFilter) throws -> [WideColumn] {
        var filter = filter
        filter.allVersions = false
        filter.limit = nil
        filter.offset = nil
        var seen = Set<WideColumn>()
        try forEachResult(filter) { seen.insert(WideColumn(analyte: $0.analyte, unit: $0.unit ?? "")) }
        return seen.sorted {
            Analytes.sortKey($0.analyte) != Analytes.sortKey($1.analyte)
                ? Analytes.sortKey($0.analyte) < Analytes.sortKey($1.analyte) : $0.unit < $1.unit
        }
    }

    /// Calls `body` with one sample at a time, in the query's order (sample by sample, so only
    /// one sample's values are held). `filter.limit`/`offset` count samples here, not values.
    /// Returns the number of sample × analyte cells that had more than one current value.
    @discardableResult
    public func forEachWideSample(_ filter: QueryFilter, _ body: (WideSample) throws -> Void) throws -> Int {
        var filter = filter
        filter.allVersions = false
        let (limit, offset) = (filter.limit, filter.offset ?? 0)
        filter.limit = nil
        filter.offset = nil
        var current: WideSample?
        var seenSamples = 0
        var duplicates = 0
        func finish() throws {
            guard let sample = current else { return }
            current = nil
            seenSamples += 1
            if seenSamples > offset, limit.map({ seenSamples - offset <= $0 }) ?? true { try body(sample) }
        }
        do {
        try forEachResult(filter) { r in
            let code = r.sample ?? ""
            if current?.sample != code {
                try finish()
                if let limit, seenSamples - offset >= limit { throw WidePageFull() }
                current = WideSample(sample: code, info: [.text(code), .optionalText(r.treatment), .optionalText(r.plot), r.depthCell])
            }
            let column = WideColumn(analyte: r.analyte, unit: r.unit ?? "")
            if let existing = current!.values[column] {
                duplicates += 1
                if existing.id > r.id { return }
            }
            current!.values[column] = r
        }
        } catch is WidePageFull {}   // the page is full: stop reading values
        try finish()
        return duplicates
    }
}

private struct WidePageFull: Error {}

/// One analyte in one unit: a column of the wide table.
public struct WideColumn: Hashable, Sendable {
    public let analyte: String
    public let unit: String
    /// `La (mg/kg)`; the analyte alone when it has no unit.
    public var header: String { unit.isEmpty ? analyte : "\(analyte) (\(unit))" }
}

/// One row of the wide table: the sample and its latest current value per column.
public struct WideSample: Sendable {
    public let sample: String
    /// sample, treatment, plot, depth_cm.
    public let info: [Cell]
    public var values: [WideColumn: ResultRecord] = [:]
}
