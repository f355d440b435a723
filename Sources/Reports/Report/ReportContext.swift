import Foundation
import LIMSStore

/// Data, options and the chosen reference shared by the sections, with per-sample values resolved once.
/// `@unchecked Sendable`: a report is built and written on one thread; the per-sample tables and JSON of
/// a large study read it after `build` (row sources and `jsonSource`), still on that thread.
final class ReportContext: @unchecked Sendable {
    let data: ReportData
    let options: ReportOptions
    let reference: ReferenceComposition
    /// Field samples of the selected treatments with measurements or soil properties
    /// (not extracts, solutions or fractions).
    let samples: [ReportSample]
    /// Treatment codes in report order (the selected ones).
    let treatmentOrder: [String]
    /// "sample analyte (n = k)" of every value that is a mean of replicate runs (kept for a study of up
    /// to `perSampleLimit` samples; a large one is summarized by `replicateCounts`).
    private var replicateDetails: Set<String> = []
    /// analyte → number of replicate runs → how many values were such means.
    private var replicateCounts: [String: [Int: Int]] = [:]
    /// "sample analyte" of the solution and property values noted (they may be asked for more than once).
    private var notedOthers: Set<String> = []
    private let large: Bool
    /// Rows (samples: the reported ones first, in `samples` order, then any other asked for) and columns
    /// (analytes) of the solid totals. Sections ask for 10⁶ cells at 10⁴ samples; a cell is resolved from
    /// the compact stored values when asked for (one binary search), not held: at 10⁵ samples a table of
    /// resolved cells was 280 MB.
    private var rowOfSample: [Int64: Int] = [:]
    private var sampleOfRow: [Int64] = []
    /// The stored runs of each row's sample (by row: no hashing per cell).
    private var runsOfRow: [[MeasurementTable.Run]] = []
    /// Kinds of stored values in mg/kg.
    private let solidKinds: [Bool]
    private var columnOfAnalyte: [String: Int] = [:]
    private var analyteOfColumn: [String] = []
    /// The `MeasurementTable` index of each column's analyte (nil: no sample has it).
    private var storedAnalyteOfColumn: [UInt32?] = []
    /// Cells (row, column) whose mean of replicate runs has been noted: one bit per cell of the first
    /// 128 columns (10⁶ noted cells at 10⁵ samples took 17 MB as a Set), a set for any further column.
    private var notedBits: [UInt64] = []
    private var notedCells: Set<Int> = []
    private var metricsOfRow: [REEMetrics?] = []
    /// Columns of REE+Y in `Elements.rey` order (the inputs of the metrics), and the reference's values in that order.
    private var reyColumns: [Int] = []
    private let referenceREY: [Double?]

    init(data: ReportData, options: ReportOptions, reference: ReferenceComposition) {
        self.data = data
        self.options = options
        self.reference = reference
        referenceREY = Elements.rey.map { reference.values[$0] }
        // Samples that carry data (blocks kept only for thin sections do not count as n).
        samples = data.soilSamples(treatments: options.treatments).filter {
            data.measurements.contains($0.id) || data.properties[$0.id] != nil
        }
        large = options.isLarge(samples.count)
        solidKinds = data.measurements.kindMask(ReportData.solidUnits)
        treatmentOrder = data.treatments.map(\.code).filter { options.treatments.isEmpty || options.treatments.contains($0) }
        // Sized once (10⁵ rows): grown step by step, the metrics alone held 32 MB of old and new storage.
        rowOfSample.reserveCapacity(samples.count)
        sampleOfRow.reserveCapacity(samples.count)
        runsOfRow.reserveCapacity(samples.count)
        metricsOfRow.reserveCapacity(samples.count)
        for sample in samples { _ = row(sample.id) }
        reyColumns = Elements.rey.map(column)
    }

    /// The row of a sample in the totals table; the row of `samples[i]` is i.
    func row(_ sampleID: Int64) -> Int {
        if let r = rowOfSample[sampleID] { return r }
        let r = sampleOfRow.count
        rowOfSample[sampleID] = r
        sampleOfRow.append(sampleID)
        runsOfRow.append(data.measurements.runs(of: sampleID))
        metricsOfRow.append(nil)
        return r
    }

    /// The column of an analyte in the totals table.
    func column(_ analyte: String) -> Int {
        if let c = columnOfAnalyte[analyte] { return c }
        let c = analyteOfColumn.count
        columnOfAnalyte[analyte] = c
        analyteOfColumn.append(analyte)
        storedAnalyteOfColumn.append(data.measurements.index(of: analyte))
        return c
    }

    /// Resolved solid concentration (mg/kg) of an analyte of a sample.
    func total(_ sampleID: Int64, _ analyte: String) -> ResolvedValue {
        total(row: row(sampleID), column: column(analyte))
    }

    /// The same by table position (`row(_:)`, `column(_:)`), for loops over samples × analytes.
    /// A mean of replicate runs is noted the first time it is asked for, as the report lists only those it used.
    func total(row r: Int, column c: Int) -> ResolvedValue {
        guard let analyte = storedAnalyteOfColumn[c] else { return .missing }
        let value = data.measurements.resolve(runsOfRow[r], analyte, kindsIn: solidKinds, rule: options.censoring)
        if value.replicates > 1 && noteCellOnce(row: r, column: c) {
            noteReplicates(sampleOfRow[r], analyteOfColumn[c], value, once: true)
        }
        return value
    }

    /// The stored mg/kg values of an analyte of a sample, one call per value (`MeasurementTable.forEachValue`).
    func forEachSolidValue(_ sampleID: Int64, _ analyte: String,
                           _ body: (_ value: Double?, _ detectionLimit: Double?, _ censored: Bool, _ detected: Bool, _ method: String?) -> Void) {
        let c = column(analyte)
        guard let a = storedAnalyteOfColumn[c] else { return }
        data.measurements.forEachValue(runsOfRow[row(sampleID)], a, kindsIn: solidKinds, body)
    }

    /// True the first time a cell is asked for.
    private func noteCellOnce(row r: Int, column c: Int) -> Bool {
        guard c < 128 else { return notedCells.insert(r << 24 | c).inserted }
        let word = r * 2 + c / 64, bit = UInt64(1) << UInt64(c % 64)
        if word >= notedBits.count { notedBits += [UInt64](repeating: 0, count: max(word + 1 - notedBits.count, notedBits.count)) }
        guard notedBits[word] & bit == 0 else { return false }
        notedBits[word] |= bit
        return true
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

    /// The values that are means of replicate runs, for the report's header: each one for a small study;
    /// for a large one, per analyte how many values averaged how many runs.
    var replicateNotes: [String] {
        guard large else { return replicateDetails.sorted() }
        return Elements.sorted(replicateCounts.keys).map { analyte in
            let byRuns = replicateCounts[analyte]!
            return "\(analyte) of \(byRuns.values.reduce(0, +)) samples ("
                + byRuns.keys.sorted().map { "\(byRuns[$0]!) × n = \($0)" }.joined(separator: ", ") + ")"
        }
    }

    /// Notes a mean of replicate runs; `once`: the caller notes each value only once (the totals table).
    private func noteReplicates(_ sampleID: Int64, _ analyte: String, _ value: ResolvedValue, once: Bool = false) {
        guard value.replicates > 1 else { return }
        if !once {
            guard notedOthers.insert("\(sampleID) \(analyte)").inserted else { return }
        }
        replicateCounts[analyte, default: [:]][value.replicates, default: 0] += 1
        if !large { replicateDetails.insert("\(code(sampleID)) \(analyte) (n = \(value.replicates))") }
    }

    func totals(_ sampleID: Int64) -> [String: ResolvedValue] {
        let r = row(sampleID)
        return Dictionary(uniqueKeysWithValues: zip(Elements.rey, reyColumns).map { ($0, total(row: r, column: $1)) })
    }

    func metrics(_ sampleID: Int64) -> REEMetrics { metrics(row: row(sampleID)) }

    func metrics(row r: Int) -> REEMetrics {
        if let cached = metricsOfRow[r] { return cached }
        let m = REEMetrics(rey: reyColumns.map { total(row: r, column: $0) }, referenceREY: referenceREY,
                           referenceCode: reference.code, form: options.anomalyForm)
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
