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
    private var totalsCache: [Int64: [String: ResolvedValue]] = [:]
    private var metricsCache: [Int64: REEMetrics] = [:]

    init(data: ReportData, options: ReportOptions, reference: ReferenceComposition) {
        self.data = data
        self.options = options
        self.reference = reference
        // Samples that carry data (blocks kept only for thin sections do not count as n).
        samples = data.soilSamples(treatments: options.treatments).filter {
            data.measurements[$0.id] != nil || data.properties[$0.id] != nil
        }
        treatmentOrder = data.treatments.map(\.code).filter { options.treatments.isEmpty || options.treatments.contains($0) }
    }

    /// Resolved solid concentration (mg/kg) of an analyte of a sample.
    func total(_ sampleID: Int64, _ analyte: String) -> ResolvedValue {
        if let cached = totalsCache[sampleID]?[analyte] { return cached }
        let value = data.total(sampleID, analyte, units: ReportData.solidUnits, rule: options.censoring)
        noteReplicates(sampleID, analyte, value)
        totalsCache[sampleID, default: [:]][analyte] = value
        return value
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
        Dictionary(uniqueKeysWithValues: Elements.rey.map { ($0, total(sampleID, $0)) })
    }

    func metrics(_ sampleID: Int64) -> REEMetrics {
        if let cached = metricsCache[sampleID] { return cached }
        let m = REEMetrics(values: totals(sampleID), reference: reference, form: options.anomalyForm)
        metricsCache[sampleID] = m
        return m
    }

    func hasREETotals(_ sampleID: Int64) -> Bool {
        Elements.rey.contains { total(sampleID, $0).value != nil }
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
