/// Compact letter display by insert-and-absorb (Piepho 2004), following multcompView::multcompLetters
/// step by step so the letters come out the same: groups that share a letter do not differ.
///
/// - Insert: for a differing pair (i, j), every letter column holding both is split — the column keeps
///   i and loses j, and a copy that loses i is appended at the end.
/// - Absorb: repeatedly drop a column whose groups are a subset of another's (the later of two, or the
///   contained one), as multcompLetters' recursive `absorb`.
/// - Sort: columns by the first group carrying them; ties broken by sorting the rows below, recursively
///   (multcompLetters' `sortCols`). No sweeping step (multcompLetters does not sweep either).
public enum CompactLetters {
    /// - Parameters:
    ///   - groups: group names in report order.
    ///   - different: pairs that differ significantly, in the order of the comparisons.
    /// - Returns: letters per group, in the order of `groups`.
    public static func letters(groups: [String], different: [(String, String)]) -> [String] {
        let count = groups.count
        guard count > 0 else { return [] }
        var columns: [[Bool]] = [Array(repeating: true, count: count)]
        for (a, b) in different {
            guard let i = groups.firstIndex(of: a), let j = groups.firstIndex(of: b), i != j else { continue }
            let shared = columns.indices.filter { columns[$0][i] && columns[$0][j] }
            guard !shared.isEmpty else { continue }
            var appended: [[Bool]] = []
            for c in shared {
                var copy = columns[c]
                copy[i] = false
                appended.append(copy)
                columns[c][j] = false
            }
            columns = absorb(columns + appended)
        }
        let sorted = sortColumns(columns)
        return (0..<count).map { row in
            String(sorted.enumerated().compactMap { index, column in column[row] ? letter(index) : nil }.joined())
        }
    }

    static func isSubset(_ a: [Bool], of b: [Bool]) -> Bool { zip(a, b).allSatisfy { !$0 || $1 } }

    static func absorb(_ columns: [[Bool]]) -> [[Bool]] {
        var columns = columns
        restart: while columns.count > 1 {
            for i in 0..<(columns.count - 1) {
                for j in (i + 1)..<columns.count {
                    if isSubset(columns[j], of: columns[i]) { columns.remove(at: j); continue restart }
                    if isSubset(columns[i], of: columns[j]) { columns.remove(at: i); continue restart }
                }
            }
            break
        }
        return columns
    }

    static func sortColumns(_ columns: [[Bool]]) -> [[Bool]] {
        guard columns.count > 1 else { return columns }
        let rows = columns[0].count
        func firstRow(_ c: [Bool]) -> Int { c.firstIndex(of: true) ?? Int.max }
        var sorted = columns.enumerated().sorted { (firstRow($0.element), $0.offset) < (firstRow($1.element), $1.offset) }.map(\.element)
        let first = sorted.map(firstRow)
        for i in 0..<(sorted.count - 1) where first[i] == first[i + 1] && first[i] != Int.max && first[i] + 1 < rows {
            let below = (first[i] + 1)..<rows
            let sub = sortColumns([Array(sorted[i][below]), Array(sorted[i + 1][below])])
            sorted[i].replaceSubrange(below, with: sub[0])
            sorted[i + 1].replaceSubrange(below, with: sub[1])
        }
        return sorted
    }

    /// a … z, A … Z, then "." + a …, as multcompLetters' default `Letters`.
    static func letter(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").map(String.init)
        return index < alphabet.count ? alphabet[index] : "." + letter(index - alphabet.count)
    }
}
