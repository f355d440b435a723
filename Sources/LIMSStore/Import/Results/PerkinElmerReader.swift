/// PerkinElmer WinLab32 / Syngistix exports, in both layouts:
/// - long: `Sample ID,Analyte Name,Date,Time,Reported Conc (Calib),Units (Samp)` — one row per
///   sample × line (`Au 242.80`), dates like `28-05-21` with 12 h times, re-measurements as repeated IDs;
/// - wide: `Sample ID,"La 139\n(mg/L)",…` — one row per sample, the unit inside each header
///   (with an embedded line break), header rows repeated mid-file and pseudo-rows (`Mean`, `SD`, `%RSD`).
final class PerkinElmerReader: ResultsReading {
    private let context: ResultsReadContext
    private let header: LongTableHeader
    private let wide: Bool
    private let label: Int
    private let type: Int?, date: Int?, time: Int?
    // Long layout.
    private var analyteColumn = 0, valueColumn = 0, unitColumn: Int?
    private var runs = LongRunTracker()
    private var analyteCache = AnalyteNameCache()
    // Wide layout.
    private var valueColumns: [(index: Int, analyte: AnalyteName, unit: String?)] = []
    private var pending: [ResultCell] = []
    private var pendingIndex = 0

    static let pseudoRows: Set<String> = ["mean", "sd", "std dev", "std.dev.", "%rsd", "rsd", "average", "avg", "replicate", "summary"]

    init(context: ResultsReadContext, wide: Bool) throws {
        self.context = context
        self.wide = wide
        guard let first = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: 1, column: 1, message: "the file is empty; expected a PerkinElmer export")
        }
        header = LongTableHeader(first)
        guard let label = header.index("sample id", "sample name", "sample", "sample label") else {
            throw ImportDiagnostic(file: context.fileName, line: first.line, column: 1,
                                   message: "the column \"Sample ID\" is missing; expected a PerkinElmer export starting with Sample ID")
        }
        self.label = label
        type = header.index("sample type", "type")
        date = header.index("date", "date acquired")
        time = header.index("time", "time acquired")
        if wide {
            var problems: [ImportDiagnostic] = []
            for (i, name) in header.names.enumerated() where i != label && i != type && i != date && i != time {
                if name.isEmpty { continue }
                guard let analyte = AnalyteName.parse(first[i]) else {
                    problems.append(ImportDiagnostic(file: context.fileName, line: first.line, column: i + 1,
                        message: "unknown column \"\(first[i].replacingOccurrences(of: "\n", with: "\\n"))\"; expected an analyte such as \"La 139\\n(mg/L)\", or Sample ID, Sample Type, Date, Time"))
                    continue
                }
                if analyte.isInternalStandard { context.addInternalStandard(analyte.key); continue }
                valueColumns.append((i, analyte, analyte.unit))
            }
            if !problems.isEmpty { throw ImportDiagnostics(problems) }
        } else {
            var missing: [String] = []
            let analyte = header.index("analyte name", "analyte", "element")
            let value = header.index("reported conc (samp)", "reported conc (calib)", "conc (samp)", "conc (calib)",
                                     "reported conc", "conc", "concentration")
                ?? header.first { $0.contains("conc") && !$0.contains("sd") }
            if analyte == nil { missing.append("Analyte Name") }
            if value == nil { missing.append("Reported Conc (Calib)") }
            guard let analyte, let value else {
                throw ImportDiagnostic(file: context.fileName, line: first.line, column: nil,
                                       message: "PerkinElmer export without the column(s) " + missing.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            analyteColumn = analyte
            valueColumn = value
            unitColumn = header.first { $0.hasPrefix("unit") }
        }
    }

    private func isPseudoRow(_ record: CSVRecord) -> Bool {
        Self.pseudoRows.contains(LongTableHeader.normalize(record[label]))
    }

    func next() throws -> ResultCell? {
        while true {
            if wide, pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            guard let record = try context.nextRecord() else { return nil }
            if header.isRepeat(of: record) || isPseudoRow(record) { context.skippedRows += 1; continue }
            context.dataRows += 1
            guard context.checkWidth(record, expected: header.width, allowed: header.record.fields.count) else { continue }
            let labelText = record[label].trimmedASCII
            let measuredAt = date.flatMap { context.date(record[$0], time: time.map { record[$0] }, line: record.line, column: $0 + 1) }
            let sampleType = type.map { record[$0] }
            if wide {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                for column in valueColumns {
                    let name = header.record[column.index].replacingOccurrences(of: "\n", with: " ")
                    guard let value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                    header: name) else { continue }
                    pending.append(ResultCell(run: record.line, label: labelText, sampleType: sampleType, analyte: column.analyte,
                                              value: value, unit: column.unit, method: nil, measuredAt: measuredAt,
                                              line: record.line, column: column.index + 1, labelColumn: label + 1))
                }
                continue
            }
            let analyteText = record[analyteColumn].trimmedASCII
            guard let analyte = analyteCache.parse(analyteText) else {
                context.error(line: record.line, column: analyteColumn + 1,
                              "Analyte Name: \"\(analyteText)\" is not an analyte; expected e.g. \"Au 242.80\" or \"La 139\"")
                continue
            }
            if analyte.isInternalStandard { context.addInternalStandard(analyte.key); context.skip("internal standard"); continue }
            guard let value = context.value(record[valueColumn], line: record.line, column: valueColumn + 1,
                                            header: header.record[valueColumn]) else { continue }
            return ResultCell(run: runs.run(label: labelText, analyte: analyte), label: labelText, sampleType: sampleType,
                              analyte: analyte, value: value,
                              unit: unitColumn.map { record[$0].trimmedASCII } ?? analyte.unit,
                              method: nil, measuredAt: measuredAt, line: record.line, column: valueColumn + 1,
                              labelColumn: label + 1, unitColumn: unitColumn.map { $0 + 1 })
        }
    }
}
