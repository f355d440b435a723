/// Pooled ranks with ties given their average rank (R's rank(ties.method = "average")).
public enum Ranking {
    /// A value with its position, sorted together: sorting positions by looking their values up
    /// (`values[i] < values[j]`) jumped across memory and took most of a treatment comparison at 10⁵ samples.
    private struct Entry {
        var value: Double
        var position: Int
    }

    /// Ranks (1-based) of `values`, in the order given, and the sizes of the tied groups (t ≥ 2), in
    /// increasing order of value.
    public static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
        var entries = values.enumerated().map { Entry(value: $0.element, position: $0.offset) }
        entries.sort { $0.value < $1.value }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var start = 0
        while start < entries.count {
            var end = start
            while end + 1 < entries.count && entries[end + 1].value == entries[start].value { end += 1 }
            // Sorted positions start...end (0-based) share ranks start+1 ... end+1.
            let average = Double(start + end + 2) / 2
            for k in start...end { ranks[entries[k].position] = average }
            if end > start { ties.append(end - start + 1) }
            start = end + 1
        }
        return (ranks, ties)
    }
}
