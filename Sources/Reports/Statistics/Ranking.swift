/// Pooled ranks with ties given their average rank (R's rank(ties.method = "average")).
public enum Ranking {
    /// Ranks (1-based) of `values`, in the order given, and the sizes of the tied groups (t ≥ 2).
    public static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            // Positions start...end (0-based) share ranks start+1 ... end+1.
            let average = Double(start + end + 2) / 2
            for k in start...end { ranks[order[k]] = average }
            if end > start { ties.append(end - start + 1) }
            start = end + 1
        }
        return (ranks, ties)
    }
}
