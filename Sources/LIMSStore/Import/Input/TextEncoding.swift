/// The text encodings an instrument export comes in, told from its first bytes.
public enum TextEncoding: String, Sendable, Equatable {
    /// UTF-8 without a byte-order mark; fields that are not valid UTF-8 are read as Windows-1252 (old Excel).
    case utf8
    /// UTF-8 with its byte-order mark EF BB BF (Excel's "CSV UTF-8").
    case utf8BOM = "utf-8-bom"
    /// UTF-16 little-endian: Excel's "Unicode text" (BOM FF FE, tab-delimited), or without a BOM.
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian (BOM FE FF, or without a BOM).
    case utf16BE = "utf-16be"

    public var isUTF16: Bool { self == .utf16LE || self == .utf16BE }

    /// The encoding and the length of its byte-order mark. Without a BOM, UTF-16 is recognised
    /// when the first bytes alternate NULs with text (`a\0b\0` little-endian, `\0a\0b` big-endian).
    public static func detect<Bytes: Collection>(_ head: Bytes) -> (encoding: TextEncoding, bomLength: Int) where Bytes.Element == UInt8 {
        let bytes = Array(head.prefix(256))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8BOM, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        guard bytes.count >= 4 else { return (.utf8, 0) }
        let pairs = bytes.count / 2
        var little = 0, big = 0
        for i in 0..<pairs {
            let a = bytes[2 * i], b = bytes[2 * i + 1]
            if a != 0 && b == 0 { little += 1 }
            if a == 0 && b != 0 { big += 1 }
        }
        // The first two characters must fit and nearly all of the sample: plain text with a stray NUL is not UTF-16.
        if bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0, little * 10 >= pairs * 9 { return (.utf16LE, 0) }
        if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0, big * 10 >= pairs * 9 { return (.utf16BE, 0) }
        return (.utf8, 0)
    }
}

/// Turns UTF-16 bytes into UTF-8 chunk by chunk: a chunk may end in the middle of a code unit
/// or between the two halves of a surrogate pair; both are carried over to the next chunk.
/// Unpaired surrogates become U+FFFD.
struct UTF16Transcoder {
    let bigEndian: Bool
    private var pendingByte: UInt8?
    private var pendingHigh: UInt16?

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    struct HalfCharacter: Error {}

    mutating func transcode<Bytes: Sequence>(_ bytes: Bytes, into out: inout [UInt8]) where Bytes.Element == UInt8 {
        for byte in bytes {
            guard let first = pendingByte else { pendingByte = byte; continue }
            pendingByte = nil
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(byte) : UInt16(byte) << 8 | UInt16(first)
            append(unit, into: &out)
        }
    }

    private mutating func append(_ unit: UInt16, into out: inout [UInt8]) {
        if let high = pendingHigh {
            pendingHigh = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                Self.encode(scalar, into: &out)
                return
            }
            Self.encode(0xFFFD, into: &out)
        }
        switch unit {
        case 0xD800...0xDBFF: pendingHigh = unit
        case 0xDC00...0xDFFF: Self.encode(0xFFFD, into: &out)
        default: Self.encode(UInt32(unit), into: &out)
        }
    }

    /// At the end of the input: a high surrogate left alone becomes U+FFFD; an odd byte is an error.
    mutating func finish(into out: inout [UInt8]) throws {
        if pendingHigh != nil { pendingHigh = nil; Self.encode(0xFFFD, into: &out) }
        if pendingByte != nil { pendingByte = nil; throw HalfCharacter() }
    }

    static func encode(_ scalar: UInt32, into out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
