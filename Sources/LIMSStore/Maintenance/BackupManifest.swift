import Foundation

/// `BACKUP.manifest.json`, written beside every backup: the SHA-256 of the backup file's bytes
/// and the row count of every table. `lims restore` refuses a backup that no longer matches its
/// manifest (a flipped bit in a page SQLite's own checks would not notice, a truncated copy, the
/// wrong manifest), so nothing is restored from a damaged copy.
///
/// A sidecar rather than a table inside the backup: the digest covers the whole file byte for
/// byte (a table inside would have to exclude itself), the backup stays the exact copy of the
/// lab's database that the restore puts back, and the manifest can be read without SQLite.
public struct BackupManifest: Codable, Equatable, Sendable {
    public static let formatName = "tailings-lims-backup-manifest"
    public var format = BackupManifest.formatName
    public var formatVersion = 1
    /// The backup's file name (the manifest sits beside it).
    public var file: String
    public var bytes: Int64
    /// SHA-256 (hex) of the file's bytes.
    public var sha256: String
    public var pageSize: Int
    public var pages: Int
    public var schemaVersion: Int
    public var createdAt: String
    /// Rows per table (SQLite's own tables excluded).
    public var rowCounts: [String: Int]

    /// `PATH.manifest.json` for the backup at PATH.
    public static func path(forBackup backupPath: String) -> String { backupPath + ".manifest.json" }

    /// The manifest of the backup file at `path` (open on `db`), as it is now.
    static func describe(path: String, db: Database, named name: String) throws -> BackupManifest {
        let tables = try db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .compactMap { $0.string("name") }
        var counts: [String: Int] = [:]
        for table in tables {
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            counts[table] = try db.scalar("SELECT count(*) FROM \(quoted)")?.int ?? 0
        }
        let fingerprint = try digest(of: path)
        return BackupManifest(file: name, bytes: fingerprint.bytes, sha256: fingerprint.sha256,
                              pageSize: try db.scalar("PRAGMA page_size")?.int ?? 0,
                              pages: try db.scalar("PRAGMA page_count")?.int ?? 0,
                              schemaVersion: try DatabaseMigrator().currentVersion(of: db),
                              createdAt: try db.scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")?.string ?? "",
                              rowCounts: counts)
    }

    /// SHA-256 and size of a file, read in 1 MiB pieces.
    static func digest(of path: String) throws -> (sha256: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MaintenanceError.backupNotFound(path: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            total += Int64(chunk.count)
        }
        return (SHA256.hexString(hasher.finalize()), total)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads the manifest beside `backupPath`; nil when there is none.
    static func read(forBackup backupPath: String) throws -> BackupManifest? {
        let path = Self.path(forBackup: backupPath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw MaintenanceError.backupFailsVerification(path: backupPath, problems: [
                "[manifest] \(path) is not a backup manifest (\(error.localizedDescription))"])
        }
    }

    /// What differs between the backup at `backupPath` and its manifest (empty = it matches).
    static func problems(backupPath: String, db: Database) throws -> [String] {
        guard let expected = try read(forBackup: backupPath) else {
            return ["[manifest] no manifest \(path(forBackup: backupPath)) beside the backup (made by an older lims, "
                    + "or copied without it); add --without-manifest to rely on SQLite's checks alone"]
        }
        var problems: [String] = []
        let actual = try describe(path: backupPath, db: db, named: expected.file)
        if actual.sha256 != expected.sha256 || actual.bytes != expected.bytes {
            problems.append("[manifest] the backup's content changed since it was made: SHA-256 \(actual.sha256) "
                            + "(\(actual.bytes) bytes), the manifest says \(expected.sha256) (\(expected.bytes) bytes)")
        }
        for table in Set(expected.rowCounts.keys).union(actual.rowCounts.keys).sorted()
        where expected.rowCounts[table] != actual.rowCounts[table] {
            problems.append("[manifest] table \(table) has \(actual.rowCounts[table].map(String.init) ?? "no") rows, "
                            + "the manifest says \(expected.rowCounts[table].map(String.init) ?? "none")")
        }
        return problems
    }
}
