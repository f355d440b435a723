import Foundation

/// A streaming CSV reader (RFC 4180 plus what instruments really write): `,` `;` or tab,
/// quoted fields with doubled quotes and embedded line breaks, CRLF/LF/CR, UTF-8 with or without
/// a BOM, UTF-16 LE/BE (with a BOM, or told by alternating NULs; transcoded to UTF-8 as it reads),
/// and Windows-1252 text from old Excel. Memory stays flat whatever the file size: it reads the
/// file in chunks and yields one record at a time. A NUL byte, a field over `Limits.field` or a
/// record over `Limits.record` stops it with a located error (the text is not echoed whole).
public final class CSVReader: RecordReading {
    public let fileName: String
    public private(set) var delimiter = UInt8(ascii: ",")
    /// The encoding found at the start of the file.
    public let encoding: TextEncoding
    public let limits: Limits
    /// A text file has no sheets.
    public var sheetName: String? { nil }
    private let handle: FileHandle?
    private var transcoder: UTF16Transcoder?
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd = false
    private var line = 1
    /// Fields of the previous record, to size the next one's array once.
    private var lastFieldCount = 0
    private let chunkSize: Int
    /// Bytes read from the file, and the UTF-8 bytes they became (differ for UTF-16).
    private var rawBytesRead = 0
    private var decodedBytes = 0
    /// UTF-8 bytes consumed by the parser.
    private var parsedBytes = 0

    /// How long a field and a record may be, and how many fields a record may have: a binary
    /// file or a wrong delimiter otherwise makes one "field" of gigabytes.
    public struct Limits: Sendable, Equatable {
        public var field: Int
        public var record: Int
        public var fields: Int
        public init(field: Int, record: Int, fields: Int = 65_536) {
            self.field = field; self.record = record; self.fields = fields
        }
        /// 1 MiB per field, 16 MiB per record, 65536 fields (Excel has 16384 columns).
        public static let standard = Limits(field: 1 << 20, record: 16 << 20)
    }

    /// Bytes of the file consumed so far (for progress lines).
    public var bytesRead: Int {
        guard transcoder != nil, decodedBytes > 0 else { return parsedBytes }
        return Int(Double(parsedBytes) / Double(decodedBytes) * Double(rawBytesRead))
    }

    /// The text the delimiter is detected from, and that is checked for binary data.
    private static let sampleSize = 1 << 16

    /// Reads a file. `delimiter` nil = detect from the first lines.
    public convenience init(url: URL, delimiter: Character? = nil, displayName: String? = nil) throws {
        try self.init(url: url, delimiter: delimiter, displayName: displayName, chunkSize: 1 << 16, limits: .standard)
    }

    /// Reads a file in chunks of `chunkSize` bytes (tests use tiny chunks to cross every boundary).
    public init(url: URL, delimiter: Character?, displayName: String?, chunkSize: Int, limits: Limits) throws {
        let fileName = displayName ?? url.path
        self.fileName = fileName
        self.chunkSize = max(chunkSize, 4)
        self.limits = limits
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ImportDiagnostic(file: fileName, line: 1, message: "cannot read the file: \(error.localizedDescription)")
        }
        self.handle = handle
        var head: [UInt8] = []
        while head.count < 4, let data = try? handle.read(upToCount: self.chunkSize), !data.isEmpty { head += data }
        rawBytesRead = head.count
        let (encoding, bomLength) = TextEncoding.detect(head)
        self.encoding = encoding
        if encoding.isUTF16 {
            var transcoder = UTF16Transcoder(bigEndian: encoding == .utf16BE)
            var text: [UInt8] = []
            transcoder.transcode(head.dropFirst(bomLength), into: &text)
            self.transcoder = transcoder
            self.buffer = text
            decodedBytes = text.count
        } else {
            self.buffer = head
            decodedBytes = head.count
        }
        if head.isEmpty { atEnd = true }
        // Enough text to tell the delimiter and binary data, read chunk by chunk as later.
        _ = try ensure(Self.sampleSize)
        if encoding == .utf8BOM { position = 3 }
        let sample = Array(buffer[position...].prefix(Self.sampleSize))
        self.delimiter = try CSVReader.resolveDelimiter(delimiter, sample: sample, fileName: fileName)
    }

    /// Reads text already in memory (tests, embedded files).
    public init(text: String, fileName: String, delimiter: Character? = nil) throws {
        self.fileName = fileName
        self.handle = nil
        self.buffer = Array(text.utf8)
        self.atEnd = true
        self.chunkSize = 1 << 16
        self.limits = .standard
        self.encoding = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? .utf8BOM : .utf8
        if encoding == .utf8BOM { position = 3 }
        self.delimiter = try CSVReader.resolveDelimiter(delimiter, sample: Array(buffer[position...].prefix(Self.sampleSize)), fileName: fileName)
    }

    deinit { try? handle?.close() }

    private static func resolveDelimiter(_ given: Character?, sample: [UInt8], fileName: String) throws -> UInt8 {
        try rejectBinary(sample, fileName: fileName)
        if let given {
            guard let ascii = given.asciiValue else {
                throw ImportDiagnostic(file: fileName, line: 1, message: "the delimiter '\(given)' is not a single ASCII character")
            }
            return ascii
        }
        return detectDelimiter(sample)
    }

    /// A file of mostly control bytes is not a CSV file (a spreadsheet, a zip, a database).
    /// UTF-16 text is judged after decoding; a lone NUL in text is left to `next()`, which names its line.
    static func rejectBinary(_ sample: [UInt8], fileName: String) throws {
        var prefix = Array(sample.prefix(4096))
        guard !prefix.isEmpty else { return }
        if prefix.starts(with: Array("PK".utf8)) || prefix.starts(with: Array("SQLite format 3".utf8)) {
            let kind = prefix.starts(with: Array("PK".utf8)) ? "a zip archive (an .xlsx workbook? export it as CSV)" : "a SQLite database"
            throw ImportDiagnostic(file: fileName, line: 1, column: 1, message: "this is \(kind), not a CSV text file")
        }
        let (encoding, bomLength) = TextEncoding.detect(prefix)
        if encoding.isUTF16 {
            var transcoder = UTF16Transcoder(bigEndian: encoding == .utf16BE)
            var text: [UInt8] = []
            transcoder.transcode(prefix.dropFirst(bomLength), into: &text)
            prefix = text
        }
        let control = prefix.filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }.count
        if control * 20 > prefix.count {
            throw ImportDiagnostic(file: fileName, line: 1, column: 1, message: "this is binary data, not a CSV text file")
        }
    }

    /// The delimiter whose count per line is the most consistent over the first lines
    /// (quoted text ignored). Ties go to `,` then `;` then tab.
    public static func detectDelimiter(_ sample: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var counts: [[Int]] = Array(repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lines = 0
        for byte in sample {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") {
                if current.contains(where: { $0 > 0 }) {
                    for i in candidates.indices { counts[i].append(current[i]) }
                    lines += 1
                }
                current = [Int](repeating: 0, count: candidates.count)
                if lines >= 20 { break }
                continue
            }
            if let i = candidates.firstIndex(of: byte) { current[i] += 1 }
        }
        if current.contains(where: { $0 > 0 }) { for i in candidates.indices { counts[i].append(current[i]) } }
        var best = 0
        var bestScore = -1.0
        for i in candidates.indices {
            let perLine = counts[i]
            guard !perLine.isEmpty, perLine.contains(where: { $0 > 0 }) else { continue }
            let withDelimiter = perLine.filter { $0 > 0 }.count
            let mode = Dictionary(grouping: perLine, by: { $0 }).max { $0.value.count < $1.value.count }!.key
            let consistent = perLine.filter { $0 == mode }.count
            // Lines that use it, how consistently, and how many fields it makes.
            let score = Double(withDelimiter + consistent) * 1000 + Double(mode)
            if score > bestScore { bestScore = score; best = i }
        }
        return candidates[best]
    }

    // MARK: Reading

    /// Makes `count` bytes available at `position`; false at the end of the file.
    private func ensure(_ count: Int) throws -> Bool {
        if position + count <= buffer.count { return true }
        guard !atEnd, let handle else { return position + count <= buffer.count }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        while buffer.count < count {
            guard let data = try? handle.read(upToCount: chunkSize), !data.isEmpty else {
                atEnd = true
                if transcoder != nil {
                    do {
                        try transcoder!.finish(into: &buffer)
                    } catch {
                        throw ImportDiagnostic(file: fileName, line: line, column: nil,
                            message: "the \(encoding.rawValue) text ends with half a character (an odd number of bytes); the file is truncated")
                    }
                }
                break
            }
            rawBytesRead += data.count
            if transcoder != nil {
                let before = buffer.count
                transcoder!.transcode(data, into: &buffer)
                decodedBytes += buffer.count - before
            } else {
                buffer.append(contentsOf: data)
                decodedBytes += data.count
            }
        }
        return position + count <= buffer.count
    }

    private func nulByte(line: Int, field: Int) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: line, column: field,
            message: "a NUL byte (0x00) in field \(field), at byte \(parsedBytes - 1) of the \(encoding.isUTF16 ? "decoded " : "")text: "
                + "this is not text (a damaged or binary file); expected a CSV text export")
    }

    private func fieldTooLong(_ field: [UInt8], line: Int, number: Int) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: line, column: number,
            message: "field \(number) is longer than \(Self.size(limits.field)) (starts \"\(Self.preview(field))…\"); "
                + "expected values of at most \(Self.size(limits.field)) (a binary file, or a wrong delimiter?)")
    }

    private func recordTooLong(line: Int, fields: Int) -> ImportDiagnostic {
        ImportDiagnostic(file: fileName, line: line, column: fields,
            message: "this record is longer than \(Self.size(limits.record)) or has more than \(limits.fields) fields; "
                + "expected records of at most \(Self.size(limits.record)) (a binary file, or a wrong delimiter?)")
    }

    /// The first 40 characters of a field, for an error message.
    static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(160), as: UTF8.self)
        return String(text.unicodeScalars.prefix(40).map { $0.value < 0x20 ? " " : Character($0) })
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// The next record, or nil at the end of the file.
    public func next() throws -> CSVRecord? {
        guard try ensure(1) else { return nil }
        let startLine = line
        let startBytes = parsedBytes
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedField = false
        var fieldStartLine = line
        fields.reserveCapacity(lastFieldCount)
        defer { lastFieldCount = fields.count }
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let maxField = limits.field
        while true {
            // Fast path (profiled: per-byte access to the buffer and position of this class
            // spent a third of the time in Swift's exclusivity checks): copy a run of ordinary
            // bytes of an unquoted field in one go; the byte-by-byte logic below only sees
            // delimiters, quotes, line ends, NULs and chunk boundaries.
            if !inQuotes && !quotedField {
                let runEnd = endOfOrdinaryRun()
                if runEnd > position {
                    field.append(contentsOf: buffer[position..<runEnd])
                    parsedBytes += runEnd - position
                    position = runEnd
                    if field.count > maxField { throw fieldTooLong(field, line: line, number: fields.count + 1) }
                    if parsedBytes - startBytes > limits.record { throw recordTooLong(line: startLine, fields: fields.count + 1) }
                }
            }
            guard try ensure(1) else {
                if inQuotes {
                    throw ImportDiagnostic(file: fileName, line: fieldStartLine, column: fields.count + 1,
                                           message: "a quoted field is not closed before the end of the file (truncated file?)")
                }
                fields.append(decode(field))
                return CSVRecord(fields: fields, line: startLine)
            }
            let byte = buffer[position]
            position += 1
            parsedBytes += 1
            if byte == 0 { throw nulByte(line: line, field: fields.count + 1) }
            if inQuotes {
                if byte == quote {
                    if try ensure(1), buffer[position] == quote {
                        field.append(quote)
                        position += 1
                        parsedBytes += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf {
                        line += 1
                    } else if byte == cr {
                        let crlf = try ensure(1) && buffer[position] == lf
                        if !crlf { line += 1 }
                    }
                    field.append(byte)
                    if field.count > maxField { throw fieldTooLong(field, line: fieldStartLine, number: fields.count + 1) }
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty && !quotedField:
                inQuotes = true
                quotedField = true
                fieldStartLine = line
            case delimiter:
                fields.append(decode(field))
                field.removeAll(keepingCapacity: field.count < 4096)
                quotedField = false
                if fields.count >= limits.fields || parsedBytes - startBytes > limits.record {
                    throw recordTooLong(line: startLine, fields: fields.count)
                }
            case cr, lf:
                if byte == cr, try ensure(1), buffer[position] == lf {
                    position += 1
                    parsedBytes += 1
                }
                line += 1
                fields.append(decode(field))
                return CSVRecord(fields: fields, line: startLine)
            default:
                if quotedField {
                    // `"abc"x`: text after a closing quote. Keep it, as Excel does, but only spaces are normal.
                    if byte == UInt8(ascii: " ") { continue }
                    throw ImportDiagnostic(file: fileName, line: line, column: fields.count + 1,
                                           message: "unexpected text after a closing quote; expected a delimiter or the end of the line")
                }
                field.append(byte)
            }
        }
    }

    /// The index of the first delimiter, quote, CR, LF or NUL at or after `position` in the
    /// buffer (or the buffer's end), scanned through one unsafe pointer.
    private func endOfOrdinaryRun() -> Int {
        let delimiter = self.delimiter, start = position
        return buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == delimiter || byte == 0x22 || byte == 0x0D || byte == 0x0A || byte == 0 { break }
                index += 1
            }
            return index
        }
    }

    /// All remaining records (for small files; importers of instrument files stream with `next()`).
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// UTF-8, or Windows-1252 when the bytes are not valid UTF-8 (files re-saved by old Excel).
    private func decode(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar(CSVReader.windows1252[$0] ?? UInt32($0))!) })
    }

    /// The bytes 0x80-0x9F where Windows-1252 differs from Latin-1.
    private static let windows1252: [UInt8: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]
}
