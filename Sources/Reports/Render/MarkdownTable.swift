/// A GitHub-flavoured Markdown table.
public struct MarkdownTable: Sendable {
    public var columns: [String]
    public var rows: [[String]]
    /// Columns aligned right (numbers).
    public var rightAligned: Set<Int>

    public init(columns: [String], rows: [[String]] = [], rightAligned: Set<Int> = []) {
        self.columns = columns; self.rows = rows; self.rightAligned = rightAligned
    }

    public func render() -> String {
        func escape(_ s: String) -> String {
            // Most cells need nothing; Foundation's replacing is slow over 10⁴-row tables.
            guard s.contains(where: { $0 == "|" || $0 == "\n" }) else { return s }
            return s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + columns.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + columns.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
        for row in rows {
            let padded = row + Array(repeating: "", count: max(0, columns.count - row.count))
            lines.append("| " + padded.map(escape).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same table as CSV (for `--format csv`).
    public func renderCSV() -> String {
        func esc(_ f: String) -> String {
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }
        return ([columns] + rows).map { $0.map(esc).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
