/// How an import profile reads analyte headers: literal text with placeholders, e.g.
/// `{element} {mass} ({unit})` for `La 139 (ug/L)`, `{element}{wavelength}` for `Ce413.380`,
/// `{element}_{unit}` for `Nd_ppm`. A space in the pattern matches one or more spaces or line
/// breaks in the header (or none); letters are compared ignoring case. No regular expressions.
public struct HeaderPattern: Sendable, Equatable, CustomStringConvertible {
    public enum Placeholder: String, Sendable, CaseIterable {
        /// An element symbol or an oxide (`La`, `Fe2O3`).
        case element
        /// An isotope mass (`139`).
        case mass
        /// An emission line in nm (`413.380`).
        case wavelength
        /// A unit (`mg/L`, `ppb`).
        case unit
        /// A collision-cell mode or plasma view (`He`, `Radial`).
        case mode
        /// Any text, not kept.
        case any
    }

    enum Part: Sendable, Equatable {
        case literal(Character)
        case space
        case placeholder(Placeholder)
    }

    public let text: String
    let parts: [Part]

    /// What a header gave for each placeholder.
    public struct Captures: Sendable, Equatable {
        public var values: [Placeholder: String] = [:]
        public subscript(_ p: Placeholder) -> String? { values[p] }
    }

    public struct Invalid: Error, Equatable {
        public let message: String
    }

    public init(_ text: String) throws(Invalid) {
        self.text = text
        var parts: [Part] = []
        var index = text.startIndex
        var seen = Set<Placeholder>()
        while index < text.endIndex {
            let char = text[index]
            if char == "{" {
                guard let close = text[index...].firstIndex(of: "}") else {
                    throw Invalid(message: "\"{\" without \"}\"; expected placeholders such as {element}")
                }
                let name = String(text[text.index(after: index)..<close]).trimmingCharacters(in: .whitespaces).lowercased()
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw Invalid(message: "unknown placeholder {\(name)}; expected one of "
                                  + Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: " "))
                }
                if placeholder != .any {
                    guard seen.insert(placeholder).inserted else { throw Invalid(message: "{\(name)} appears twice") }
                }
                parts.append(.placeholder(placeholder))
                index = text.index(after: close)
                continue
            }
            if char == " " || char == "\t" {
                if parts.last != .space { parts.append(.space) }
            } else {
                parts.append(.literal(char))
            }
            index = text.index(after: index)
        }
        guard seen.contains(.element) else { throw Invalid(message: "the pattern has no {element}; expected e.g. {element} {mass} ({unit})") }
        if seen.contains(.mass) && seen.contains(.wavelength) {
            throw Invalid(message: "a header has {mass} or {wavelength}, not both")
        }
        for (a, b) in zip(parts, parts.dropFirst()) {
            if case .placeholder(let first) = a, case .placeholder(let second) = b, !Self.canFollow(first, second) {
                throw Invalid(message: "{\(first.rawValue)}{\(second.rawValue)} cannot be told apart; put a separator between them")
            }
        }
        self.parts = parts
    }

    /// Two placeholders side by side are readable only when the characters they take differ
    /// (`{element}{mass}` = `La139`).
    private static func canFollow(_ a: Placeholder, _ b: Placeholder) -> Bool {
        switch (a, b) {
        case (.element, .mass), (.element, .wavelength), (.mass, .element), (.wavelength, .element): return true
        default: return false
        }
    }

    public var description: String { text }

    public var placeholders: [Placeholder] {
        parts.compactMap { if case .placeholder(let p) = $0 { return p } else { return nil } }
    }

    /// The captures when the whole header matches, else nil.
    public func match(_ header: String) -> Captures? {
        let chars = Array(header.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .whitespacesAndNewlines))
        var captures = Captures()
        return match(partIndex: 0, at: 0, chars, &captures) ? captures : nil
    }

    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" }

    private func accepts(_ p: Placeholder, _ text: ArraySlice<Character>) -> Bool {
        guard !text.isEmpty else { return false }
        switch p {
        case .element:
            guard let first = text.first, first.isLetter, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
            let symbol = String(text)
            return PeriodicTable.isElement(symbol) || OxideStoichiometry.element(ofOxide: symbol) != nil
        case .mass: return text.count <= 3 && text.allSatisfy { $0.isASCII && $0.isNumber }
        case .wavelength:
            return text.first!.isNumber && text.filter { $0 == "." }.count <= 1 && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        case .unit: return UnitConversion.isKnownUnit(String(text))
        case .mode, .any: return true
        }
    }

    /// Backtracking over the parts; headers are short, so this is cheap.
    private func match(partIndex: Int, at position: Int, _ chars: [Character], _ captures: inout Captures) -> Bool {
        if partIndex == parts.count { return position == chars.count }
        switch parts[partIndex] {
        case .literal(let c):
            guard position < chars.count, chars[position].lowercased() == c.lowercased() else { return false }
            return match(partIndex: partIndex + 1, at: position + 1, chars, &captures)
        case .space:
            var end = position
            while end < chars.count, Self.isSpace(chars[end]) { end += 1 }
            // A space in the pattern takes every space or line break there (`"La 139\n(ppb)"`), or none.
            if end == position { return match(partIndex: partIndex + 1, at: position, chars, &captures) }
            return match(partIndex: partIndex + 1, at: end, chars, &captures)
        case .placeholder(let p):
            guard position < chars.count else { return false }
            for end in stride(from: chars.count, to: position, by: -1) {
                let text = chars[position..<end]
                guard accepts(p, text) else { continue }
                let saved = captures
                if p != .any { captures.values[p] = String(text).trimmingCharacters(in: .whitespaces) }
                if match(partIndex: partIndex + 1, at: end, chars, &captures) { return true }
                captures = saved
            }
            return false
        }
    }
}
