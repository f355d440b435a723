import Foundation
import LIMSStore

/// What a written report consists of.
public struct ReportSummary: Sendable {
    /// Files written (absolute paths), the Markdown or JSON first.
    public var files: [URL]
    /// What is missing and where (also listed in the report).
    public var warnings: [String]
    /// False when no section had anything to report.
    public var hasContent: Bool
}

/// A report built from the lab's database: header, sections, figures.
public struct ReportDocument: Sendable {
    public var databasePath: String
    public var options: ReportOptions
    public var reference: ReferenceComposition
    public var sections: [ReportSection]
    public var sampleCounts: [(treatment: String, n: Int)]
    public var replicateNotes: [String]
    /// "ICP-MS: La, Ce …" per method of the values reported, and the sampled depths.
    public var methodNotes: [String] = []
    public var depths: [String] = []

    public var warnings: [String] { sections.flatMap(\.warnings) }
    public var hasContent: Bool { sections.contains(where: \.hasContent) }
    public var figures: [ReportFigure] { sections.filter(\.hasContent).flatMap(\.figures) }
    /// Per-sample tables the Markdown of a large study summarizes, as tidy CSV files to write beside it.
    public var attachments: [(fileName: String, table: TidyTable)] { sections.filter(\.hasContent).flatMap(\.attachments) }

    /// Writes the attachments into `directory`, each streamed row by row; returns the files written.
    public func writeAttachments(to directory: URL) throws -> [URL] {
        try attachments.map { attachment in
            let url = directory.appendingPathComponent(attachment.fileName)
            try attachment.table.writeCSV(to: url)
            return url
        }
    }

    var dateText: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: options.generatedAt)
    }

    public func markdown() -> String {
        let title = sections.count == 1 ? sections[0].kind.title : "Geochemistry report"
        var md = "# \(title)\n\n"
        md += "- Database: `\(databasePath)`\n"
        md += "- Generated: \(dateText)\n"
        md += "- Reference: **\(reference.code)** — \(reference.name); \(reference.citation)\n"
        md += "- Values below detection: rule `\(options.censoring.rawValue)` (\(options.censoring.description)); "
            + (options.censoring.substitutes ? "figures using substitutes are marked †\n" : "upper limits are printed `< x`\n")
        md += "- Anomalies: \(options.anomalyForm.ceFormula); \(options.anomalyForm.euFormula) (\(options.anomalyForm.rawValue) form, "
            + (options.anomalyForm == .arithmetic ? "the default; `--anomaly geometric` for the geometric form" : "chosen with `--anomaly geometric`; the default is arithmetic")
            + "); \(REEAnomalies.citations)\n"
        md += "- Statistics: without values below detection Kruskal–Wallis (tie-corrected), kruskalmc α = \(Validate.format(options.alpha)), "
            + "letters by insert-and-absorb; with them Kaplan–Meier estimates and Peto–Peto tests, pairs Benjamini–Hochberg adjusted (Helsel 2012)\n"
        md += "- Treatments: " + (sampleCounts.isEmpty ? "none" : sampleCounts.map { "\($0.treatment) (n = \($0.n))" }.joined(separator: ", "))
            + "; samples n = \(sampleCounts.reduce(0) { $0 + $1.n }) (field replicates: sample types "
            + ReportData.replicateSampleTypes.sorted().joined(separator: ", ") + ")\n"
        if !depths.isEmpty { md += "- Depths (cm): \(depths.joined(separator: ", "))\n" }
        if !methodNotes.isEmpty { md += "- Methods: \(methodNotes.joined(separator: "; "))\n" }
        if !replicateNotes.isEmpty {
            md += "- Replicate runs averaged (mean of the valid values): \(replicateNotes.joined(separator: ", "))\n"
        }
        md += "\n"
        for section in sections {
            md += "## \(section.kind.title)\n\n"
            if section.hasContent { md += section.markdown } else { md += "Nothing to report.\n\n" }
            if !section.warnings.isEmpty {
                md += "**Missing or incomplete:**\n\n" + section.warnings.map { "- \($0)\n" }.joined() + "\n"
            }
        }
        return md
    }

    public func json() -> JSONValue {
        .object([
            ("database", .string(databasePath)),
            ("generated_at", .string(dateText)),
            ("reference", .object([("code", .string(reference.code)), ("name", .string(reference.name)),
                                   ("citation", .string(reference.citation)),
                                   ("values_mg_kg", .object(Elements.sorted(reference.values.keys).map { ($0, .num(reference.values[$0])) }))])),
            ("rules", .object([("censored", .string(options.censoring.rawValue)),
                               ("censored_description", .string(options.censoring.description)),
                               ("anomaly_form", .string(options.anomalyForm.rawValue)),
                               ("ce_anomaly", .string(options.anomalyForm.ceFormula)),
                               ("eu_anomaly", .string(options.anomalyForm.euFormula)),
                               ("alpha", .num(options.alpha)),
                               ("recovery_range_percent", .array([.num(options.recoveryRange.lowerBound), .num(options.recoveryRange.upperBound)]))])),
            ("treatments", .array(sampleCounts.map { .object([("code", .string($0.treatment)), ("n_samples", .int($0.n))]) })),
            ("replicate_means", .strings(replicateNotes)),
            ("methods", .strings(methodNotes)), ("depths_cm", .strings(depths)),
            ("sections", .object(sections.map { s in
                (s.kind.rawValue, s.hasContent ? s.json : .null)
            })),
            ("figures", .strings(figures.map(\.fileName))),
            ("warnings", .strings(warnings)),
        ])
    }

    /// One tidy CSV per table (`<section>-<table>.csv`) and `datapackage.json`, a Frictionless Data
    /// package naming every file's columns and their types (number or string).
    public func csvFiles(prefix: String = "") -> [(fileName: String, text: String)] {
        var files: [(String, String)] = [], resources: [JSONValue] = []
        var used = Set<String>()
        for section in sections where section.hasContent {
            for (name, table) in section.csvTables {
                var fileName = "\(prefix)\(section.kind.rawValue)-\(name).csv"
                var k = 2
                while used.contains(fileName) { fileName = "\(prefix)\(section.kind.rawValue)-\(name)-\(k).csv"; k += 1 }
                used.insert(fileName)
                files.append((fileName, table.renderCSV()))
                resources.append(.object([("name", .string(ReportSection.slug(fileName))), ("path", .string(fileName)),
                                          ("format", .string("csv")), ("schema", .object([("fields", table.schemaFields)]))]))
            }
        }
        let package = JSONValue.object([("name", .string("lims-report")), ("generated_at", .string(dateText)),
                                        ("censored_rule", .string(options.censoring.rawValue)),
                                        ("resources", .array(resources))])
        files.append(("\(prefix)datapackage.json", package.rendered() + "\n"))
        return files
    }

    /// `csvFiles` written into `folder`, each table streamed to its file (a per-sample table of 10⁵
    /// samples is never rendered whole); returns the file names, datapackage.json last.
    public func writeCSVFiles(to folder: URL, prefix: String = "") throws -> [String] {
        var names: [String] = [], resources: [JSONValue] = []
        var used = Set<String>()
        for section in sections where section.hasContent {
            for (name, table) in section.csvTables {
                var fileName = "\(prefix)\(section.kind.rawValue)-\(name).csv"
                var k = 2
                while used.contains(fileName) { fileName = "\(prefix)\(section.kind.rawValue)-\(name)-\(k).csv"; k += 1 }
                used.insert(fileName)
                try table.writeCSV(to: folder.appendingPathComponent(fileName))
                names.append(fileName)
                resources.append(.object([("name", .string(ReportSection.slug(fileName))), ("path", .string(fileName)),
                                          ("format", .string("csv")), ("schema", .object([("fields", table.schemaFields)]))]))
            }
        }
        let package = JSONValue.object([("name", .string("lims-report")), ("generated_at", .string(dateText)),
                                        ("censored_rule", .string(options.censoring.rawValue)),
                                        ("resources", .array(resources))])
        try Data((package.rendered() + "\n").utf8).write(to: folder.appendingPathComponent("\(prefix)datapackage.json"), options: .atomic)
        return names + ["\(prefix)datapackage.json"]
    }
}

/// Builds the lab's geochemistry reports from the database.
///
/// Usage (this is what `lims report` and `lims demo` call):
/// ```swift
/// let builder = try ReportBuilder(store: store, options: ReportOptions())
/// let summary = try builder.writeAll(to: directoryURL)   // report.md, report.json, *.svg
/// summary.warnings.forEach { print("warning:", $0) }
/// ```
/// `writeAll` creates the directory if needed and writes `report.md` (tables + links to the SVG
/// figures), `report.json` (the same numbers; shape in README "Reports") and the SVG files beside them.
/// It throws only for database or file errors; missing data become warnings in the summary.
public struct ReportBuilder {
    public let store: LabStore
    public var options: ReportOptions

    public init(store: LabStore, options: ReportOptions = ReportOptions()) throws {
        self.store = store
        self.options = options
        for code in options.treatments { _ = try store.requireTreatment(code: code) }
    }

    /// Builds the requested sections (all of them by default) without writing anything.
    /// Called with (steps done, steps) after loading the data and after each section, for a progress line.
    public var progress: ((_ done: Int, _ total: Int) -> Void)?

    public func build(_ kinds: [ReportKind] = ReportKind.allCases) throws -> ReportDocument {
        // Batches that failed QC, when they are to be held out (their QC reports are shown in the QC section).
        var failedQC: [Int64: BatchQCReport] = [:]
        if options.excludeFailedQC {
            let evaluator = BatchQCEvaluator(store: store)
            for batch in try store.batches(includeReplaced: false) where batch.kind == "results" {
                let report = try evaluator.evaluate(batchID: batch.id)
                if report.verdict == .fail { failedQC[batch.id] = report }
            }
        }
        // The QC section reads the store, not the loaded values: built first, so the readings of every
        // batch (160 MB at 10⁵ samples) are gone before the values are loaded (170 MB) instead of adding to them.
        let qcSection = kinds.contains(.qc)
            ? try QCSection.build(store: store, heldOut: failedQC, excluding: options.excludeFailedQC) : nil
        let data = try ReportData.load(from: store, excludingBatches: Set(failedQC.keys))
        let reference = try ReferenceStore.reference(store, code: options.referenceCode)
        let context = ReportContext(data: data, options: options, reference: reference)
        progress?(1, kinds.count + 1)
        var done = 1
        let sections = kinds.map { kind -> ReportSection in
            defer { done += 1; progress?(done, kinds.count + 1) }
            switch kind {
            case .anomalies: return AnomaliesSection.build(context)
            case .extractability: return ExtractabilitySection.build(context)
            case .fractions: return FractionsSection.build(context)
            case .treatments: return TreatmentsSection.build(context)
            case .pois: return POISection.build(context)
            case .qc: return qcSection!
            }
        }
        let counts = context.treatmentOrder.map { t in (t, context.samples.filter { $0.treatmentCode == t }.count) }
        var document = ReportDocument(databasePath: data.databasePath, options: options, reference: reference, sections: sections,
                                      sampleCounts: counts, replicateNotes: context.replicateNotes)
        // Methods and depths of the field samples reported (one pass over their values).
        let byMethod = data.measurements.methods(of: context.samples.map(\.id))
        var depths = Set<String>()
        for sample in context.samples where !sample.depthText.isEmpty { depths.insert(sample.depthText) }
        document.methodNotes = byMethod.keys.sorted().map { "\($0): " + Elements.sorted(byMethod[$0]!).joined(separator: ", ") }
        document.depths = depths.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        return document
    }

    /// Writes `report.md`, `report.json` and the SVG figures of every section into `directory`.
    @discardableResult
    public func writeAll(to directory: URL) throws -> ReportSummary {
        var builder = self
        builder.options.figurePrefix = ""
        let document = try builder.build()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [URL] = []
        let md = directory.appendingPathComponent("report.md"), json = directory.appendingPathComponent("report.json")
        try Data(document.markdown().utf8).write(to: md, options: .atomic)
        try Data((document.json().rendered() + "\n").utf8).write(to: json, options: .atomic)
        files += [md, json]
        for figure in document.figures {
            let url = directory.appendingPathComponent(figure.fileName)
            try Data(figure.svg.utf8).write(to: url, options: .atomic)
            files.append(url)
        }
        files += try document.writeAttachments(to: directory)
        return ReportSummary(files: files, warnings: document.warnings, hasContent: document.hasContent)
    }
}
