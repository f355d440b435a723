/// `lims query results`: measured values of samples, filtered by where the sample comes from
/// and by what was measured. Only current (`status = 'valid'`) values unless `allVersions`.
extension LabStore {
    /// The SQL and arguments of the results query, in sample order: sample id (registration
    /// order), then analyte, then value id. That is the order of `sample`'s primary key followed
    /// by `measurement_sample_analyte (sample_id, analyte)` (whose entries end with the rowid), so
    /// SQLite walks the samples and seeks each one's values with no sort: the first row comes out
    /// at once however many values match (EXPLAIN QUERY PLAN, with and without filters, in
    /// `Query/README.md`; `testResultQueriesUseTheIndexes` checks it).
    func resultQuerySQL(_ resolved: ResolvedFilter) -> (sql: String, arguments: [any SQLValueConvertible]) {
        var conditions = SQLConditions()
        // CROSS JOIN keeps `sample` in SQLite's outer loop (its planner never moves a table before
        // the left side of a CROSS JOIN), so no filter turns the plan into "scan the values, then
        // sort"; the join conditions are in WHERE, which any SQL engine reads as inner joins.
        let from: String
        if QuerySQL.isScopedToPlots(resolved) {
            from = """
                FROM sample s
                CROSS JOIN plot p
                CROSS JOIN treatment t
                CROSS JOIN site si
                LEFT JOIN sample ps ON ps.id = s.parent_id
                LEFT JOIN sample gs ON gs.id = ps.parent_id
                CROSS JOIN measurement m
                """
            conditions.add("p.id = s.plot_id")
            conditions.add("t.id = p.treatment_id")
            conditions.add("si.id = t.site_id")
        } else {
            from = """
                FROM sample s
                \(QuerySQL.sampleJoins(resolved))
                CROSS JOIN measurement m
                """
        }
        conditions.add("m.sample_id = s.id")
        conditions.append(QuerySQL.sampleConditions(resolved))
        conditions.append(QuerySQL.measurementConditions(resolved))
        let sql = """
            SELECT m.id, s.code AS sample, s.type AS sample_type, t.code AS treatment, p.code AS plot,
                   si.code AS site, \(QuerySQL.depthTop) AS depth_top_cm, \(QuerySQL.depthBottom) AS depth_bottom_cm,
                   m.analyte, m.value, m.raw_text, m.unit, m.original_value, m.original_unit, m.qualifier,
                   m.detection_limit, m.method, \(QuerySQL.matrix) AS matrix, m.batch_id, b.file_name,
                   b.instrument, m.measured_at, m.status, m.superseded_by
            \(from)
            LEFT JOIN import_batch b ON b.id = m.batch_id\(conditions.whereClause)
            ORDER BY s.id, m.analyte, m.id
            """
        guard resolved.filter.limit != nil || resolved.filter.offset != nil else { return (sql, conditions.arguments) }
        // Both bound, like every value; "no limit" is the largest count (portable: SQLite and PostgreSQL).
        return (sql + "\nLIMIT ? OFFSET ?", conditions.arguments + [resolved.filter.limit ?? Int.max, resolved.filter.offset ?? 0])
    }

    /// The rows of the results query in the documented order: sample by sample (registration
    /// order), each sample's values in the one analyte order (atomic number, `AnalyteOrder`),
    /// then value id. SQL delivers sample order from the indexes with no sort (first row at once);
    /// the few values of one sample are put in atomic order here, one sample held at a time.
    /// `--limit/--offset` count rows of that order, so pages never overlap or miss a row.
    func forEachOrderedResultRow(_ resolved: ResolvedFilter, _ body: (Row) throws -> Void) throws {
        var unpaged = resolved
        unpaged.filter.limit = nil
        unpaged.filter.offset = nil
        let query = resultQuerySQL(unpaged)
        let (limit, offset) = (resolved.filter.limit, resolved.filter.offset ?? 0)
        var group: [(key: (Int, String), id: Int64, row: Row)] = []
        var groupSample: SQLValue?
        var passed = 0
        func flush() throws {
            group.sort { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
            for entry in group {
                passed += 1
                guard passed > offset else { continue }
                if let limit, passed - offset > limit { throw ResultPageFull() }
                try body(entry.row)
            }
            group.removeAll(keepingCapacity: true)
        }
        // A fresh statement: a cached one could be re-entered by `body`. Streamed on PostgreSQL
        // too, so `body` must not query the database meanwhile.
        let statement = try db.prepare(query.sql)
        do {
            try statement.forEachStreamedRow(query.arguments) { row in
                let sample = row[1]
                if sample != groupSample {
                    try flush()
                    groupSample = sample
                }
                group.append((AnalyteOrder.key(row[8].string ?? ""), row[0].int64 ?? 0, row))
            }
            try flush()
        } catch is ResultPageFull {}   // the page is full: stop reading values
    }

    /// Rows of the results query, in its documented order, as cells.
    func orderedResultRows(columns: [String], _ resolved: ResolvedFilter, cells: @escaping (Row) -> [Cell]) -> QueryRows {
        QueryRows(columns: columns) { body in
            try self.forEachOrderedResultRow(resolved) { try body(cells($0)) }
        }
    }

    /// Calls `body` with each matching measurement row (streamed, in sample, atomic analyte, id order).
    public func forEachResult(_ filter: QueryFilter, _ body: (ResultRecord) throws -> Void) throws {
        try forEachOrderedResultRow(try resolve(filter)) { try body(ResultRecord(row: $0)) }
    }

    /// The query plan of the results query (for checking that indexes are used).
    public func resultQueryPlan(_ filter: QueryFilter) throws -> [String] {
        let query = resultQuerySQL(try resolve(filter))
        return try db.prepare("EXPLAIN QUERY PLAN " + query.sql).rows(query.arguments).compactMap { $0.string("detail") }
    }

    /// The long listing: one row per value.
    public func queryResults(_ filter: QueryFilter) throws -> QueryRows {
        let resolved = try resolve(filter)
        var columns = ["id", "sample", "treatment", "plot", "depth_cm", "analyte", "value", "unit",
                       "detection_limit", "method", "batch", "file"]
        if filter.allVersions { columns += ["status", "superseded_by"] }
        return orderedResultRows(columns: columns, resolved) { row in
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
        let resolved = try resolve(filter)
        let columns = ["result_id", "sample", "sample_type", "site", "treatment", "plot", "depth_top_cm",
                       "depth_bottom_cm", "analyte", "value", "unit", "qualifier", "censored", "detection_limit",
                       "reported", "raw_text", "original_value", "original_unit", "method", "matrix",
                       "batch_id", "file", "instrument", "measured_at", "status"]
        return orderedResultRows(columns: columns, resolved) { row in
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

    /// The analyte × unit columns of the wide table, in atomic order: the distinct pairs of the
    /// results query, found by the database (no record is made per value: at 10⁷ values that pass
    /// was 4 s before the wide table's header).
    public func wideColumns(_ filter: QueryFilter) throws -> [WideColumn] {
        var filter = filter
        filter.allVersions = false
        filter.limit = nil
        filter.offset = nil
        let query = resultQuerySQL(try resolve(filter))
        var seen = Set<WideColumn>()
        try db.prepare("SELECT DISTINCT r.analyte, r.unit FROM (\(query.sql)) AS r").forEachStreamedRow(query.arguments) { row in
            seen.insert(WideColumn(analyte: row[0].string ?? "", unit: row[1].string ?? ""))
        }
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
private struct ResultPageFull: Error {}

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
