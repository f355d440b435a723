import Foundation
import LIMSStore

/// Data, options and the chosen reference shared by the sections, with per-sample values resolved once.
final class ReportContext {
    let data: ReportData
    let options: ReportOptions
    let reference: ReferenceComposition
    /// Field samples of the selected treatments with measurements or soil properties
    /// (not extracts, solutions or fractions).
    let samples: [ReportSample]
    /// Treatment codes in report order (the selected ones).
    let treatmentOrder: [String]
    /// "sample analyte" pairs whose value is a mean of replicate runs.
    private(set) var replicateNotes: Set<String> = []
    /// Resolved solid totals as a table: a row per sample (the reported ones first, in `samples` order,
    /// then any other sample asked for), a column per analyte. Sections ask for 10⁶ cells at 10⁴ samples,
    /// so a cell is reached by two array indexes, not two hashed lookups, and a sample's values are
    /// resolved together in one pass over its stored values (`fill`) the first time one is asked for.
    private var rowOfSample: [Int64: Int] = [:]
    private var sampleOfRow: [Int64] = []
    private var columnOfAnalyte: [String: Int] = [:]
    private var analyteOfColumn: [String] = []
    private var totalsTable: [[TotalCell]] = []
    private var rowFilled: [Bool] = []
    private var metricsOfRow: [REEMetrics?] = []
    /// Columns of REE+Y in `Elements.rey` order (the inputs of the metrics).
    private var reyColumns: [Int] = []

    init(data: ReportData, options: ReportOptions, reference: ReferenceComposition) {
        self.data = data
        self.options = options
        self.reference = reference
        // Samples that carry data (blocks kept only for thin sections do not count as n).
        samples = data.soilSamples(treatments: options.treatments).filter {
            data.measurements[$0.id] != nil || data.properties[$0.id] != nil
        }
        treatmentOrder = data.treatments.map(\.code).filter { options.treatments.isEmpty || options.treatments.contains($0) }
        for sample in samples { _ = row(sample.id) }
        reyColumns = Elements.rey.map(column)
    }

    /// The row of a sample in the totals table; the row of `samples[i]` is i.
    func row(_ sampleID: Int64) -> Int {
        if let r = rowOfSample[sampleID] { return r }
        let r = sampleOfRow.count
        rowOfSample[sampleID] = r
        sampleOfRow.append(sampleID)
        totalsTable.append([])
        rowFilled.append(false)
        metricsOfRow.append(nil)
        return r
    }

    /// The column of an analyte in the totals table.
    func column(_ analyte: String) -> Int {
        if let c = columnOfAnalyte[analyte] { return c }
        let c = analyteOfColumn.count
        columnOfAnalyte[analyte] = c
        analyteOfColumn.append(analyte)
        return c
    }

    /// Resolved solid concentration (mg/kg) of an analyte of a sample.
    func total(_ sampleID: Int64, _ analyte: String) -> ResolvedValue {
        total(row: row(sampleID), column: column(analyte))
    }

    /// The same by table position (`row(_:)`, `column(_:)`), for loops over samples × analytes.
    /// A mean of replicate runs is noted the first time it is asked for, as the report lists only those it used.
    func total(row r: Int, column c: Int) -> ResolvedValue {
        if !rowFilled[r] { fill(r) }
        // Columns beyond the row are analytes the sample has no value of.
        guard c < totalsTable[r].count else { return .missing }
        let value = totalsTable[r][c].value
        if value.replicates > 1 && !totalsTable[r][c].noted {
            noteReplicates(sampleOfRow[r], analyteOfColumn[c], value)
            totalsTable[r][c].noted = true
        }
        return value
    }

    /// A cell of the totals table: the resolved value and whether its replicate runs were noted.
    private struct TotalCell {
        var value: ResolvedValue
        var noted = false
    }

    /// Resolves every solid value of a sample (what `ReportData.total` gives for each of its analytes).
    private func fill(_ r: Int) {
        rowFilled[r] = true
        guard let stored = data.measurements[sampleOfRow[r]] else { return }
        var cells = totalsTable[r]
        for (analyte, raws) in stored {
            let c = column(analyte)
            if c >= cells.count { cells.append(contentsOf: repeatElement(TotalCell(value: .missing), count: c + 1 - cells.count)) }
            cells[c].value = ReportData.resolve(raws, units: ReportData.solidUnits, rule: options.censoring)
        }
        totalsTable[r] = cells
    }

    /// Resolved solution concentration (mg/L) of an analyte of an extract.
    func solution(_ sampleID: Int64, _ analyte: String) -> ResolvedValue {
        let value = data.total(sampleID, analyte, units: ReportData.solutionUnits, rule: options.censoring)
        noteReplicates(sampleID, analyte, value)
        return value
    }

    func property(_ sampleID: Int64, _ name: String) -> ResolvedValue {
        let value = data.property(sampleID, name, rule: options.censoring)
        noteReplicates(sampleID, name, value)
        return value
    }

    private func noteReplicates(_ sampleID: Int64, _ analyte: String, _ value: ResolvedValue) {
        if value.replicates > 1 { replicateNotes.insert("\(code(sampleID)) \(analyte) (n = \(value.replicates))") }
    }

    func totals(_ sampleID: Int64) -> [String: ResolvedValue] {
        let r = row(sampleID)
        return Dictionary(uniqueKeysWithValues: zip(Elements.rey, reyColumns).map { ($0, total(row: r, column: $1)) })
    }

    func metrics(_ sampleID: Int64) -> REEMetrics { metrics(row: row(sampleID)) }

    func metrics(row r: Int) -> REEMetrics {
        if let cached = metricsOfRow[r] { return cached }
        let m = REEMetrics(values: totals(sampleOfRow[r]), reference: reference, form: options.anomalyForm)
        metricsOfRow[r] = m
        return m
    }

    func hasREETotals(_ sampleID: Int64) -> Bool {
        let r = row(sampleID)
        return reyColumns.contains { total(row: r, column: $0).value != nil }
    }

    /// A treatment's colour in every figure of every report: its position in the database's treatment
    /// order (not in this report's selection), so `ramie` has the same colour in all reports.
    func colorIndex(_ treatment: String?) -> Int {
        guard let treatment, let i = data.treatments.firstIndex(where: { $0.code == treatment }) else { return SVGChart.otherColorIndex }
        return i
    }

    func code(_ sampleID: Int64) -> String { data.samples[sampleID]?.code ?? "#\(sampleID)" }

    /// "< " for an upper limit.
    static func lt(_ upper: Bool) -> String { upper ? "< " : "" }

    var substituteFootnote: String {
        "† includes values below detection, \(options.censoring.description) (rule `\(options.censoring.rawValue)`)."
    }
}
