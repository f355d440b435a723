import Foundation

/// Matches labels of an instrument run to registered samples and extracts, from dictionaries
/// loaded once (no per-row SELECT), in this order:
/// 1. the exact code (then the code with the label's padding removed);
/// 2. an alias (`lims sample alias add`), ignoring case and runs of spaces;
/// 3. the code ignoring case and runs of spaces (`A00035524001*Bank2  ` → `A00035524001*Bank2`);
/// 4. the same three for the label without a dilution suffix (`X x10`, `X 10x`, `X_10X`, `X DF10`,
///    `X (1:10)` → `X`, factor 10). The factor is reported in `Match.nameDilution`; the importer
///    flags the values and multiplies them only when asked (`--apply-name-dilution`).
public final class SampleMatcher {
    public struct Match: Sendable, Equatable {
        public let id: Int64
        public let code: String
        public let type: String
        /// The alias the label matched, if it matched through one.
        public var alias: String? = nil
        /// A dilution suffix removed from the label to match it.
        public var nameDilution: NameDilution? = nil

        public init(id: Int64, code: String, type: String, alias: String? = nil, nameDilution: NameDilution? = nil) {
            self.id = id; self.code = code; self.type = type; self.alias = alias; self.nameDilution = nameDilution
        }

        /// Extracts, leachates and solutions are solutions; everything else is a solid.
        public var matrix: UnitConversion.Matrix {
            ["extract", "leachate", "solution"].contains(type) ? .solution : .solid
        }
    }

    /// `x10` of `X x10`: the suffix as written and its factor.
    public struct NameDilution: Sendable, Equatable {
        public let suffix: String
        public let factor: Double
    }

    private var exact: [String: Match] = [:]
    private var loose: [String: Match?] = [:]
    private var aliases: [String: Match?] = [:]

    public init(store: LabStore) throws {
        try store.db.cachedStatement("SELECT id, code, type FROM sample WHERE retired_at IS NULL").forEachRow { row in
            guard let id = row.int64("id"), let code = row.string("code") else { return }
            let match = Match(id: id, code: code, type: row.string("type") ?? "other")
            exact[code] = match
            let key = Self.looseKey(code)
            // Two codes equal when loosened: neither may be matched loosely.
            if loose[key] != nil { loose[key] = .some(nil) } else { loose[key] = match }
        }
        let hasAliases = try store.db.hasTable("sample_alias") ? 1 : 0
        guard hasAliases > 0 else { return }
        try store.db.cachedStatement("""
            SELECT a.alias, s.id, s.code, s.type FROM sample_alias a JOIN sample s ON s.id = a.sample_id
            WHERE s.retired_at IS NULL
            """).forEachRow { row in
            guard let alias = row.string("alias"), let id = row.int64("id"), let code = row.string("code") else { return }
            let match = Match(id: id, code: code, type: row.string("type") ?? "other", alias: alias)
            let key = Self.looseKey(alias)
            // Aliases are unique ignoring case; two that differ only in spacing make neither usable.
            if aliases[key] != nil, aliases[key]??.id != id { aliases[key] = .some(nil) } else { aliases[key] = match }
        }
    }

    static func looseKey(_ label: String) -> String {
        label.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    public func match(_ label: String) -> Match? {
        if let match = matchName(label) { return match }
        guard let (base, dilution) = Self.splitDilutionSuffix(label.trimmedASCII), var match = matchName(base) else { return nil }
        match.nameDilution = dilution
        return match
    }

    private func matchName(_ label: String) -> Match? {
        if let match = exact[label] { return match }
        let trimmed = label.trimmedASCII
        if let match = exact[trimmed] { return match }
        let key = Self.looseKey(trimmed)
        if let match = aliases[key] ?? nil { return match }
        return loose[key] ?? nil
    }

    /// `X x10`, `X 10x`, `X_10X`, `X-x10`, `X DF10`, `X DF 10`, `X (1:10)`, `X 1:10`, `X (x10)` → (`X`, 10).
    /// Only factors > 1 count; nil when the label has no such suffix.
    static func splitDilutionSuffix(_ label: String) -> (String, NameDilution)? {
        var text = label.trimmingCharacters(in: .whitespaces)
        var suffix = ""
        var factorText: String?
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
            factorText = factor(ofToken: inner)
            suffix = String(text[open...])
            text = String(text[..<open])
        } else if let cut = text.lastIndex(where: { $0 == " " || $0 == "_" || $0 == "-" }) {
            let token = String(text[text.index(after: cut)...])
            var before = String(text[..<cut])
            factorText = factor(ofToken: token)
            suffix = String(text[cut...])
            // `X DF 10`: the number alone, after DF/DIL.
            if factorText == nil, Double(token) != nil, let cut2 = before.lastIndex(where: { $0 == " " || $0 == "_" || $0 == "-" }),
               ["DF", "DIL", "D.F."].contains(before[before.index(after: cut2)...].uppercased()) {
                factorText = token
                suffix = String(text[cut2...])
                before = String(before[..<cut2])
            }
            text = before
        }
        let base = text.trimmingCharacters(in: CharacterSet(charactersIn: " _-"))
        guard let factorText, let factor = Double(factorText), factor > 1, factor.isFinite, !base.isEmpty else { return nil }
        return (base, NameDilution(suffix: suffix.trimmingCharacters(in: .whitespaces), factor: factor))
    }

    /// `x10`, `10x`, `DF10`, `DIL10`, `1:10`, `1/10` → `10`.
    private static func factor(ofToken token: String) -> String? {
        let upper = token.uppercased().replacingOccurrences(of: " ", with: "")
        func number(_ text: Substring) -> String? {
            !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) && Double(text) != nil ? String(text) : nil
        }
        if upper.hasPrefix("X") || upper.hasPrefix("×") { return number(upper.dropFirst()) }
        if upper.hasSuffix("X") || upper.hasSuffix("×") { return number(upper.dropLast()) }
        for prefix in ["DF", "DIL", "D.F."] where upper.hasPrefix(prefix) { return number(upper.dropFirst(prefix.count)) }
        for separator in [":", "/"] where upper.hasPrefix("1" + separator) { return number(upper.dropFirst(2)) }
        return nil
    }
}
