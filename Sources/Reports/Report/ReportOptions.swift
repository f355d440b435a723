import Foundation

/// What a report is made of and which rules it uses. Every rule is named in the report.
public struct ReportOptions: Sendable {
    /// Only these treatments (codes); empty = all.
    public var treatments: [String] = []
    /// Reference composition code; nil = the database's default (UCC-TM1995).
    public var referenceCode: String?
    public var censoring: CensoringRule = .censoredMethods
    public var anomalyForm: AnomalyForm = .arithmetic
    /// Family-wise α of the kruskalmc comparisons.
    public var alpha: Double = 0.05
    /// Mass-balance recovery outside this range (%) is flagged.
    public var recoveryRange: ClosedRange<Double> = 80...120
    /// Parameters of the treatment comparison (keys, symbols or property names); empty = all available.
    public var parameters: [String] = []
    /// Prefix of the figure file names (e.g. "report-" for report-ree-pattern.svg beside report.md).
    public var figurePrefix: String = ""
    public var generatedAt: Date = Date()
    /// Leave out the values of import batches whose QC verdict is fail (`--exclude-failed-qc`); the
    /// QC section names them.
    public var excludeFailedQC = false
    /// Above this many samples a per-sample table is summarized in the Markdown (its full rows go to a
    /// tidy CSV beside the report) and a per-sample figure shows per-treatment quantiles instead of one
    /// line per sample: a report of 10⁵ samples stays readable, small and fast. Lowered by tests.
    public var perSampleLimit = 200

    /// Whether `n` samples are too many for per-sample tables and lines in the Markdown and figures.
    public func isLarge(_ n: Int) -> Bool { n > perSampleLimit }

    public init() {}
}

/// The parts of a report, in the order `all` writes them.
public enum ReportKind: String, Sendable, CaseIterable {
    case anomalies, extractability, fractions, treatments, pois, qc

    public var title: String {
        switch self {
        case .anomalies: return "REE patterns and anomalies"
        case .extractability: return "CaCl₂ extractability"
        case .fractions: return "Size fractions"
        case .treatments: return "Treatment comparison"
        case .pois: return "Thin sections and points of interest"
        case .qc: return "Quality control"
        }
    }
}
