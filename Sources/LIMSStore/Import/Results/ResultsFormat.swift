import Foundation

/// The instrument export formats `lims import results` reads, and their detection from the first rows.
public enum ResultsFormat: String, Sendable, CaseIterable {
    case masshunter
    case qtegra
    case icpExpert = "icp-expert"
    case perkinElmer = "perkinelmer"
    case perkinElmerWide = "perkinelmer-wide"
    case long

    public var displayName: String {
        switch self {
        case .masshunter: return "Agilent MassHunter batch table"
        case .qtegra: return "Thermo Qtegra export"
        case .icpExpert: return "Agilent/Varian ICP Expert export"
        case .perkinElmer: return "PerkinElmer WinLab32/Syngistix long export"
        case .perkinElmerWide: return "PerkinElmer WinLab32/Syngistix wide export"
        case .long: return "long results sheet"
        }
    }

    /// The format the first records look like, or nil.
    public static func detect(_ records: [CSVRecord]) -> ResultsFormat? {
        let rows = records.prefix(6).map { $0.fields.map(LongTableHeader.normalize) }
        guard let first = rows.first else { return nil }
        for row in rows.prefix(3) {
            if ["sample", "analyte", "value", "unit"].allSatisfy(row.contains) { return .long }
            if row.contains("solution label") && row.contains("element") { return .icpExpert }
        }
        if first.contains("sample id") || first.first == "sample name" {
            if first.contains("analyte name") || first.contains("analyte") { return .perkinElmer }
            if records[0].fields.contains(where: { AnalyteName.parse($0) != nil }) { return .perkinElmerWide }
        }
        if first.first == "sample", rows.count > 1,
           rows[1].contains("sample name") || rows[1].contains("data file") || rows[1].contains(where: { $0.hasPrefix("conc.") }) {
            return .masshunter
        }
        if first.count > 2, first[0].isEmpty, first[1].isEmpty {
            let headerRows = rows.prefix { $0.count > 2 && $0[0].isEmpty && $0[1].isEmpty }
            let hasLines = records.prefix(headerRows.count).contains { $0.fields.dropFirst(2).contains { AnalyteName.parse($0) != nil } }
            if hasLines { return .qtegra }
        }
        return nil
    }

    /// Opens a reader for a file: detects the delimiter (unless given) and the format (unless given).
    static func open(url: URL, displayName: String, format: ResultsFormat?, delimiter: Character?,
                     dateOrder: InstrumentDate.Order) throws -> (ResultsFormat, ResultsReadContext, ResultsReading) {
        let probe = try CSVReader(url: url, delimiter: delimiter, displayName: displayName)
        var head: [CSVRecord] = []
        while head.count < 6, let record = try probe.next() {
            if !record.isBlank { head.append(record) }
        }
        guard !head.isEmpty else {
            throw ImportDiagnostic(file: displayName, line: 1, column: 1,
                                   message: "the file is empty; expected an instrument export or a results sheet with a header row")
        }
        let chosen: ResultsFormat
        if let format {
            chosen = format
        } else if let detected = detect(head) {
            chosen = detected
        } else {
            let delimiterName = probe.delimiter == UInt8(ascii: "\t") ? "tab" : "'\(Character(Unicode.Scalar(probe.delimiter)))'"
            throw ImportDiagnostic(file: displayName, line: head[0].line, column: 1,
                message: "cannot tell which instrument wrote this file (read with delimiter \(delimiterName), first row \"\(head[0].fields.prefix(4).joined(separator: "|"))\"); "
                    + "expected one of: " + allCases.map(\.rawValue).joined(separator: ", ")
                    + " — give --format (and --delimiter if the delimiter is wrong)")
        }
        let csv = try CSVReader(url: url, delimiter: delimiter ?? Character(Unicode.Scalar(probe.delimiter)), displayName: displayName)
        let context = ResultsReadContext(csv: csv, dateOrder: dateOrder)
        let reader: ResultsReading
        switch chosen {
        case .masshunter: reader = try AgilentMassHunterReader(context: context)
        case .qtegra: reader = try ThermoQtegraReader(context: context)
        case .icpExpert: reader = try ICPExpertReader(context: context)
        case .perkinElmer: reader = try PerkinElmerReader(context: context, wide: false)
        case .perkinElmerWide: reader = try PerkinElmerReader(context: context, wide: true)
        case .long: reader = try LongResultsReader(context: context)
        }
        return (chosen, context, reader)
    }
}
