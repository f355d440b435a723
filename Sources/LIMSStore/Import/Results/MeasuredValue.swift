/// One cell of an instrument export or results sheet: the raw text kept as written, the number
/// (exponents, negatives and a decimal comma in `;` files), the qualifier and the detection limit.
/// `<0.000`, `<DL`, `n.d.`, `N/A`, `-`, empty and flags become qualifiers — never zeros.
public struct MeasuredValue: Sendable, Equatable {
    public enum Qualifier: String, Sendable {
        case measured = "=", below = "<", above = ">", notDetected = "nd", notMeasured = "nm", notAvailable = "na"
        /// Below or above a limit: the value is censored and substituted only at report time.
        public var isCensored: Bool { self == .below || self == .above || self == .notDetected }
    }

    public var raw: String
    public var value: Double?
    public var qualifier: Qualifier
    public var detectionLimit: Double?
    /// Instrument flags kept as written (`uv`, `x`).
    public var flags: String?

    public init(raw: String, value: Double?, qualifier: Qualifier, detectionLimit: Double? = nil, flags: String? = nil) {
        self.raw = raw; self.value = value; self.qualifier = qualifier; self.detectionLimit = detectionLimit; self.flags = flags
    }

    /// Why a cell could not be read.
    public struct Invalid: Error, Equatable {
        public let text: String
    }

    static let belowWords: Set<String> = ["<dl", "<lod", "<loq", "<mdl", "<ql", "bdl", "below dl", "<d.l.", "< dl", "<lld", "lld"]
    static let notDetectedWords: Set<String> = ["n.d.", "nd", "n.d", "not detected", "nd.", "n/d"]
    static let notAvailableWords: Set<String> = ["n/a", "na", "#n/a", "n.a.", "error", "err", "#value!", "nan", "####", "invalid", "fail", "failed"]
    static let notMeasuredWords: Set<String> = ["", "n.m.", "nm", "not measured", "not analysed", "not analyzed"]
    static let dashWords: Set<String> = ["-", "--", "---", "—", "–"]
    static let aboveWords: Set<String> = ["over", "over range", "overrange", ">range", "or", "sat", "saturated", "s", "ovr", "^"]

    /// Reads a cell. `decimalComma`: accept `1,5` as 1.5 (files whose delimiter is not a comma).
    public static func parse(_ text: String, decimalComma: Bool = false) throws(Invalid) -> MeasuredValue {
        let raw = text
        let trimmed = text.trimmedASCII
        // Fast path: a plain number (most cells of a large file).
        if let first = trimmed.utf8.first, (first >= 0x30 && first <= 0x39) || first == 0x2D || first == 0x2E,
           let value = DecimalNumber.double(trimmed) {
            return MeasuredValue(raw: raw, value: value, qualifier: .measured)
        }
        let lower = trimmed.lowercased()
        if notMeasuredWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .notMeasured) }
        if notDetectedWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .notDetected) }
        if notAvailableWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .notAvailable) }
        if dashWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .notAvailable) }
        if belowWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .below) }
        // `OR` (over range), `S`/`SAT` (detector saturated): above the range, the flag kept as written.
        if aboveWords.contains(lower) { return MeasuredValue(raw: raw, value: nil, qualifier: .above, flags: trimmed) }
        if let bracketed = bracketed(trimmed, decimalComma: decimalComma) { return MeasuredValue(raw: raw, value: bracketed, qualifier: .measured, flags: "[]") }
        if trimmed == "<" || trimmed == "≤" { return MeasuredValue(raw: raw, value: nil, qualifier: .below, flags: trimmed) }
        if trimmed == ">" || trimmed == "≥" { return MeasuredValue(raw: raw, value: nil, qualifier: .above, flags: trimmed) }
        if let first = trimmed.first, first == "<" || first == ">" || first == "≤" || first == "≥" {
            let rest = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)
            // A detection limit or range bound is never negative: `<-5` is a typo, not "below detection".
            guard let limit = number(rest, decimalComma: decimalComma), limit >= 0 else { throw Invalid(text: text) }
            if first == "<" || first == "≤" {
                // `<0.05`: below a detection limit of 0.05; the value itself is unknown.
                // `<0.000` (MassHunter) only says "below what the display shows": the DL is unknown,
                // and storing 0 would let a DL/2 rule turn the value into zero.
                return MeasuredValue(raw: raw, value: nil, qualifier: .below, detectionLimit: limit > 0 ? limit : nil)
            }
            // `>1000`: over range; the number is a lower bound, kept as the value.
            return MeasuredValue(raw: raw, value: limit, qualifier: .above)
        }
        guard let value = number(trimmed, decimalComma: decimalComma) else { throw Invalid(text: text) }
        return MeasuredValue(raw: raw, value: value, qualifier: .measured)
    }

    /// `[12.3]`, `-[1298]`, `[-5.2]`: PerkinElmer Syngistix brackets a result it reports outside its
    /// calibrated range. The number is kept as measured, flagged `[]` (the raw text is kept too).
    static func bracketed(_ text: String, decimalComma: Bool) -> Double? {
        var body = Substring(text)
        var sign = 1.0
        if body.hasPrefix("-[") { sign = -1; body = body.dropFirst() } else if body.hasPrefix("+[") { body = body.dropFirst() }
        guard body.hasPrefix("["), body.hasSuffix("]"), body.count > 2 else { return nil }
        guard let number = number(String(body.dropFirst().dropLast()), decimalComma: decimalComma) else { return nil }
        return sign * number
    }

    /// A finite decimal number (exponents allowed); `1,5` only when `decimalComma` (see `DecimalNumber`).
    public static func number(_ text: String, decimalComma: Bool) -> Double? {
        DecimalNumber.double(text.trimmedASCII, decimalComma: decimalComma)
    }

    /// Applies instrument flags (ICP Expert): `u` under range → `<` (the number is kept as measured),
    /// `x` over range → `>`; other letters are kept in `flags` only.
    public func applyingFlags(_ text: String?) -> MeasuredValue {
        guard let letters = text?.trimmedASCII, !letters.isEmpty else { return self }
        var result = self
        result.flags = letters
        if letters.contains("x") || letters.contains("o") {
            result.qualifier = .above
        } else if letters.contains("u"), qualifier == .measured {
            result.qualifier = .below
        }
        return result
    }
}
