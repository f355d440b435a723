/// "Did you mean …" suggestions: the known names closest to what was typed.
public enum Suggestions {
    public static func closest(to input: String, among candidates: [String], limit: Int = 3) -> [String] {
        let needle = input.lowercased()
        let scored = candidates.map { ($0, editDistance(needle, $0.lowercased())) }
        let threshold = max(2, needle.count / 2)
        return scored
            .filter { $0.1 <= threshold || $0.0.lowercased().hasPrefix(needle) || needle.hasPrefix($0.0.lowercased()) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map(\.0)
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
