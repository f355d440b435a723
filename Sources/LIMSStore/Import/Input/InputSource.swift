import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file an importer is about to read, resolved so that it is read ONCE and hashed as read.
/// A regular file is used in place (and hashed as before). Anything else — a pipe (`<(…)`,
/// `/dev/fd/N`), a named FIFO, a character device, or `-` for standard input — is copied once
/// into a private temporary file (a 0700 folder), counting and hashing the bytes as they pass;
/// the importer then reads and re-opens the copy as often as it needs, and `FileFingerprint.of`
/// returns the hash taken while copying. `close()` (or deinit) removes the copy.
///
///     let input = try InputSource.open("/dev/fd/63", displayName: "/dev/fd/63")
///     defer { input.close() }
///     try ResultsImport(store: store, url: input.url, options: options).run()
public final class InputSource {
    /// What to read: the file itself, or the private copy (named like the original's last path component).
    public let url: URL
    /// The name shown in diagnostics.
    public let displayName: String
    /// True when `url` is a private copy of a pipe, FIFO, device or standard input.
    public let isCopy: Bool
    private let copyFolder: URL?
    private let copiedFingerprint: FileFingerprint?

    private init(url: URL, displayName: String, copyFolder: URL?, fingerprint: FileFingerprint?) {
        self.url = url
        self.displayName = displayName
        self.isCopy = copyFolder != nil
        self.copyFolder = copyFolder
        self.copiedFingerprint = fingerprint
    }

    deinit { close() }

    /// SHA-256 and size: taken while copying, or of the regular file now.
    public func fingerprint() throws -> FileFingerprint {
        if let copiedFingerprint { return copiedFingerprint }
        return try FileFingerprint.of(url)
    }

    /// Resolves `path` (`-` = standard input). A missing path is passed through so the importer
    /// reports it as before; a directory, an empty pipe or a terminal on standard input is refused.
    public static func open(_ path: String, displayName: String? = nil,
                            standardInput: FileHandle = .standardInput) throws -> InputSource {
        if path == "-" {
            let name = displayName ?? "<stdin>"
            if isatty(standardInput.fileDescriptor) == 1 {
                throw ImportDiagnostic(file: name, line: 0,
                    message: "'-' reads the file from standard input, but standard input is a terminal; expected a file piped in (lims import results - < run.csv)")
            }
            return try copy(from: standardInput, name: name, copyName: "stdin")
        }
        let name = displayName ?? path
        var info = stat()
        guard stat(path, &info) == 0 else {
            return InputSource(url: URL(fileURLWithPath: path), displayName: name, copyFolder: nil, fingerprint: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return InputSource(url: URL(fileURLWithPath: path), displayName: name, copyFolder: nil, fingerprint: nil)
        case S_IFDIR:
            throw ImportDiagnostic(file: name, line: 0, message: "this is a directory; expected a file")
        default:
            // open() of a FIFO waits for its writer, as `cat` does; then it is read to its end once.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ImportDiagnostic(file: name, line: 0, message: "cannot open it for reading: \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            let last = URL(fileURLWithPath: path).lastPathComponent
            return try copy(from: handle, name: name, copyName: last.isEmpty ? "input" : last)
        }
    }

    /// A pipe or device is copied up to this size (an endless one, like /dev/urandom, must not fill the disk).
    public static let maxCopySize: Int64 = 2 << 30

    /// Copies a stream into a new private folder, hashing as it goes.
    private static func copy(from handle: FileHandle, name: String, copyName: String,
                             maxCopySize: Int64 = InputSource.maxCopySize) throws -> InputSource {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lims-input-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let target = folder.appendingPathComponent(copyName)
        do {
            guard FileManager.default.createFile(atPath: target.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ImportDiagnostic(file: name, line: 0, message: "cannot create a temporary copy in \(folder.path)")
            }
            let output = try FileHandle(forWritingTo: target)
            defer { try? output.close() }
            var hasher = SHA256()
            var size: Int64 = 0
            while true {
                let chunk: Data
                do {
                    guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { break }
                    chunk = data
                } catch {
                    throw ImportDiagnostic(file: name, line: 0, message: "reading failed after \(size) bytes: \(error.localizedDescription)")
                }
                if size == 0, chunk.allSatisfy({ $0 == 0 }) {
                    throw ImportDiagnostic(file: name, line: 0,
                        message: "the input starts with \(chunk.count) NUL bytes (a device such as /dev/zero, or a damaged file), not text; expected the content of a file")
                }
                hasher.update(chunk)
                size += Int64(chunk.count)
                guard size <= maxCopySize else {
                    throw ImportDiagnostic(file: name, line: 0,
                        message: "the input goes on past \(maxCopySize >> 30) GiB; expected an export of at most \(maxCopySize >> 30) GiB (save a larger one to a file and import the file)")
                }
                do {
                    try output.write(contentsOf: chunk)
                } catch {
                    throw ImportDiagnostic(file: name, line: 0,
                        message: "cannot keep a temporary copy of the input (\(size) bytes so far) in \(folder.path): \(error.localizedDescription)")
                }
            }
            guard size > 0 else {
                throw ImportDiagnostic(file: name, line: 0, message: "the input is empty (the pipe or stream gave no data); expected the content of a file")
            }
            let fingerprint = FileFingerprint(sha256: SHA256.hexString(hasher.finalize()), size: size)
            let source = InputSource(url: target, displayName: name, copyFolder: folder, fingerprint: fingerprint)
            register(target, fingerprint)
            return source
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Removes the private copy (nothing for a regular file). Safe to call more than once.
    public func close() {
        guard let copyFolder else { return }
        Self.unregister(url)
        try? FileManager.default.removeItem(at: copyFolder)
    }

    // MARK: Fingerprints of live copies

    private static let lock = NSLock()
    nonisolated(unsafe) private static var copies: [String: FileFingerprint] = [:]

    private static func register(_ url: URL, _ fingerprint: FileFingerprint) {
        lock.lock(); defer { lock.unlock() }
        copies[url.standardizedFileURL.path] = fingerprint
    }

    private static func unregister(_ url: URL) {
        lock.lock(); defer { lock.unlock() }
        copies[url.standardizedFileURL.path] = nil
    }

    /// The hash taken while copying, when `url` is a live private copy.
    static func knownFingerprint(of url: URL) -> FileFingerprint? {
        lock.lock(); defer { lock.unlock() }
        return copies[url.standardizedFileURL.path]
    }
}
