import Foundation

/// The lab's database: one SQLite file or a PostgreSQL database, migrated to the schema this binary knows.
/// Open it with `LabStore.create` (init/upgrade) or `LabStore.open` (existing, current).
public final class LabStore {
    public let db: Database
    /// Who is making changes (recorded in the audit log and import batches).
    public var operatorName: String
    /// The audit chain's newest row as last appended here (see `audit`); valid within one write epoch.
    var auditHead: AuditHead?
    /// The time written into audit rows (formatted once per millisecond).
    let auditClock = TimestampClock()
    var auditInsertStatement: Statement?

    init(db: Database, operatorName: String) {
        self.db = db
        self.operatorName = operatorName
    }

    public var path: String { db.path }

    /// The operator from `$LIMS_OPERATOR`, `$USER`, else the name of the account lims runs as;
    /// empty when there is none, and then every write is refused (the audit log never says "unknown").
    public static func defaultOperator(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for key in ["LIMS_OPERATOR", "USER"] {
            if let name = environment[key], !name.trimmingCharacters(in: .whitespaces).isEmpty { return name }
        }
        return accountName() ?? ""
    }

    /// The login name of the effective user (getpwuid), nil for a uid with no account.
    public static func accountName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        let text = String(cString: name)
        return text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
    }

    /// Creates the database if needed and applies pending migrations (idempotent).
    @discardableResult
    public static func create(path: String, operatorName: String = LabStore.defaultOperator()) throws -> LabStore {
        let db = try Database(path: path)
        try DatabaseMigrator().migrate(db)
        return LabStore(db: db, operatorName: operatorName)
    }

    /// Opens an existing database whose schema is the one this binary knows.
    public static func open(path: String, mode: Database.Mode = .readWrite,
                            operatorName: String = LabStore.defaultOperator()) throws -> LabStore {
        guard path == ":memory:" || DatabaseLocation.isServerURL(path) || FileManager.default.fileExists(atPath: path) else {
            throw StoreError.noDatabase(path: path)
        }
        let db = try Database(path: path, mode: mode)
        let migrator = DatabaseMigrator()
        try migrator.checkNotNewer(db)
        let version = try migrator.currentVersion(of: db)
        if version == 0 { throw StoreError.noDatabase(path: db.path) }
        if version < migrator.latestVersion {
            throw StoreError.olderSchema(path: db.path, databaseVersion: version, knownVersion: migrator.latestVersion)
        }
        return LabStore(db: db, operatorName: operatorName)
    }

    /// Runs `body` in one write transaction (everything or nothing).
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        try db.writeTransaction(body)
    }

    /// Row counts of the lab's tables, for `lims status`.
    public func tableCounts() throws -> [(table: String, count: Int)] {
        return try db.tableNames().map { name in
            // Table names come from the catalog, not from the user; quoted as identifiers.
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return (name, try db.scalar("SELECT count(*) FROM \(quoted)")?.int ?? 0)
        }
    }
}
