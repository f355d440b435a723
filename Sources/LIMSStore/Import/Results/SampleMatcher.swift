import Foundation

/// Matches labels of an instrument run to registered samples and extracts, from one dictionary
/// loaded once (no per-row SELECT): exact code first, then the same code ignoring case and
/// runs of spaces (`A00035524001*Bank2  ` → `A00035524001*Bank2`).
public final class SampleMatcher {
    public struct Match: Sendable, Equatable {
        public let id: Int64
        public let code: String
        public let type: String
        /// Extracts, leachates and solutions are solutions; everything else is a solid.
        public var matrix: UnitConversion.Matrix {
            ["extract", "leachate", "solution"].contains(type) ? .solution : .solid
        }
    }

    private var exact: [String: Match] = [:]
    private var loose: [String: Match?] = [:]

    public init(store: LabStore) throws {
        try store.db.cachedStatement("SELECT id, code, type FROM sample WHERE retired_at IS NULL").forEachRow { row in
            guard let id = row.int64("id"), let code = row.string("code") else { return }
            let match = Match(id: id, code: code, type: row.string("type") ?? "other")
            exact[code] = match
            let key = Self.looseKey(code)
            // Two codes equal when loosened: neither may be matched loosely.
            if loose[key] != nil { loose[key] = .some(nil) } else { loose[key] = match }
        }
    }

    static func looseKey(_ label: String) -> String {
        label.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    public func match(_ label: String) -> Match? {
        if let match = exact[label] { return match }
        let trimmed = label.trimmedASCII
        if let match = exact[trimmed] { return match }
        return loose[Self.looseKey(trimmed)] ?? nil
    }
}
