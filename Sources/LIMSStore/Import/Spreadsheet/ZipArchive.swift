import Foundation
import CZlib

/// One file inside a ZIP archive, as its central directory lists it.
public struct ZipEntry: Sendable, Equatable {
    public let name: String
    /// 0 = stored, 8 = deflated (the only two an .xlsx uses).
    public let method: UInt16
    public let flags: UInt16
    public let crc32: UInt32
    public let compressedSize: Int
    public let uncompressedSize: Int
    let localHeaderOffset: Int
}

/// A ZIP archive read from its central directory (APPNOTE 6.3): what .xlsx workbooks are.
/// Entries are streamed in chunks (stored or raw deflate through zlib) and their CRC-32 and size
/// checked at the end, so a damaged workbook is refused rather than half read. Zip64, encrypted
/// and multi-disk archives are refused with a message naming the file (and the entry).
public final class ZipArchive {
    public let fileName: String
    public let entries: [ZipEntry]
    private let handle: FileHandle
    private let fileSize: Int
    private let byName: [String: Int]

    public init(url: URL, displayName: String? = nil) throws {
        let fileName = displayName ?? url.path
        self.fileName = fileName
        do {
            handle = try FileHandle(forReadingFrom: url)
            fileSize = Int(try handle.seekToEnd())
        } catch {
            throw ImportDiagnostic(file: fileName, line: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        entries = try ZipArchive.readCentralDirectory(handle, fileSize: fileSize, fileName: fileName)
        var byName: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where byName[entry.name] == nil { byName[entry.name] = index }
        self.byName = byName
    }

    deinit { try? handle.close() }

    /// True when the file starts with a ZIP local header (`PK\3\4`), whatever its extension.
    public static func hasSignature(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? nil
        return head.map { Array($0) == [0x50, 0x4B, 0x03, 0x04] } ?? false
    }

    public func entry(named name: String) -> ZipEntry? { byName[name].map { entries[$0] } }

    func failure(_ message: String, entry: String? = nil) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: 0, message: (entry.map { "entry \($0): " } ?? "") + message)
    }

    /// A streaming reader of one entry's uncompressed bytes.
    public func open(_ entry: ZipEntry) throws -> ZipEntryReader {
        if entry.flags & 0x0001 != 0 {
            throw failure("the entry is encrypted; expected an unprotected workbook (remove the password in Excel and save again)", entry: entry.name)
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw failure("compression method \(entry.method) is not supported; expected stored (0) or deflate (8)", entry: entry.name)
        }
        let header = try read(at: entry.localHeaderOffset, count: 30, entry: entry.name)
        guard header.count == 30, Self.u32(header, 0) == 0x0403_4B50 else {
            throw failure("no local header at offset \(entry.localHeaderOffset); the archive is damaged", entry: entry.name)
        }
        let dataStart = entry.localHeaderOffset + 30 + Int(Self.u16(header, 26)) + Int(Self.u16(header, 28))
        guard dataStart + entry.compressedSize <= fileSize else {
            throw failure("its data runs past the end of the file (\(fileSize) bytes); the archive is truncated", entry: entry.name)
        }
        return try ZipEntryReader(archive: self, entry: entry, dataStart: dataStart)
    }

    /// The whole entry in memory (small parts: workbook, relationships, styles, shared strings).
    public func data(_ entry: ZipEntry) throws -> [UInt8] {
        let reader = try open(entry)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(entry.uncompressedSize, 1 << 24))  // the directory may lie
        while let chunk = try reader.nextChunk() { bytes.append(contentsOf: chunk) }
        return bytes
    }

    func read(at offset: Int, count: Int, entry: String? = nil) throws -> [UInt8] {
        do {
            try handle.seek(toOffset: UInt64(offset))
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            throw failure("cannot read at offset \(offset): \(error.localizedDescription)", entry: entry)
        }
    }

    // MARK: Central directory

    private static func readCentralDirectory(_ handle: FileHandle, fileSize: Int, fileName: String) throws -> [ZipEntry] {
        func fail(_ message: String) -> ImportDiagnostic { ImportDiagnostic(file: fileName, line: 0, message: message) }
        // The end record is the last 22 bytes plus a comment of up to 65535 bytes.
        let tailStart = max(0, fileSize - 65_557)
        try handle.seek(toOffset: UInt64(tailStart))
        let tail = Array(try handle.read(upToCount: fileSize - tailStart) ?? Data())
        var end = -1
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4B, tail[i + 2] == 0x05, tail[i + 3] == 0x06 { end = i; break }
            i -= 1
        }
        guard end >= 0 else {
            // Said as the CSV reader says it of a "PK" file, at 1:1: the most common case is a cut-off download.
            throw ImportDiagnostic(file: fileName, line: 1, column: 1,
                message: "this is a zip archive (an .xlsx workbook?) without its end-of-central-directory record: truncated or damaged; expected a complete .xlsx workbook")
        }
        if end >= 20, u32(tail, end - 20) == 0x0706_4B50 {
            throw fail("this is a Zip64 archive (over 4 GB or 65535 entries), which is not supported; expected an ordinary .xlsx workbook")
        }
        let disk = u16(tail, end + 4), cdDisk = u16(tail, end + 6)
        let count = Int(u16(tail, end + 10))
        let cdSize = Int(u32(tail, end + 12)), cdOffset = Int(u32(tail, end + 16))
        guard disk == 0, cdDisk == 0 else { throw fail("a multi-disk (split) ZIP archive is not supported") }
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            throw fail("this is a Zip64 archive, which is not supported; expected an ordinary .xlsx workbook")
        }
        guard cdOffset + cdSize <= tailStart + end else {
            throw fail("the central directory (offset \(cdOffset), \(cdSize) bytes) lies outside the file; the archive is truncated or damaged")
        }
        try handle.seek(toOffset: UInt64(cdOffset))
        let directory = Array(try handle.read(upToCount: cdSize) ?? Data())
        guard directory.count == cdSize else { throw fail("the central directory is cut short; the archive is truncated") }
        var entries: [ZipEntry] = []
        var p = 0
        for index in 0..<count {
            guard p + 46 <= directory.count, u32(directory, p) == 0x0201_4B50 else {
                throw fail("central directory record \(index + 1) of \(count) is damaged")
            }
            let nameLength = Int(u16(directory, p + 28)), extraLength = Int(u16(directory, p + 30))
            let commentLength = Int(u16(directory, p + 32))
            guard p + 46 + nameLength <= directory.count else { throw fail("central directory record \(index + 1) is cut short") }
            let name = String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            let compressed = u32(directory, p + 20), uncompressed = u32(directory, p + 24), offset = u32(directory, p + 42)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                throw fail("entry \(name): Zip64 sizes are not supported; expected an ordinary .xlsx workbook")
            }
            entries.append(ZipEntry(name: name, method: u16(directory, p + 10), flags: u16(directory, p + 8),
                                    crc32: u32(directory, p + 16), compressedSize: Int(compressed),
                                    uncompressedSize: Int(uncompressed), localHeaderOffset: Int(offset)))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// Streams one entry's bytes: reads the compressed data in chunks, inflates it (raw deflate,
/// windowBits -15) and checks the CRC-32 and the size when the data ends.
public final class ZipEntryReader {
    public let entry: ZipEntry
    private let archive: ZipArchive
    private var offset: Int
    private var remaining: Int
    private var crc: UInt = 0
    private var produced = 0
    private var finished = false
    private var stream: UnsafeMutablePointer<z_stream>?
    private let input: UnsafeMutablePointer<UInt8>
    private let output: UnsafeMutablePointer<UInt8>
    private static let chunkSize = 1 << 16
    /// Compressed bytes consumed so far (for progress lines).
    public private(set) var compressedBytesRead = 0

    init(archive: ZipArchive, entry: ZipEntry, dataStart: Int) throws {
        self.archive = archive
        self.entry = entry
        self.offset = dataStart
        self.remaining = entry.compressedSize
        input = .allocate(capacity: Self.chunkSize)
        output = .allocate(capacity: Self.chunkSize)
        if entry.method == 8 {
            // zlib keeps a pointer back to the stream: it must not move, so it lives on the heap.
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard lims_inflate_init_raw(stream) == Z_OK else {
                stream.deallocate()
                throw archive.failure("zlib could not start inflating", entry: entry.name)
            }
            self.stream = stream
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        input.deallocate()
        output.deallocate()
    }

    /// The next uncompressed bytes, or nil at the end (after the CRC-32 and size were checked).
    public func nextChunk() throws -> [UInt8]? {
        while !finished {
            let chunk = stream == nil ? try nextStored() : try nextInflated()
            if let chunk, !chunk.isEmpty {
                crc = chunk.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
                produced += chunk.count
                guard produced <= entry.uncompressedSize else {
                    throw archive.failure("it inflates to more than the \(entry.uncompressedSize) bytes the directory records; the archive is damaged", entry: entry.name)
                }
                if finished { try verify() }
                return chunk
            }
        }
        try verify()
        return nil
    }

    private var verified = false

    /// The CRC-32 and the size must be those the central directory records.
    private func verify() throws {
        guard !verified else { return }
        verified = true
        guard produced == entry.uncompressedSize else {
            throw archive.failure("it holds \(produced) bytes but the directory records \(entry.uncompressedSize); the archive is damaged", entry: entry.name)
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc32 else {
            throw archive.failure("CRC-32 mismatch (computed \(String(format: "%08x", UInt32(truncatingIfNeeded: crc))), recorded \(String(format: "%08x", entry.crc32))); the archive is damaged", entry: entry.name)
        }
    }

    private func readCompressed(max count: Int) throws -> Int {
        let bytes = try archive.read(at: offset, count: Swift.min(count, remaining), entry: entry.name)
        guard !bytes.isEmpty else { throw archive.failure("the data ends early; the archive is truncated", entry: entry.name) }
        bytes.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: bytes.count) }
        offset += bytes.count
        remaining -= bytes.count
        compressedBytesRead += bytes.count
        return bytes.count
    }

    private func nextStored() throws -> [UInt8]? {
        guard remaining > 0 else { finish(); return nil }
        let count = try readCompressed(max: Self.chunkSize)
        return Array(UnsafeBufferPointer(start: input, count: count))
    }

    private func nextInflated() throws -> [UInt8]? {
        guard let stream else { return nil }
        if stream.pointee.avail_in == 0 {
            guard remaining > 0 else {
                throw archive.failure("the deflated data ends before its end marker; the archive is truncated or damaged", entry: entry.name)
            }
            let count = try readCompressed(max: Self.chunkSize)
            stream.pointee.next_in = input
            stream.pointee.avail_in = uInt(count)
        }
        stream.pointee.next_out = output
        stream.pointee.avail_out = uInt(Self.chunkSize)
        let status = inflate(stream, Z_NO_FLUSH)
        let count = Self.chunkSize - Int(stream.pointee.avail_out)
        switch status {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            finish()
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw archive.failure("the deflated data is damaged (\(reason))", entry: entry.name)
        }
        return Array(UnsafeBufferPointer(start: output, count: count))
    }

    private func finish() { finished = true }
}
