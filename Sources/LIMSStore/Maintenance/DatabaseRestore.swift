import CSQLite
import Foundation

/// `lims restore`: puts a backup back as the lab's database.
///
/// The backup is verified first (SQLite integrity check, foreign keys, a schema version
/// this lims knows); a backup that fails is refused and nothing is touched. The copy then
/// goes through SQLite's backup API *into* the live database file, as one write transaction
/// of the target: other processes wait for it like for any writer and then see either the
/// old database or the restored one, and a crash or a full disk part-way leaves the old
/// database as it was (the uncommitted pages are in the WAL, which SQLite discards).
public struct DatabaseRestore {
    /// Replace an existing database (the CLI's --force).
    public var overwrite: Bool
    /// Refuse a backup without its `BACKUP.manifest.json` (the CLI's --without-manifest turns it off).
    public var requireManifest: Bool

    public init(overwrite: Bool = false, requireManifest: Bool = true) {
        self.overwrite = overwrite
        self.requireManifest = requireManifest
    }

    /// Checks a backup file without changing it: the problems found (empty = usable).
    public static func verify(backupPath: String) throws -> (report: IntegrityReport, problems: [IntegrityProblem]) {
        guard FileManager.default.fileExists(atPath: backupPath) else {
            throw MaintenanceError.backupNotFound(path: backupPath)
        }
        let backup = try Database(path: backupPath, mode: .readOnly)
        let report = try IntegrityCheck().run(on: backup)
        // Orphans and odd values are the lab's data as it was; a restore brings them back
        // as they were. What makes a backup unusable is a damaged file or an unknown schema.
        let blocking = report.problems.filter { [.integrity, .foreignKeys, .schema].contains($0.check) }
        let olderButKnown = blocking.allSatisfy { $0.check == .schema && $0.message.contains("older than") }
        return (report, olderButKnown ? [] : blocking)
    }

    @discardableResult
    public func restore(from backupPath: String, to targetPath: String) throws -> BackupSummary {
        let backupURL = URL(fileURLWithPath: backupPath).standardizedFileURL
        let targetURL = URL(fileURLWithPath: targetPath).standardizedFileURL
        if try FileIdentity.sameFile(backupURL.path, targetURL.path) {
            throw MaintenanceError.sameFile(path: targetURL.path)
        }
        let (report, found) = try Self.verify(backupPath: backupURL.path)
        var problems = found.map(\.description)
        if requireManifest {
            problems += try BackupManifest.problems(backupPath: backupURL.path,
                                                    db: try Database(path: backupURL.path, mode: .readOnly))
        }
        if !problems.isEmpty {
            throw MaintenanceError.backupFailsVerification(path: backupURL.path, problems: problems)
        }
        if FileManager.default.fileExists(atPath: targetURL.path), !overwrite, try Self.holdsData(targetURL.path) {
            throw MaintenanceError.destinationExists(path: targetURL.path)
        }
        let folder = targetURL.deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: targetURL.path), access(folder, W_OK) != 0 {
            throw MaintenanceError.folderNotWritable(path: folder)
        }
        let source = try Database(path: backupURL.path, mode: .readOnly)
        let target = try Database(path: targetURL.path, mode: .readWrite)
        let backupPageSize = try source.scalar("PRAGMA page_size")?.int ?? 0
        let targetPageSize = try target.scalar("PRAGMA page_size")?.int ?? 0
        let targetPages = try target.scalar("PRAGMA page_count")?.int ?? 0
        // A WAL database cannot change its page size; an empty new file takes the backup's.
        if targetPages > 0, backupPageSize != targetPageSize {
            throw MaintenanceError.pageSizeMismatch(target: targetURL.path, targetPageSize: targetPageSize,
                                                    backupPageSize: backupPageSize)
        }
        // One step: the target is locked for writing from the first step to the last anyway.
        let restarts = try DatabaseBackup.copy(from: source, to: target, pagesPerStep: -1, pause: 0,
                                               maximumRestarts: 0, progress: nil)
        let pages = try target.scalar("PRAGMA page_count")?.int ?? 0
        let after = try target.scalar("PRAGMA quick_check")?.string
        if after != "ok" {
            throw DatabaseError(extendedResultCode: SQLITE_CORRUPT,
                                message: "\(targetURL.path) failed its check right after the restore: \(after ?? "?")")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: backupURL.path)[.size] as? Int64) ?? 0
        return BackupSummary(source: backupURL.path, destination: targetURL.path, pages: pages,
                             pageSize: backupPageSize, bytes: size, restarts: restarts,
                             schemaVersion: report.schemaVersion)
    }

    /// True when the file is something worth keeping: any non-SQLite content, or a SQLite
    /// file with tables. (An empty file left by an interrupted first restore is not.)
    static func holdsData(_ path: String) throws -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        if size == 0 { return false }
        guard let db = try? Database(path: path, mode: .readOnly) else { return true }
        return (try db.scalar("SELECT count(*) FROM sqlite_schema")?.int ?? 1) > 0
    }
}
