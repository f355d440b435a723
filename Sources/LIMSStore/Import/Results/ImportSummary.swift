/// What an import wrote (or, for a dry run, would write): the one-screen summary after
/// `lims import results`, and the figures stored in the import batch.
public struct ImportSummary: Sendable {
    public var dryRun = false
    public var batchID: Int64?
    public var replacedBatchID: Int64?
    public var fileName = ""
    public var sha256 = ""
    public var format: ResultsFormat = .long
    /// The import profile the file was read with (then `format` is not used).
    public var profile: String?
    public var instrument: String?
    /// Data rows read (headers, repeated headers and pseudo-rows not counted).
    public var dataRows = 0
    public var skippedRows = 0
    /// Values stored for samples (matched or unmatched) and for QC rows.
    public var sampleValues = 0
    public var qcValues = 0
    /// Registered samples that received values, by code (distinct).
    public var matchedSamples: [String] = []
    /// Labels matching no registered sample, in file order (distinct).
    public var unmatchedNames: [String] = []
    public var unmatchedValues = 0
    /// QC rows (runs) by qc_type.
    public var qcRows: [String: Int] = [:]
    /// Distinct analyte lines (`La 139 [No Gas]`) and elements.
    public var analytes: [String] = []
    public var elements: [String] = []
    /// Values by qualifier other than `=` (sample and QC values).
    public var qualifiers: [String: Int] = [:]
    public var negativeValues = 0
    /// Columns not imported (CPS, RSD …) → cells skipped.
    public var skippedCells: [String: Int] = [:]
    public var internalStandards: [String] = []
    /// Internal-standard readings (recovery %, intensity) stored as QC data of the run.
    public var internalStandardReadings = 0
    /// Why the reader was chosen (detected signature, or `--format`/`--profile`).
    public var formatReason = ""
    /// The workbook sheet read, for an .xlsx file.
    public var sheetName: String?
    /// `ppb → mg/L` and the like.
    public var unitConversions: [String] = []
    public var matrices: [String] = []
    public var dilution: Double?
    public var warnings: [String] = []
    /// A dry run's finding that would stop the real import (the CLI then exits 1).
    public var dryRunStop: String?

    public var qcRowCount: Int { qcRows.values.reduce(0, +) }
    /// Censored values: below detection, over range, not detected.
    public var censoredCount: Int { ["<", ">", "nd"].reduce(0) { $0 + (qualifiers[$1] ?? 0) } }
    public var sampleCount: Int { matchedSamples.count + unmatchedNames.count }

    /// The summary, one screen.
    public func lines() -> [String] {
        var lines: [String] = []
        let head = dryRun ? "Dry run: nothing was written. Importing \(fileName) would store:"
            : "Imported \(fileName) as batch \(batchID.map(String.init) ?? "?")"
                + (replacedBatchID.map { " (replaces batch \($0), whose values are now retired)" } ?? "") + "."
        lines.append(head)
        lines.append("  format:      \(profile.map { "import profile \($0) (generic reader)" } ?? format.displayName)" + (instrument.map { ", instrument \($0)" } ?? "")
                     + (formatReason.isEmpty ? "" : " (\(formatReason))"))
        if let sheetName { lines.append("  sheet:       \(sheetName)") }
        lines.append("  rows:        \(dataRows) data rows" + (skippedRows > 0 ? ", \(skippedRows) repeated header/pseudo-rows skipped" : ""))
        lines.append("  samples:     \(sampleCount) (\(matchedSamples.count) registered, \(unmatchedNames.count) unmatched), \(sampleValues) values")
        let qcText = qcRows.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        lines.append("  QC rows:     \(qcRowCount)" + (qcText.isEmpty ? "" : " (\(qcText))") + ", \(qcValues) values")
        lines.append("  analytes:    \(analytes.count) lines of \(elements.count) elements" + (elements.isEmpty ? "" : ": " + elements.prefix(20).joined(separator: " ") + (elements.count > 20 ? " …" : "")))
        let qualifierText = qualifiers.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        lines.append("  censored:    \(censoredCount)" + (qualifierText.isEmpty ? "" : " (qualifiers: \(qualifierText))")
                     + (negativeValues > 0 ? "; \(negativeValues) negative values kept as measured" : ""))
        if !matrices.isEmpty || !unitConversions.isEmpty {
            lines.append("  units:       " + (matrices.isEmpty ? "" : matrices.joined(separator: ", ") + "; ")
                         + (unitConversions.isEmpty ? "no conversion" : unitConversions.joined(separator: ", ")) + " (original values kept)")
        }
        if let dilution { lines.append("  dilution:    values and detection limits multiplied by \(Validate.format(dilution))") }
        if !skippedCells.isEmpty {
            let text = skippedCells.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  skipped:     \(skippedCells.values.reduce(0, +)) cells not imported (\(text))")
        }
        if !internalStandards.isEmpty {
            lines.append(internalStandardReadings > 0
                ? "  internal standards: \(internalStandards.joined(separator: ", ")) (\(internalStandardReadings) readings stored as QC data, not as results)"
                : "  internal standards (not stored): " + internalStandards.joined(separator: ", "))
        }
        if !unmatchedNames.isEmpty {
            let shown = unmatchedNames.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
            lines.append("  unmatched:   \(unmatchedNames.count) names, \(unmatchedValues) values: \(shown)" + (unmatchedNames.count > 12 ? " …" : ""))
        }
        for warning in warnings { lines.append("  warning: \(warning)") }
        return lines
    }
}
