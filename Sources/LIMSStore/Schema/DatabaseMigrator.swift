import Foundation
import LIMSMigrations

/// Applies the embedded SQL migrations in order. Each one runs in its own write transaction
/// (SQLite: `BEGIN IMMEDIATE`) together with the `schema_migration` row that records it; on
/// SQLite a foreign-key check must pass before it commits (PostgreSQL checks keys as it goes).
/// A PostgreSQL database gets the same migrations spelled for it (Migrations/postgresql, same ids).
public struct DatabaseMigrator {
    public let migrations: [EmbeddedMigration]
    public let postgresqlMigrations: [EmbeddedMigration]

    public init(migrations: [EmbeddedMigration] = EmbeddedMigrations.all,
                postgresqlMigrations: [EmbeddedMigration] = EmbeddedMigrations.postgresql) {
        self.migrations = migrations.sorted { $0.id < $1.id }
        self.postgresqlMigrations = postgresqlMigrations.sorted { $0.id < $1.id }
    }

    /// The migrations of this database's engine.
    public func migrations(for db: Database) -> [EmbeddedMigration] {
        db.engine == .sqlite ? migrations : postgresqlMigrations
    }

    /// The newest schema version this binary knows.
    public var latestVersion: Int { migrations.last?.id ?? 0 }

    public struct AppliedMigration: Sendable {
        public let id: Int
        public let name: String
        public let appliedAt: String
        public let sha256: String
    }

    /// Migrations recorded in the database, oldest first (empty for a new file).
    public func applied(in db: Database) throws -> [AppliedMigration] {
        guard try hasMigrationTable(db) else { return [] }
        return try db.rows("SELECT id, name, applied_at, sha256 FROM schema_migration ORDER BY id").map {
            AppliedMigration(id: $0.int("id") ?? 0, name: $0.string("name") ?? "",
                             appliedAt: $0.string("applied_at") ?? "", sha256: $0.string("sha256") ?? "")
        }
    }

    /// The schema version of a database (0 for a new file).
    public func currentVersion(of db: Database) throws -> Int {
        try applied(in: db).last?.id ?? 0
    }

    /// Migrations not yet applied.
    public func pending(in db: Database) throws -> [EmbeddedMigration] {
        let done = Set(try applied(in: db).map(\.id))
        return migrations(for: db).filter { !done.contains($0.id) }
    }

    /// Refuses a database written by a newer schema than this binary knows.
    public func checkNotNewer(_ db: Database) throws {
        let version = try currentVersion(of: db)
        if version > latestVersion {
            throw StoreError.newerSchema(path: db.path, databaseVersion: version, knownVersion: latestVersion)
        }
    }

    /// Applies every pending migration; returns the ones applied.
    @discardableResult
    public func migrate(_ db: Database) throws -> [EmbeddedMigration] {
        try db.writeTransaction {
            try db.executeScript(db.engine == .sqlite ? """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    id          INTEGER PRIMARY KEY,
                    name        TEXT NOT NULL,
                    sha256      TEXT NOT NULL,
                    applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                ) STRICT
                """ : """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    id          bigint PRIMARY KEY,
                    name        text NOT NULL,
                    sha256      text NOT NULL,
                    applied_at  text NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                )
                """)
        }
        try checkNotNewer(db)
        var appliedNow: [EmbeddedMigration] = []
        for migration in try pending(in: db) {
            try db.writeTransaction {
                try db.executeScript(migration.sql)
                // The audit chain's hashes need SHA-256, which SQLite's SQL does not have.
                if migration.id == AuditChain.migrationID { try AuditChain.sealUnsealedRows(db) }
                try db.execute("INSERT INTO schema_migration (id, name, sha256) VALUES (?, ?, ?)",
                               [migration.id, migration.fileName, SHA256.hex(Array(migration.sql.utf8))])
                guard db.engine == .sqlite else { return }
                let violations = try db.rows("PRAGMA foreign_key_check")
                if !violations.isEmpty {
                    throw StoreError.foreignKeyViolations(
                        context: "migration \(migration.fileName)", count: violations.count)
                }
                try db.execute("PRAGMA user_version = \(migration.id)")
            }
            appliedNow.append(migration)
        }
        return appliedNow
    }

    private func hasMigrationTable(_ db: Database) throws -> Bool {
        try db.hasTable("schema_migration")
    }
}
