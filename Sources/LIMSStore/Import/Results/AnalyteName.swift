import Foundation

/// An analyte as instruments label it, reduced to element + isotope or emission line + mode/view:
/// `139  La  [ No Gas ] ` (MassHunter), `La 139`, `"La 139\n(mg/L)"` (PerkinElmer wide),
/// `Be 234.861 {144} (Radial)` (Qtegra), `Au 242.80` / `Mn 257.610` (WinLab32, ICP Expert),
/// `139La`, `La`, and oxides such as `Fe2O3` (converted to the element on import).
public struct AnalyteName: Sendable, Equatable, Hashable {
    /// The element symbol (`La`); for an oxide, the element it is reported as (`Fe` for Fe2O3).
    public var element: String
    public var isotope: Int?
    public var wavelengthNm: Double?
    /// Collision-cell mode (`No Gas`, `He`) or plasma view (`Radial`, `Axial`).
    public var mode: String?
    /// True for internal standards (`( ISTD )`), which are not results of the sample.
    public var isInternalStandard: Bool
    /// The oxide the value was reported as (`Fe2O3`), nil for an element.
    public var oxide: String?
    /// A unit written inside the label, e.g. `(mg/L)`.
    public var unit: String?
    /// The label as written in the file.
    public var sourceLabel: String

    /// The label on one line, for messages (`"La 139\n(mg/L)"` → `La 139 (mg/L)`).
    public var displayLabel: String {
        sourceLabel.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Mass fraction of the element in the oxide (1 for an element).
    public var oxideFactor: Double { oxide.flatMap(OxideStoichiometry.elementFraction) ?? 1 }

    /// A short key naming the line: `La 139 [No Gas]`, `Be 234.861 (Radial)`, `La`.
    public var key: String {
        var text = element
        if let isotope { text += " \(isotope)" }
        if let wavelengthNm { text += " " + Validate.format(wavelengthNm) }
        if let mode { text += " [\(mode)]" }
        return text
    }

    /// Parses a label; nil when it does not name an element, isotope line or known oxide.
    public static func parse(_ label: String) -> AnalyteName? {
        var text = label.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        var unit: String?
        var mode: String?
        var istd = false
        // ICP-MS/MS (Agilent 8800/8900): `24 -> 40  Mg  [ O2 ]` — Q1 selects the isotope, Q2 the
        // product ion measured (a mass shift when they differ). The isotope is Q1's; a shift is kept in the mode.
        let massPair = msmsMassPair(&text)
        // Bracketed parts: [ He ] is a cell mode, {144} a spectral order, (Radial) a view, (mg/L) a unit, ( ISTD ).
        while let open = text.firstIndex(where: { "[({".contains($0) }) {
            let closeChar: Character = text[open] == "[" ? "]" : text[open] == "(" ? ")" : "}"
            let kind = text[open]
            guard let close = text[open...].firstIndex(of: closeChar) else { return nil }
            let inner = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            text.removeSubrange(open...close)
            text.insert(" ", at: open)
            if kind == "{" { continue }
            if inner.uppercased() == "ISTD" || inner.uppercased() == "IS" { istd = true; continue }
            if kind == "(", UnitConversion.isKnownUnit(inner) || UnitConversion.isNonConcentration(inner) { unit = inner; continue }
            if !inner.isEmpty { mode = inner }
        }
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "_" }).map(String.init)
        if tokens.last?.uppercased() == "ISTD" { istd = true; tokens.removeLast() }
        // `139La`, `La139`: split letters from digits.
        if tokens.count == 1, OxideStoichiometry.canonicalName(tokens[0]) == nil, let split = splitGlued(tokens[0]) { tokens = split }
        guard !tokens.isEmpty, tokens.count <= 2 else { return nil }
        var element: String?
        var number: String?
        for token in tokens {
            if let first = token.first, first.isNumber || first == "." {
                guard number == nil else { return nil }
                number = token
            } else {
                guard element == nil else { return nil }
                element = token
            }
        }
        guard var symbol = element else { return nil }
        var oxide: String?
        if !PeriodicTable.isElement(symbol) {
            guard let oxideElement = OxideStoichiometry.element(ofOxide: symbol) else { return nil }
            oxide = OxideStoichiometry.canonicalName(symbol)
            symbol = oxideElement
        }
        var result = AnalyteName(element: symbol, isotope: nil, wavelengthNm: nil, mode: mode,
                                 isInternalStandard: istd, oxide: oxide, unit: unit, sourceLabel: label)
        if let (q1, q2) = massPair {
            guard number == nil, q1 > 0, q1 <= 300 else { return nil }
            result.isotope = q1
            if q2 != q1 { result.mode = (mode.map { $0 + ", " } ?? "") + "\(q1)→\(q2)" }
            return result
        }
        if let number {
            guard let value = Double(number), value > 0 else { return nil }
            if !number.contains("."), let mass = Int(number), mass <= 300 {
                result.isotope = mass
            } else {
                result.wavelengthNm = value
            }
        }
        return result
    }

    /// The text inside the last parentheses of a header (`Lx 139\n(mg/L)` → `mg/L`), if any.
    static func unitInParentheses(_ text: String) -> String? {
        guard let open = text.lastIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        let inner = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        return inner.isEmpty ? nil : inner
    }

    /// Removes a leading `Q1 -> Q2` mass pair from `text` and returns it.
    private static func msmsMassPair(_ text: inout String) -> (Int, Int)? {
        guard let arrow = text.range(of: "->") ?? text.range(of: "→") else { return nil }
        let before = text[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
        let afterText = text[arrow.upperBound...].drop(while: { $0 == " " })
        let q2Text = afterText.prefix(while: \.isNumber)
        guard let q1 = Int(before), let q2 = Int(q2Text), !q2Text.isEmpty else { return nil }
        text = String(afterText.dropFirst(q2Text.count))
        return (q1, q2)
    }

    private static func splitGlued(_ token: String) -> [String]? {
        let letters = token.filter(\.isLetter), digits = token.filter(\.isNumber)
        guard !letters.isEmpty, !digits.isEmpty, letters.count + digits.count == token.count else { return nil }
        if token.hasPrefix(digits) || token.hasSuffix(digits) { return [letters, digits] }
        return nil
    }
}

/// Element symbols (Z 1-103): the analytes a geochemistry lab reports.
public enum PeriodicTable {
    public static let symbols: Set<String> = Set("""
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr \
        Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm \
        Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    public static func isElement(_ symbol: String) -> Bool { symbols.contains(symbol) }
}
