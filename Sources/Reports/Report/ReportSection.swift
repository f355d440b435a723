/// A figure of a report: an SVG file written beside the Markdown and linked from it.
public struct ReportFigure: Sendable {
    public var fileName: String
    public var caption: String
    public var svg: String
}

/// One part of a report, rendered three ways (Markdown, CSV tables, JSON) plus its figures.
public struct ReportSection: Sendable {
    public var kind: ReportKind
    /// Markdown body (below the section heading).
    public var markdown: String = ""
    /// Tables for `--format csv`, with a name each.
    public var tables: [(name: String, table: MarkdownTable)] = []
    public var json: JSONValue = .object([])
    public var figures: [ReportFigure] = []
    /// What is missing and where; printed on stderr and listed in the report.
    public var warnings: [String] = []
    /// False when there was nothing to report (no data for this part).
    public var hasContent: Bool = false

    public init(kind: ReportKind) { self.kind = kind }

    mutating func add(_ title: String, _ table: MarkdownTable, notes: [String] = []) {
        markdown += "### \(title)\n\n" + table.render()
        if !notes.isEmpty { markdown += "\n" + notes.map { "\($0)  " }.joined(separator: "\n") + "\n" }
        markdown += "\n"
        tables.append((title, table))
    }

    mutating func paragraph(_ text: String) { markdown += text + "\n\n" }

    mutating func figure(_ figure: ReportFigure) {
        figures.append(figure)
        markdown += "![\(figure.caption)](\(figure.fileName))\n\n*\(figure.caption)*\n\n"
    }
}
