/// Parsed analyte labels of a long table, by label text: a file of 10^7 rows names a few dozen lines.
struct AnalyteNameCache {
    private var parsed: [String: AnalyteName?] = [:]

    mutating func parse(_ label: String) -> AnalyteName? {
        if let hit = parsed[label] { return hit }
        let result = AnalyteName.parse(label)
        if parsed.count < 10_000 { parsed[label] = result }
        return result
    }
}
