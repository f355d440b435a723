import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system steps of backup and restore that must be exact: same-file detection,
/// fsync, and an atomic rename whose directory entry is synced too.
enum FileIdentity {
    /// True when both paths name the same existing file (hard links and symlinks included).
    static func sameFile(_ a: String, _ b: String) throws -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Removes a database file and the journal files SQLite may keep beside it.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Flushes a file's data to the disk.
    static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw posixError("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError("cannot sync \(path)") }
    }

    /// Atomically gives `temporary` the name `destination` (same folder), then syncs the folder
    /// so the new name survives a power cut.
    static func replace(_ destination: String, with temporary: String) throws {
        guard rename(temporary, destination) == 0 else {
            throw posixError("cannot rename \(temporary) to \(destination)")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }

    static func posixError(_ what: String) -> Error {
        let code = errno
        return POSIXFileError(message: "\(what): \(String(cString: strerror(code)))", code: code)
    }
}

/// A failed file-system call, with errno's text.
public struct POSIXFileError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let code: Int32
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }
    public var description: String { message }
}

/// SHA-256 and size of a file, read in chunks.
public struct FileFingerprint: Sendable, Equatable {
    public let sha256: String
    public let size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }

    /// The fingerprint of a regular file, or of a pipe's private copy (`InputSource`), which was
    /// hashed while it was copied. A pipe, FIFO or device is refused: hashing it would consume
    /// its content, and the importer would then read nothing (or wait for ever on a FIFO).
    public static func of(_ url: URL) throws -> FileFingerprint {
        if let known = InputSource.knownFingerprint(of: url) { return known }
        var info = stat()
        if stat(url.path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                throw ImportDiagnostic(file: url.path, line: 0, message: "this is a directory; expected a file")
            }
            if kind != S_IFREG {
                throw ImportDiagnostic(file: url.path, line: 0,
                    message: "this is not a regular file (a pipe, FIFO or device): its content can be read only once; "
                        + "expected a file (lims import reads pipes and '-' through a private copy)")
            }
        }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            size += Int64(chunk.count)
        }
        return FileFingerprint(sha256: SHA256.hexString(hasher.finalize()), size: size)
    }
}
