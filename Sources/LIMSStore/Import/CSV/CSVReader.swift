import Foundation

/// A streaming CSV reader (RFC 4180 plus what instruments really write): `,` `;` or tab,
/// quoted fields with doubled quotes and embedded line breaks, CRLF/LF/CR, a UTF-8 BOM,
/// and Windows-1252 text from old Excel. Memory stays flat whatever the file size:
/// it reads the file in chunks and yields one record at a time.
public final class CSVReader {
    public let fileName: String
    public let delimiter: UInt8
    private let handle: FileHandle?
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd = false
    private var line = 1
    /// Fields of the previous record, to size the next one's array once.
    private var lastFieldCount = 0
    private static let chunkSize = 1 << 16

    /// Total bytes consumed so far (for progress lines).
    public private(set) var bytesRead = 0

    /// Reads a file. `delimiter` nil = detect from the first lines.
    public init(url: URL, delimiter: Character? = nil, displayName: String? = nil) throws {
        self.fileName = displayName ?? url.path
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ImportDiagnostic(file: displayName ?? url.path, line: 1, message: "cannot read the file: \(error.localizedDescription)")
        }
        self.handle = handle
        let head = (try? handle.read(upToCount: Self.chunkSize)) ?? nil
        self.buffer = head.map { Array($0) } ?? []
        if buffer.isEmpty { atEnd = true }
        self.delimiter = try CSVReader.resolveDelimiter(delimiter, sample: buffer, fileName: displayName ?? url.path)
        skipBOM()
    }

    /// Reads text already in memory (tests, embedded files).
    public init(text: String, fileName: String, delimiter: Character? = nil) throws {
        self.fileName = fileName
        self.handle = nil
        self.buffer = Array(text.utf8)
        self.atEnd = true
        self.delimiter = try CSVReader.resolveDelimiter(delimiter, sample: buffer, fileName: fileName)
        skipBOM()
    }

    deinit { try? handle?.close() }

    private func skipBOM() {
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    private static func resolveDelimiter(_ given: Character?, sample: [UInt8], fileName: String) throws -> UInt8 {
        if let given {
            guard let ascii = given.asciiValue else {
                throw ImportDiagnostic(file: fileName, line: 1, message: "the delimiter '\(given)' is not a single ASCII character")
            }
            return ascii
        }
        try rejectBinary(sample, fileName: fileName)
        return detectDelimiter(sample)
    }

    /// A file with NUL bytes or mostly control bytes is not a CSV file (a spreadsheet, a zip, a database).
    static func rejectBinary(_ sample: [UInt8], fileName: String) throws {
        let prefix = sample.prefix(4096)
        guard !prefix.isEmpty else { return }
        let control = prefix.filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }.count
        if prefix.contains(0) || control * 20 > prefix.count {
            var kind = "binary data"
            if prefix.starts(with: Array("PK".utf8)) { kind = "a zip archive (an .xlsx workbook? export it as CSV)" }
            if prefix.starts(with: Array("SQLite format 3".utf8)) { kind = "a SQLite database" }
            throw ImportDiagnostic(file: fileName, line: 1, column: 1, message: "this is \(kind), not a CSV text file")
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

    private func ensure(_ count: Int) -> Bool {
        if position + count <= buffer.count { return true }
        guard !atEnd, let handle else { return position + count <= buffer.count }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        while buffer.count < count {
            guard let data = try? handle.read(upToCount: Self.chunkSize), !data.isEmpty else {
                atEnd = true
                break
            }
            buffer.append(contentsOf: data)
        }
        return position + count <= buffer.count
    }

    /// The next record, or nil at the end of the file.
    public func next() throws -> CSVRecord? {
        guard ensure(1) else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedField = false
        var fieldStartLine = line
        fields.reserveCapacity(lastFieldCount)
        defer { lastFieldCount = fields.count }
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while true {
            // Fast path (profiled: per-byte access to the buffer and position of this class
            // spent a third of the time in Swift's exclusivity checks): copy a run of ordinary
            // bytes of an unquoted field in one go; the byte-by-byte logic below only sees
            // delimiters, quotes, line ends and chunk boundaries.
            if !inQuotes && !quotedField {
                let runEnd = endOfOrdinaryRun()
                if runEnd > position {
                    field.append(contentsOf: buffer[position..<runEnd])
                    bytesRead += runEnd - position
                    position = runEnd
                }
            }
            guard ensure(1) else {
                if inQuotes {
                    throw ImportDiagnostic(file: fileName, line: fieldStartLine, column: fields.count + 1,
                                           message: "a quoted field is not closed before the end of the file (truncated file?)")
                }
                fields.append(decode(field))
                return CSVRecord(fields: fields, line: startLine)
            }
            let byte = buffer[position]
            position += 1
            bytesRead += 1
            if inQuotes {
                if byte == quote {
                    if ensure(1), buffer[position] == quote {
                        field.append(quote)
                        position += 1
                        bytesRead += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf || (byte == cr && !(ensure(1) && buffer[position] == lf)) { line += 1 }
                    field.append(byte)
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
                field.removeAll(keepingCapacity: true)
                quotedField = false
            case cr, lf:
                if byte == cr, ensure(1), buffer[position] == lf {
                    position += 1
                    bytesRead += 1
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

    /// The index of the first delimiter, quote, CR or LF at or after `position` in the
    /// buffer (or the buffer's end), scanned through one unsafe pointer.
    private func endOfOrdinaryRun() -> Int {
        let delimiter = self.delimiter, start = position
        return buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == delimiter || byte == 0x22 || byte == 0x0D || byte == 0x0A { break }
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
