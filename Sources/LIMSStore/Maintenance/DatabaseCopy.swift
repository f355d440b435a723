import Foundation

/// `lims copy --from A --to B`: the whole lab database from one engine to another (SQLite →
/// PostgreSQL, back, or file to file). One write transaction on the target, ids kept, tables in
/// foreign-key order; afterwards the row counts of every table and the target's audit chain are
/// checked, still inside the transaction, so a copy that does not verify leaves nothing behind.
public struct DatabaseCopy {
    /// Tables the migrations fill with their own rows (vocabularies, reference values, QC rules).
    /// They are replaced by the source's rows; any other row makes the target "not empty".
    public static let seededTables: Set<String> = ["sample_type", "reference_composition", "reference_value",
                                                   "qc_name_rule", "qc_setting", "crm_certified_value"]

    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let rows: Int
    }

    public struct Summary: Sendable {
        public let source: String
        public let target: String
        public let tables: [TableCount]
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    public init() {}

    /// Copies `source` (migrated, current schema) into `target` (migrated here; must hold no lab data).
    public func copy(from source: Database, to target: Database) throws -> Summary {
        let migrator = DatabaseMigrator()
        let version = try migrator.currentVersion(of: source)
        guard version == migrator.latestVersion else {
            throw version == 0 ? StoreError.noDatabase(path: source.path)
                : StoreError.olderSchema(path: source.path, databaseVersion: version, knownVersion: migrator.latestVersion)
        }
        try migrator.migrate(target)
        return try source.readTransaction {
            try target.writeTransaction {
                let tables = try Self.foreignKeyOrder(source)
                try requireSameTables(source, target, tables)
                try requireEmpty(target, tables)
                for table in tables.reversed() where Self.seededTables.contains(table) {
                    try target.execute("DELETE FROM \(Self.quoted(table))")
                }
                var counts: [TableCount] = []
                for table in tables {
                    counts.append(TableCount(table: table, rows: try copyTable(table, from: source, to: target)))
                }
                if target.engine == .postgresql { try Self.moveIdentitiesPastCopiedIDs(target, tables) }
                try verify(counts, in: target)
                return Summary(source: source.path, target: target.path, tables: counts)
            }
        }
    }

    /// The lab's tables, parents before children (schema_migration is the engine's own, not copied).
    static func foreignKeyOrder(_ db: Database) throws -> [String] {
        let tables = try db.tableNames().filter { $0 != "schema_migration" }
        var parents: [String: Set<String>] = [:]
        for table in tables {
            parents[table] = Set(try db.foreignKeys(of: table).map(\.parent)).subtracting([table])
        }
        var ordered: [String] = []
        var placed: Set<String> = []
        while ordered.count < tables.count {
            guard let next = tables.first(where: { !placed.contains($0) && parents[$0, default: []].isSubset(of: placed) }) else {
                throw StoreError.invalidValue(field: "schema", value: tables.filter { !placed.contains($0) }.joined(separator: ", "),
                                              expected: "tables whose foreign keys form no cycle")
            }
            ordered.append(next)
            placed.insert(next)
        }
        return ordered
    }

    private func requireSameTables(_ source: Database, _ target: Database, _ tables: [String]) throws {
        let targetTables = Set(try target.tableNames().filter { $0 != "schema_migration" })
        if targetTables != Set(tables) {
            throw StoreError.invalidValue(field: "target tables", value: targetTables.sorted().joined(separator: ", "),
                                          expected: "the tables of the source (\(tables.sorted().joined(separator: ", ")))")
        }
        for table in tables where Set(try source.columnNames(of: table)) != Set(try target.columnNames(of: table)) {
            throw StoreError.invalidValue(field: "columns of \(table)", value: try target.columnNames(of: table).joined(separator: ", "),
                                          expected: "the source's columns \(try source.columnNames(of: table).joined(separator: ", "))")
        }
    }

    private func requireEmpty(_ target: Database, _ tables: [String]) throws {
        for table in tables where !Self.seededTables.contains(table) {
            let rows = try target.scalar("SELECT count(*) FROM \(Self.quoted(table))")?.int ?? 0
            if rows > 0 {
                throw StoreError.invalidValue(field: "--to", value: target.path,
                                              expected: "an empty database: it already holds \(rows) row(s) in \(table); "
                                                + "copy into a new file or database (or use --force); nothing was written")
            }
        }
    }

    /// Copies one table row by row in id order. A row that points at a later row of its own table
    /// (a superseded value at its correction) waits until that row is in.
    private func copyTable(_ table: String, from source: Database, to target: Database) throws -> Int {
        let columns = try source.columnNames(of: table)
        let selfReferences = try source.foreignKeys(of: table).filter { $0.parent == table }
            .compactMap { columns.firstIndex(of: $0.column) }
        let idIndex = columns.firstIndex(of: "id")
        let insert = try target.prepare("INSERT INTO \(Self.quoted(table)) (" + columns.map(Self.quoted).joined(separator: ", ")
                                         + ") VALUES (" + columns.map { _ in "?" }.joined(separator: ", ") + ")")
        var copied = 0
        var inserted: Set<Int64> = []
        var waiting: [Int64: [[SQLValue]]] = [:]
        func put(_ values: [SQLValue]) throws {
            try insert.execute(values)
            copied += 1
            guard let idIndex, let id = values[idIndex].int64 else { return }
            inserted.insert(id)
            for row in waiting.removeValue(forKey: id) ?? [] { try place(row) }
        }
        func place(_ values: [SQLValue]) throws {
            let own = idIndex.flatMap { values[$0].int64 }
            if let missing = selfReferences.lazy.compactMap({ values[$0].int64 }).first(where: { $0 != own && !inserted.contains($0) }) {
                waiting[missing, default: []].append(values)
            } else {
                try put(values)
            }
        }
        let order = idIndex != nil ? "id" : columns.map(Self.quoted).joined(separator: ", ")
        // Buffered rows: the body writes to the target while the source is read.
        try source.prepare("SELECT " + columns.map(Self.quoted).joined(separator: ", ") + " FROM \(Self.quoted(table)) ORDER BY \(order)")
            .forEachStreamedRow { row in try place(row.values) }
        if let (missing, rows) = waiting.first {
            throw StoreError.invalidValue(field: table, value: "\(rows.count) row(s)",
                                          expected: "rows whose references exist; they point at \(table) id \(missing), which is not there")
        }
        return copied
    }

    /// Copied ids bypass PostgreSQL's identity sequences: move each past the largest id.
    static func moveIdentitiesPastCopiedIDs(_ db: Database, _ tables: [String]) throws {
        for table in tables where try db.columnNames(of: table).contains("id") {
            guard try db.scalar("SELECT pg_get_serial_sequence(?, 'id')", [table])?.string != nil else { continue }
            try db.execute("SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM \(quoted(table))), false)",
                           [table])
        }
    }

    /// The target holds as many rows per table as were copied, and its audit chain is unbroken.
    private func verify(_ counts: [TableCount], in target: Database) throws {
        for count in counts {
            let rows = try target.scalar("SELECT count(*) FROM \(Self.quoted(count.table))")?.int ?? -1
            if rows != count.rows {
                throw StoreError.invalidValue(field: "copy of \(count.table)", value: "\(rows) rows in the target",
                                              expected: "\(count.rows) rows as in the source; nothing was written")
            }
        }
        let problems = try AuditChain.verify(target) + AuditChain.missingTriggers(target).map { "trigger \($0) is missing" }
        if let first = problems.first {
            throw StoreError.invalidValue(field: "audit log of the copy", value: first,
                                          expected: "an unbroken hash chain (\(problems.count) problem(s)); nothing was written")
        }
    }

    /// A table or column name from the catalog, quoted as an identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
