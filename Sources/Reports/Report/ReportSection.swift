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
    /// Tidy tables written for `--format csv` (one file each); sections without them get the display
    /// tables converted by `TidyTable(display:)`.
    public var tidy: [(name: String, table: TidyTable)] = []
    /// The section's JSON; a section of many samples gives it as `jsonSource`, built only when asked for
    /// (a Markdown report of 10⁵ samples never builds the 10⁵ JSON objects).
    public var json: JSONValue {
        get { jsonSource?() ?? storedJSON }
        set { storedJSON = newValue; jsonSource = nil }
    }
    private var storedJSON: JSONValue = .object([])
    public var jsonSource: (@Sendable () -> JSONValue)?
    /// Per-sample tables of a large study that the Markdown summarizes: written as tidy CSV files beside
    /// the report (`<prefix><section>-<name>.csv`), where the Markdown points to them.
    public var attachments: [(fileName: String, table: TidyTable)] = []
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

    /// The tables for `--format csv`: the section's tidy tables, or its display tables converted.
    public var csvTables: [(name: String, table: TidyTable)] {
        if !tidy.isEmpty { return tidy }
        return tables.map { (Self.slug($0.name), TidyTable(display: $0.table)) }
    }

    /// A file-name part: lower-case letters, digits and dashes.
    public static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if !out.hasSuffix("-") && !out.isEmpty { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(60))
    }

    mutating func paragraph(_ text: String) { markdown += text + "\n\n" }

    mutating func figure(_ figure: ReportFigure) {
        figures.append(figure)
        markdown += "![\(figure.caption)](\(figure.fileName))\n\n*\(figure.caption)*\n\n"
    }
}
