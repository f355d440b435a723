/// Excel's A1 cell names: column letters (A…Z, AA…XFD) and row numbers, and sheet names as
/// Excel writes them in a reference (`'Raw Data'!B7`).
public enum CellReference {
    /// Excel's last column, XFD.
    public static let maxColumn = 16_384

    /// 1 → "A", 27 → "AA", 16384 → "XFD".
    public static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// "B7" → (column 2, row 7); "B" alone → (2, nil). nil when it is not a cell name.
    public static func parse<Bytes: Collection>(_ text: Bytes) -> (column: Int, row: Int?)? where Bytes.Element == UInt8 {
        var column = 0, row = 0
        var sawLetter = false, sawDigit = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard !sawDigit else { return nil }
                column = column * 26 + Int((byte | 0x20) - UInt8(ascii: "a")) + 1
                sawLetter = true
                guard column <= maxColumn else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard sawLetter else { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                sawDigit = true
                guard row <= 10_000_000 else { return nil }
            default:
                return nil
            }
        }
        guard sawLetter else { return nil }
        return (column, sawDigit ? row : nil)
    }

    /// A sheet name as a reference prefix: quoted (quotes doubled) unless it is letters, digits and `_`.
    public static func quotedSheetName(_ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
            && !(name.first.map { $0.isNumber } ?? false)
        return plain ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
