import CSQLite
import Foundation

/// What a backup or restore did.
public struct BackupSummary: Sendable {
    public let source: String
    public let destination: String
    public let pages: Int
    public let pageSize: Int
    public let bytes: Int64
    /// How often SQLite started over because another process wrote to the source meanwhile.
    public let restarts: Int
    public let schemaVersion: Int
}

/// Errors of backup and restore, each saying what was kept.
public enum MaintenanceError: Error, CustomStringConvertible, Equatable {
    case destinationExists(path: String)
    case sameFile(path: String)
    case backupNotFound(path: String)
    case backupFailsVerification(path: String, problems: [String])
    case pageSizeMismatch(target: String, targetPageSize: Int, backupPageSize: Int)
    case folderNotWritable(path: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            return "\(path) already exists; add --force to replace it (it was not changed)"
        case .sameFile(let path):
            return "\(path) is the database itself; choose another file"
        case .backupNotFound(let path):
            return "no backup file at \(path)"
        case .backupFailsVerification(let path, let problems):
            return "the backup \(path) failed verification, so nothing was restored and the database was not changed:\n"
                + problems.map { "  " + $0 }.joined(separator: "\n")
        case .folderNotWritable(let path):
            return "cannot write in \(path) (missing folder, read-only file system or no permission); nothing was written"
        case .pageSizeMismatch(let target, let targetPageSize, let backupPageSize):
            return "\(target) uses \(targetPageSize)-byte pages but the backup uses \(backupPageSize)-byte pages; "
                + "restore to a new file instead (nothing was changed)"
        }
    }
}

/// `lims backup`: a consistent copy of the live database made with SQLite's online backup
/// API, while other processes keep reading and writing.
///
/// The copy is made a few pages at a time with a short pause between steps, so writers
/// are never held up for long. When another process writes meanwhile SQLite restarts the
/// copy (that is what keeps it consistent); after a few restarts the rest is copied in one
/// step, which in WAL mode still does not block writers. The copy goes to a temporary file
/// beside the destination, is checked, synced, and only then renamed into place: a crash
/// or a full disk leaves either no backup or a complete one, never half of one.
public struct DatabaseBackup {
    public var pagesPerStep: Int32
    public var pauseBetweenSteps: TimeInterval
    /// After this many restarts, copy the rest in one step.
    public var maximumRestarts: Int
    public var overwrite: Bool

    public init(pagesPerStep: Int32 = 256, pauseBetweenSteps: TimeInterval = 0.002, maximumRestarts: Int = 3,
                overwrite: Bool = false) {
        self.pagesPerStep = pagesPerStep
        self.pauseBetweenSteps = pauseBetweenSteps
        self.maximumRestarts = maximumRestarts
        self.overwrite = overwrite
    }

    /// Copies the database open on `source` to `destinationPath`.
    @discardableResult
    public func backup(from source: Database, to destinationPath: String,
                       progress: ((_ remaining: Int, _ total: Int) -> Void)? = nil) throws -> BackupSummary {
        let destination = URL(fileURLWithPath: destinationPath).standardizedFileURL
        if try FileIdentity.sameFile(source.path, destination.path) {
            throw MaintenanceError.sameFile(path: destination.path)
        }
        if FileManager.default.fileExists(atPath: destination.path), !overwrite {
            throw MaintenanceError.destinationExists(path: destination.path)
        }
        let folder = destination.deletingLastPathComponent().path
        if access(folder, W_OK) != 0 { throw MaintenanceError.folderNotWritable(path: folder) }
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        defer { FileIdentity.removeDatabaseFiles(temporary.path) }

        var restarts = 0
        var pages = 0
        do {
            let copy = try Database(path: temporary.path, mode: .readWrite)
            restarts = try Self.copy(from: source, to: copy, pagesPerStep: pagesPerStep, pause: pauseBetweenSteps,
                                     maximumRestarts: maximumRestarts, progress: progress)
            // A backup is one self-contained file (no -wal beside it), readable from read-only media.
            _ = try copy.scalar("PRAGMA journal_mode = DELETE")
            // The copy must be sound before it takes the destination's name.
            let problems = try IntegrityCheck().pageIntegrity(copy) + IntegrityCheck().foreignKeys(copy)
            if !problems.isEmpty {
                throw MaintenanceError.backupFailsVerification(path: destination.path, problems: problems.map(\.description))
            }
            pages = try copy.scalar("PRAGMA page_count")?.int ?? 0
        }
        try FileIdentity.syncFile(temporary.path)
        // The manifest (digest, row counts) goes into place first: a crash between the two renames
        // leaves a manifest that does not match, which restore refuses, never an unchecked backup.
        let manifestPath = BackupManifest.path(forBackup: destination.path)
        let manifestTemporary = temporary.path + ".manifest"
        defer { try? FileManager.default.removeItem(atPath: manifestTemporary) }
        do {
            let staged = try Database(path: temporary.path, mode: .readOnly)
            let manifest = try BackupManifest.describe(path: temporary.path, db: staged, named: destination.lastPathComponent)
            try manifest.encoded().write(to: URL(fileURLWithPath: manifestTemporary))
        }
        try FileIdentity.syncFile(manifestTemporary)
        try FileIdentity.replace(manifestPath, with: manifestTemporary)
        do {
            try FileIdentity.replace(destination.path, with: temporary.path)
        } catch {
            try? FileManager.default.removeItem(atPath: manifestPath)
            throw error
        }
        let check = try Database(path: destination.path, mode: .readOnly)
        let version = try DatabaseMigrator().currentVersion(of: check)
        let pageSize = try check.scalar("PRAGMA page_size")?.int ?? 0
        let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int64) ?? 0
        return BackupSummary(source: source.path, destination: destination.path, pages: pages, pageSize: pageSize,
                             bytes: size, restarts: restarts, schemaVersion: version)
    }

    /// Runs sqlite3_backup from `source` into `destination`; returns the number of restarts.
    static func copy(from source: Database, to destination: Database, pagesPerStep: Int32, pause: TimeInterval,
                     maximumRestarts: Int, progress: ((Int, Int) -> Void)?) throws -> Int {
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw destination.error(code: sqlite3_errcode(destination.handle), sql: nil)
        }
        var finished = false
        defer { if !finished { sqlite3_backup_finish(backup) } }
        var restarts = 0
        var lastRemaining = Int.max
        var busyWaits = 0
        while true {
            let step = restarts >= maximumRestarts ? -1 : pagesPerStep
            let code = sqlite3_backup_step(backup, step)
            let remaining = Int(sqlite3_backup_remaining(backup)), total = Int(sqlite3_backup_pagecount(backup))
            if code == SQLITE_DONE { progress?(0, total); break }
            let primary = code & 0xFF
            if primary == SQLITE_OK {
                // A writer changed the source: SQLite starts the copy over.
                if remaining > lastRemaining { restarts += 1 }
                lastRemaining = remaining
                progress?(remaining, total)
            } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) && busyWaits < 60_000 {
                // Another connection holds a lock we need; wait as a writer would (up to a minute).
                busyWaits += 1
                usleep(1_000)
                continue
            } else {
                finished = true
                sqlite3_backup_finish(backup)
                throw DatabaseError(extendedResultCode: code,
                                    message: String(cString: sqlite3_errstr(code)) + " while copying the database")
            }
            if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
        }
        finished = true
        let code = sqlite3_backup_finish(backup)
        if code != SQLITE_OK { throw destination.error(code: code, sql: nil) }
        return restarts
    }
}
