import Foundation
import LIMSStore

/// Refuses to write a file over the lab's database or one of SQLite's files beside it
/// (`-wal`, `-shm`, `-journal`): `lims export results -o lims.sqlite` once replaced the database
/// with a CSV and exited 0. Every command that writes a file asks here first.
///
/// Paths are compared by what they are, not how they are spelled: an existing file by device and
/// inode (so symlinks, hard links, `./` and `..` are seen through); a file that does not exist yet
/// by its resolved folder and name against the database's own resolved folder and names.
enum OutputPathGuard {
    /// SQLite's files that belong to a database named PATH.
    static let sideSuffixes = ["", "-wal", "-shm", "-journal"]

    /// Throws a usage error when `path` (absolute) is the database `database` or one of its files.
    static func check(_ path: String, database: String, option: String, invocation: Invocation) throws {
        // A server database has no file here to overwrite.
        guard database != ":memory:", !DatabaseLocation.isServerURL(database), let clash = clash(path, database: database) else { return }
        throw invocation.usageError("The path '\(path)' for '\(option)' is the database\(clash.isEmpty ? "" : "'s \(clash) file") "
                                    + "(\(database)\(clash)); writing there would destroy the lab's data. "
                                    + "Choose another file; nothing was written.")
    }

    /// The suffix ("" for the database itself) of the database file `path` names, or nil.
    static func clash(_ path: String, database: String) -> String? {
        let target = resolve(path)
        for suffix in sideSuffixes {
            for candidate in Set([database + suffix, realPathOrSelf(database) + suffix]) {
                if let a = target.identity, let b = identity(candidate), a == b { return suffix }
                if target.name == resolve(candidate).name { return suffix }
            }
        }
        return nil
    }

    struct FileID: Equatable { let device: UInt64; let inode: UInt64 }

    /// A path's file identity (following symlinks) and its canonical name (resolved folder + name).
    private static func resolve(_ path: String, depth: Int = 0) -> (identity: FileID?, name: String) {
        if let id = identity(path) { return (id, realPathOrSelf(path)) }
        // A dangling symlink names the file it would create: follow it by hand.
        if depth < 8, let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            let absolute = destination.hasPrefix("/") ? destination
                : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
            return resolve(absolute, depth: depth + 1)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return (nil, (realPathOrSelf(folder) as NSString).appendingPathComponent(name))
    }

    static func identity(_ path: String) -> FileID? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    private static func realPathOrSelf(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension Invocation {
    /// Refuses `path` when it is the database or one of its side files; returns it absolute.
    @discardableResult
    func checkedOutputPath(_ path: String, option: String) throws -> String {
        let absolutePath = absolute(path)
        try OutputPathGuard.check(absolutePath, database: databasePath, option: option, invocation: self)
        return absolutePath
    }
}
