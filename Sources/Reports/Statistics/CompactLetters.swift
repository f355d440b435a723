/// Compact letter display by insert-and-absorb (Piepho 2004), as multcompView::multcompLetters:
/// groups that share a letter do not differ significantly.
public enum CompactLetters {
    /// - Parameters:
    ///   - groups: group names in report order.
    ///   - different: pairs that differ significantly.
    /// - Returns: letters per group, in the order of `groups`.
    public static func letters(groups: [String], different: [(String, String)]) -> [String] {
        let count = groups.count
        guard count > 0 else { return [] }
        // Each column is a letter: the set of groups carrying it. Start with one letter for all.
        var columns: [[Bool]] = [Array(repeating: true, count: count)]
        for (a, b) in different {
            guard let i = groups.firstIndex(of: a), let j = groups.firstIndex(of: b) else { continue }
            // Insert: every letter shared by i and j splits into one without i and one without j.
            var next: [[Bool]] = []
            for column in columns {
                if column[i] && column[j] {
                    var withoutI = column; withoutI[i] = false
                    var withoutJ = column; withoutJ[j] = false
                    next.append(withoutI)
                    next.append(withoutJ)
                } else {
                    next.append(column)
                }
            }
            // Absorb: drop a letter whose groups are all covered by another letter.
            var kept: [[Bool]] = []
            for (index, column) in next.enumerated() {
                let absorbed = next.enumerated().contains { other, candidate in
                    guard other != index else { return false }
                    let isSubset = zip(column, candidate).allSatisfy { !$0 || $1 }
                    // Equal columns: keep the first only.
                    return isSubset && (column != candidate || other < index)
                }
                if !absorbed { kept.append(column) }
            }
            columns = kept
        }
        // Letters in order of the first group that carries them (a for the first group …).
        let ordered = columns.enumerated().sorted { lhs, rhs in
            let l = lhs.element.firstIndex(of: true) ?? count, r = rhs.element.firstIndex(of: true) ?? count
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return (0..<count).map { row in
            String(ordered.enumerated().compactMap { index, column in
                column[row] ? (index < alphabet.count ? alphabet[index] : "?") : nil
            })
        }
    }
}
