/// The one way a number is read from text — instrument cells, lab sheets, corrections and the
/// command line all come through here, so `0x10`, `inf`, `nan` or `1e-999` cannot slip in by one
/// door while the others refuse them.
///
/// Accepted: an optional sign, digits, an optional fraction and an optional exponent
/// (`12`, `-0.5`, `.5`, `3.`, `1.2e-3`, `+4E2`); a decimal comma (`4,52`) only where the caller
/// allows it (files whose delimiter is not a comma). Refused: hexadecimal, `inf`/`nan`, digit
/// separators, a result too large for a Double, and a non-zero number so small it would become
/// 0 (or lose its precision as a subnormal).
public enum DecimalNumber {
    public enum Failure: Error, Equatable, Sendable {
        case empty
        case hexadecimal
        case notFinite
        case notDecimal
        case overflow
        case underflow

        /// Why the text was refused, for the end of an error message.
        public var reason: String {
            switch self {
            case .empty: return "the cell is empty"
            case .hexadecimal: return "hexadecimal numbers are not accepted"
            case .notFinite: return "infinity and NaN are not numbers a lab measures"
            case .notDecimal: return "not a decimal number"
            case .overflow: return "too large (beyond ±1.8e308)"
            case .underflow: return "too small: below 2.2e-308 it would be stored as 0"
            }
        }
    }

    /// The number, or why `text` is not one. Leading and trailing spaces and tabs are ignored.
    public static func parse(_ text: some StringProtocol, decimalComma: Bool = false) -> Result<Double, Failure> {
        // Most cells are short plain numbers: scan the UTF-8 in place, convert without copying.
        if let result = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0, text: text, decimalComma: decimalComma) }) {
            return result
        }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { parse(bytes: $0, text: text, decimalComma: decimalComma) }
    }

    private static func parse(bytes all: UnsafeBufferPointer<UInt8>, text: some StringProtocol,
                              decimalComma: Bool) -> Result<Double, Failure> {
        var start = 0, end = all.count
        while start < end, all[start] == 0x20 || all[start] == 0x09 { start += 1 }
        while end > start, all[end - 1] == 0x20 || all[end - 1] == 0x09 { end -= 1 }
        if start == end { return .failure(.empty) }
        let bytes = UnsafeBufferPointer(rebasing: all[start..<end])
        switch scan(bytes, decimalComma: decimalComma) {
        case .failure(let failure): return .failure(failure)
        case .success(let scanned):
            let converted: Double?
            if scanned.usedComma || start > 0 || end < all.count {
                var copy = Array(bytes)
                if scanned.usedComma { copy[scanned.separatorIndex!] = 0x2E }
                converted = Double(String(decoding: copy, as: UTF8.self))
            } else {
                converted = Double(text)
            }
            guard let value = converted else { return .failure(.notDecimal) }
            if value.isInfinite { return .failure(.overflow) }
            if scanned.hasNonZeroDigit, value == 0 || abs(value) < Double.leastNormalMagnitude {
                return .failure(.underflow)
            }
            return .success(value)
        }
    }

    /// The number, or nil when `text` is not one (see `parse` for why).
    public static func double(_ text: some StringProtocol, decimalComma: Bool = false) -> Double? {
        if case .success(let value) = parse(text, decimalComma: decimalComma) { return value }
        return nil
    }

    private struct Scanned {
        var hasNonZeroDigit = false
        var usedComma = false
        var separatorIndex: Int?
    }

    /// Checks the grammar `[+-]? digits* ([.,] digits*)? ([eE] [+-]? digits+)?` with at least one
    /// mantissa digit; tells apart the mistakes worth naming (hex, inf/nan).
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Result<Scanned, Failure> {
        var result = Scanned()
        var index = 0
        if bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        if bytes.count - index >= 2, bytes[index] == 0x30, bytes[index + 1] | 0x20 == 0x78 { return .failure(.hexadecimal) }
        if index < bytes.count, bytes[index] | 0x20 == 0x69 || bytes[index] | 0x20 == 0x6E || bytes[index] | 0x20 == 0x73 {
            // i(nf), n(an), s(nan): name them, they are the usual way a non-number slips in.
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self).lowercased()
            if ["inf", "infinity", "nan", "snan"].contains(word) || word.hasPrefix("nan(") { return .failure(.notFinite) }
            return .failure(.notDecimal)
        }
        var mantissaDigits = 0
        while index < bytes.count, isDigit(bytes[index]) {
            if bytes[index] != 0x30 { result.hasNonZeroDigit = true }
            mantissaDigits += 1; index += 1
        }
        if index < bytes.count, bytes[index] == 0x2E || (decimalComma && bytes[index] == 0x2C) {
            result.separatorIndex = index
            result.usedComma = bytes[index] == 0x2C
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                if bytes[index] != 0x30 { result.hasNonZeroDigit = true }
                mantissaDigits += 1; index += 1
            }
        }
        guard mantissaDigits > 0 else { return .failure(.notDecimal) }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            var exponentDigits = 0
            while index < bytes.count, isDigit(bytes[index]) { exponentDigits += 1; index += 1 }
            guard exponentDigits > 0 else { return .failure(.notDecimal) }
        }
        guard index == bytes.count else { return .failure(.notDecimal) }
        return .success(result)
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
