// The SQL files of this folder, embedded in the binary by SwiftPM (`.embedInCode`).
// A file added here must also be listed in Package.swift and below; a test compares
// this list with the folder.

public struct EmbeddedMigration: Sendable {
    /// The number that orders migrations (the NNNN of `NNNN_name.sql`).
    public let id: Int
    /// The file name, e.g. `0001_initial_schema.sql`.
    public let fileName: String
    /// The SQL text.
    public let sql: String

    public init(id: Int, fileName: String, sql: String) {
        self.id = id
        self.fileName = fileName
        self.sql = sql
    }
}

public enum EmbeddedMigrations {
    public static let all: [EmbeddedMigration] = [
        EmbeddedMigration(id: 1, fileName: "0001_initial_schema.sql",
                          sql: String(decoding: PackageResources._001_initial_schema_sql, as: UTF8.self)),
        EmbeddedMigration(id: 6, fileName: "0006_leaching_seepage.sql",
                          sql: String(decoding: PackageResources._006_leaching_seepage_sql, as: UTF8.self)),
        EmbeddedMigration(id: 7, fileName: "0007_import_profiles.sql",
                          sql: String(decoding: PackageResources._007_import_profiles_sql, as: UTF8.self)),
        EmbeddedMigration(id: 8, fileName: "0008_audit_chain.sql",
                          sql: String(decoding: PackageResources._008_audit_chain_sql, as: UTF8.self)),
        EmbeddedMigration(id: 9, fileName: "0009_internal_standards.sql",
                          sql: String(decoding: PackageResources._009_internal_standards_sql, as: UTF8.self)),
        EmbeddedMigration(id: 10, fileName: "0010_quality_control.sql",
                          sql: String(decoding: PackageResources._010_quality_control_sql, as: UTF8.self)),
        EmbeddedMigration(id: 11, fileName: "0011_code_case.sql",
                          sql: String(decoding: PackageResources._011_code_case_sql, as: UTF8.self)),
    ]

    /// The same migrations spelled for PostgreSQL (Migrations/postgresql), same ids, same order.
    public static let postgresql: [EmbeddedMigration] = [
        EmbeddedMigration(id: 1, fileName: "0001_initial_schema.pg.sql",
                          sql: String(decoding: PackageResources._001_initial_schema_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 6, fileName: "0006_leaching_seepage.pg.sql",
                          sql: String(decoding: PackageResources._006_leaching_seepage_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 7, fileName: "0007_import_profiles.pg.sql",
                          sql: String(decoding: PackageResources._007_import_profiles_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 8, fileName: "0008_audit_chain.pg.sql",
                          sql: String(decoding: PackageResources._008_audit_chain_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 9, fileName: "0009_internal_standards.pg.sql",
                          sql: String(decoding: PackageResources._009_internal_standards_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 10, fileName: "0010_quality_control.pg.sql",
                          sql: String(decoding: PackageResources._010_quality_control_pg_sql, as: UTF8.self)),
        EmbeddedMigration(id: 11, fileName: "0011_code_case.pg.sql",
                          sql: String(decoding: PackageResources._011_code_case_pg_sql, as: UTF8.self)),
    ]
}
