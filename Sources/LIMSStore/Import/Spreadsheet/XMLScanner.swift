/// A small pull scanner for the XML parts of a workbook (SpreadsheetML): start tags with their
/// attributes, end tags and text with entities decoded. It reads from a chunk source, so a sheet
/// of 10^5 rows streams through in flat memory (no DOM, and no callback parser that would have to
/// collect every row before the first could be used). Names are local names (`x:c` → `c`).
/// Comments, processing instructions and CDATA are handled; a DTD is refused (no entity expansion).
struct XMLScanner {
    /// A tag's attributes in document order (a handful per tag: a list is cheaper than a dictionary).
    struct Attributes: Equatable {
        var pairs: [(name: String, value: String)] = []
        subscript(_ name: String) -> String? {
            for pair in pairs where pair.name == name { return pair.value }
            return nil
        }
        static func == (a: Attributes, b: Attributes) -> Bool {
            a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        }
    }

    enum Event: Equatable {
        case start(name: String, attributes: Attributes, selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    struct Failure: Error {
        let message: String
        let offset: Int
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private let source: () throws -> [UInt8]?
    /// Bytes consumed before the current buffer (for error offsets).
    private var consumed = 0
    /// Text longer than this is refused (a cell holds at most 32767 characters in Excel).
    let maxText: Int

    init(maxText: Int = 16 << 20, source: @escaping () throws -> [UInt8]?) {
        self.source = source
        self.maxText = maxText
    }

    init(bytes: [UInt8]) {
        self.source = { nil }
        self.maxText = Int.max
        self.buffer = bytes
        self.atEnd = true
    }

    var offset: Int { consumed + position }

    private func failure(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    /// Makes at least `count` bytes available after `position`; false at the end of the data.
    @inline(__always)
    private mutating func ensure(_ count: Int) throws -> Bool {
        if position + count <= buffer.count { return true }
        return try refill(count)
    }

    private mutating func refill(_ count: Int) throws -> Bool {
        if atEnd { return position + count <= buffer.count }
        if position > 0 {
            buffer.removeFirst(position)
            consumed += position
            position = 0
        }
        while buffer.count < count {
            guard let chunk = try source(), !chunk.isEmpty else { atEnd = true; break }
            buffer.append(contentsOf: chunk)
        }
        return position + count <= buffer.count
    }

    private mutating func startsWith(_ literal: StaticString) throws -> Bool {
        let count = literal.utf8CodeUnitCount
        guard try ensure(count) else { return false }
        let base = literal.utf8Start
        for i in 0..<count where buffer[position + i] != base[i] { return false }
        return true
    }

    /// Skips past the next occurrence of `terminator`.
    private mutating func skip(past terminator: StaticString, what: String) throws {
        let count = terminator.utf8CodeUnitCount
        while true {
            guard try ensure(count) else { throw failure("\(what) is not closed before the end of the data") }
            if try startsWith(terminator) { position += count; return }
            position += 1
        }
    }

    /// The next event, or nil at the end of the data.
    mutating func next() throws -> Event? {
        while true {
            guard try ensure(1) else { return nil }
            if buffer[position] != UInt8(ascii: "<") { return .text(try text()) }
            // Most tags start with a name: go straight there without trying the rarer forms.
            if try ensure(2) {
                let second = buffer[position + 1]
                if second != UInt8(ascii: "?") && second != UInt8(ascii: "!") { return try tag() }
            }
            if try startsWith("<?") { try skip(past: "?>", what: "a processing instruction"); continue }
            if try startsWith("<!--") { try skip(past: "-->", what: "a comment"); continue }
            if try startsWith("<![CDATA[") {
                position += 9
                var bytes: [UInt8] = []
                while true {
                    guard try ensure(3) else { throw failure("a CDATA section is not closed") }
                    if try startsWith("]]>") { position += 3; break }
                    bytes.append(buffer[position]); position += 1
                    guard bytes.count <= maxText else { throw failure("a text of more than \(maxText) bytes") }
                }
                return .text(String(decoding: bytes, as: UTF8.self))
            }
            if try startsWith("<!") { throw failure("a DTD (<!DOCTYPE …>) is not allowed in a workbook part") }
            return try tag()
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
          || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"))
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// A name, as its local part (after any `prefix:`).
    private mutating func name() throws -> String {
        // Usually the whole name is in the buffer: find its end and make one String.
        var end = position
        var localStart = position
        while end < buffer.count, Self.isNameByte(buffer[end]) {
            if buffer[end] == UInt8(ascii: ":") { localStart = end + 1 }
            end += 1
        }
        if end < buffer.count || atEnd {
            guard end - position < 1024 else { throw failure("a tag name of more than 1024 bytes") }
            let name = String(decoding: buffer[localStart..<end], as: UTF8.self)
            position = end
            guard !name.isEmpty else { throw failure("a tag or attribute without a name") }
            return name
        }
        // The name runs to the buffer's end: byte by byte across the refill.
        var bytes: [UInt8] = []
        while try ensure(1), Self.isNameByte(buffer[position]) {
            let byte = buffer[position]
            position += 1
            if byte == UInt8(ascii: ":") { bytes.removeAll(); continue }
            bytes.append(byte)
            guard bytes.count < 1024 else { throw failure("a tag name of more than 1024 bytes") }
        }
        guard !bytes.isEmpty else { throw failure("a tag or attribute without a name") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func skipSpaces() throws {
        while try ensure(1), Self.isSpace(buffer[position]) { position += 1 }
    }

    private mutating func tag() throws -> Event {
        position += 1  // <
        guard try ensure(1) else { throw failure("a tag is cut off at the end of the data") }
        if buffer[position] == UInt8(ascii: "/") {
            position += 1
            let name = try name()
            try skipSpaces()
            guard try ensure(1), buffer[position] == UInt8(ascii: ">") else { throw failure("the end tag </\(name) is not closed with '>'") }
            position += 1
            return .end(name: name)
        }
        let name = try name()
        var attributes = Attributes()
        while true {
            try skipSpaces()
            guard try ensure(1) else { throw failure("the tag <\(name) is cut off at the end of the data") }
            let byte = buffer[position]
            if byte == UInt8(ascii: ">") { position += 1; return .start(name: name, attributes: attributes, selfClosing: false) }
            if byte == UInt8(ascii: "/") {
                guard try ensure(2), buffer[position + 1] == UInt8(ascii: ">") else { throw failure("'/' inside the tag <\(name) not followed by '>'") }
                position += 2
                return .start(name: name, attributes: attributes, selfClosing: true)
            }
            let attribute = try self.name()
            try skipSpaces()
            guard try ensure(1), buffer[position] == UInt8(ascii: "=") else { throw failure("the attribute \(attribute) of <\(name)> has no '='") }
            position += 1
            try skipSpaces()
            guard try ensure(1), buffer[position] == UInt8(ascii: "\"") || buffer[position] == UInt8(ascii: "'") else {
                throw failure("the attribute \(attribute) of <\(name)> has no quoted value")
            }
            let quote = buffer[position]
            position += 1
            var bytes: [UInt8] = []
            while true {
                guard try ensure(1) else { throw failure("the value of \(attribute) in <\(name)> is not closed") }
                var end = position
                while end < buffer.count, buffer[end] != quote, buffer[end] != UInt8(ascii: "&") { end += 1 }
                if end > position {
                    bytes.append(contentsOf: buffer[position..<end])
                    position = end
                    guard bytes.count <= maxText else { throw failure("an attribute value of more than \(maxText) bytes") }
                    continue
                }
                let b = buffer[position]
                if b == quote { position += 1; break }
                if b == UInt8(ascii: "&") { try entity(into: &bytes); continue }
                position += 1
                bytes.append(b)
                guard bytes.count <= maxText else { throw failure("an attribute value of more than \(maxText) bytes") }
            }
            attributes.pairs.append((attribute, String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// Text up to the next `<`, entities decoded and line ends normalized to LF (XML 1.0 §2.11).
    private mutating func text() throws -> String {
        var bytes: [UInt8] = []
        while try ensure(1) {
            // A run without markup, entities or CR is copied at once.
            var end = position
            while end < buffer.count {
                let b = buffer[end]
                if b == UInt8(ascii: "<") || b == UInt8(ascii: "&") || b == 0x0D { break }
                end += 1
            }
            if end > position {
                bytes.append(contentsOf: buffer[position..<end])
                position = end
                guard bytes.count <= maxText else { throw failure("a text of more than \(maxText) bytes") }
                continue
            }
            let byte = buffer[position]
            if byte == UInt8(ascii: "<") { break }
            if byte == UInt8(ascii: "&") { try entity(into: &bytes); continue }
            position += 1
            if byte == 0x0D {
                if try ensure(1), buffer[position] == 0x0A { position += 1 }
                bytes.append(0x0A)
            } else {
                bytes.append(byte)
            }
            guard bytes.count <= maxText else { throw failure("a text of more than \(maxText) bytes") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func entity(into bytes: inout [UInt8]) throws {
        position += 1  // &
        var name: [UInt8] = []
        while true {
            guard try ensure(1) else { throw failure("an entity (&…;) is cut off") }
            let byte = buffer[position]
            position += 1
            if byte == UInt8(ascii: ";") { break }
            name.append(byte)
            guard name.count <= 12 else { throw failure("'&' not followed by an entity such as &amp;; expected &amp; &lt; &gt; &quot; &apos; or &#N;") }
        }
        switch String(decoding: name, as: UTF8.self) {
        case "amp": bytes.append(UInt8(ascii: "&"))
        case "lt": bytes.append(UInt8(ascii: "<"))
        case "gt": bytes.append(UInt8(ascii: ">"))
        case "quot": bytes.append(UInt8(ascii: "\""))
        case "apos": bytes.append(UInt8(ascii: "'"))
        case let reference where reference.hasPrefix("#"):
            let digits = reference.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { throw failure("&\(reference); is not a valid character reference") }
            bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
        case let other:
            throw failure("&\(other); is not an XML entity; expected &amp; &lt; &gt; &quot; &apos; or &#N;")
        }
    }
}
