/// A column named in an import profile: by position (`3`, or a spreadsheet letter `C`, `AB`)
/// or by its header (`Sample Name`). A short upper-case word such as `ID` or `DF` is a header when
/// the header row has it, else a letter; `header:B` is always a header.
public enum ColumnReference: Sendable, Equatable, CustomStringConvertible {
    /// 0-based.
    case position(Int)
    /// Compared case- and spacing-insensitively.
    case header(String)
    /// `C`, `AB`, `ID`: the header of that name if there is one, else the column of that letter.
    case letter(String)

    /// nil for an empty text.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.lowercased().hasPrefix("header:") {
            let name = trimmed.dropFirst("header:".count).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            self = .header(name)
        } else if let number = Int(trimmed) {
            guard number >= 1 else { return nil }
            self = .position(number - 1)
        } else if trimmed.count <= 3, trimmed.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            self = .letter(trimmed)
        } else {
            self = .header(trimmed)
        }
    }

    /// The spreadsheet letter of a 0-based position (0 → A, 27 → AB).
    public static func letter(_ index: Int) -> String {
        var n = index + 1, text = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            text = String(Character(Unicode.Scalar(UInt8(65 + remainder)))) + text
            n = (n - 1) / 26
        }
        return text
    }

    public var description: String {
        switch self {
        case .position(let index): return "column \(Self.letter(index)) (\(index + 1))"
        case .header(let name), .letter(let name): return "column \"\(name)\""
        }
    }

    /// The 0-based index in a header row (names normalized as `LongTableHeader.normalize`).
    func index(in names: [String]) -> Int? {
        switch self {
        case .position(let index): return index
        case .header(let name):
            return names.firstIndex(of: LongTableHeader.normalize(name))
        case .letter(let letters):
            return names.firstIndex(of: LongTableHeader.normalize(letters))
                ?? letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value - 64) } - 1
        }
    }
}
