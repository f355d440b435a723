/// PerkinElmer WinLab32 / Syngistix exports, in both layouts:
/// - long: `Sample ID,Analyte Name,Date,Time,Reported Conc (Calib),Units (Samp)` — one row per
///   sample × line (`Au 242.80`), dates like `28-05-21` with 12 h times, re-measurements as repeated IDs;
///   rows may be ragged (replicate blocks of different lengths) and the unit column may be missing
///   (then `--unit`);
/// - wide: `Sample ID,"La 139\n(mg/L)",…` — one row per sample, the unit inside each header
///   (with an embedded line break); Syngistix adds metadata columns (R, Acquisition Time, QC Status,
///   Dataset File, Method File), starts a new header block mid-sheet when the method's analytes
///   change, and writes pseudo-rows (`Calibration Curves`, `Mean`, `SD`, `%RSD`).
final class PerkinElmerReader: ResultsReading {
    private let context: ResultsReadContext
    private var header: LongTableHeader
    private let wide: Bool
    private var label: Int
    private var type: Int?, date: Int?, time: Int?
    // Long layout.
    private var analyteColumn = 0, valueColumns: [Int] = [], unitColumn: Int?
    private var lastUsedColumn = 0
    private var runs = LongRunTracker()
    private var analyteCache = AnalyteNameCache()
    private var fallbackValues = 0
    // Wide layout.
    private var wideColumns: [(index: Int, analyte: AnalyteName, unit: String?, role: ResultCell.Role)] = []
    private var skippedPerRow: [String: Int] = [:]
    private var pending: [ResultCell] = []
    private var pendingIndex = 0
    private var block = 1

    static let pseudoRows: Set<String> = ["mean", "sd", "std dev", "std.dev.", "%rsd", "rsd", "average", "avg", "replicate", "summary",
                                          "calibration curves", "calibration curve", "calibration", "sample id", "sample name"]

    init(context: ResultsReadContext, wide: Bool) throws {
        self.context = context
        self.wide = wide
        guard let first = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: 1, column: 1, message: "the file is empty; expected a PerkinElmer export")
        }
        header = LongTableHeader(first)
        label = 0
        try layout(first)
    }

    private func layout(_ first: CSVRecord) throws {
        header = LongTableHeader(first)
        guard let label = header.index("sample id", "sample name", "sample", "sample label") else {
            throw ImportDiagnostic(file: context.fileName, line: first.line, column: 1,
                                   message: "the column \"Sample ID\" is missing; expected a PerkinElmer export starting with Sample ID")
        }
        self.label = label
        type = header.index("sample type", "type")
        date = header.index("date", "date acquired", "acquisition time", "acquisition date", "date/time")
        time = header.index("time", "time acquired")
        if wide { try layoutWide(first) } else { try layoutLong(first) }
    }

    private func layoutWide(_ first: CSVRecord) throws {
        var problems: [ImportDiagnostic] = []
        var metadata: [String] = []
        wideColumns = []
        skippedPerRow = [:]
        for (i, name) in header.names.enumerated() where i != label && i != type && i != date && i != time {
            if name.isEmpty { continue }
            guard let analyte = AnalyteName.parse(first[i]) else {
                let shown = first[i].replacingOccurrences(of: "\n", with: "\\n")
                if let unit = AnalyteName.unitInParentheses(first[i]), UnitConversion.isKnownUnit(unit) || UnitConversion.isNonConcentration(unit) {
                    // `Lx 139 (mg/L)`: a measurement column whose analyte cannot be read — never ignored silently.
                    problems.append(ImportDiagnostic(file: context.fileName, line: first.line, column: i + 1,
                        message: "unknown analyte column \"\(shown)\"; expected an analyte such as \"La 139\\n(mg/L)\""))
                } else {
                    metadata.append(first[i].trimmedASCII)
                }
                continue
            }
            if context.isInternalStandard(analyte) {
                context.addInternalStandard(analyte.key)
                wideColumns.append((i, analyte, analyte.unit, .internalStandard(quantity: "concentration")))
                continue
            }
            if let unit = analyte.unit, UnitConversion.isNonConcentration(unit) {
                skippedPerRow[unit, default: 0] += 1
                continue
            }
            wideColumns.append((i, analyte, analyte.unit, .concentration))
        }
        // No analyte header names a unit and --unit was not given: an RSD table, or an export without
        // units. Said at the header (a workbook's sheet choice passes over such sheets).
        let concentrations = wideColumns.filter { $0.role == .concentration }
        if problems.isEmpty, context.defaultUnit == nil, !concentrations.isEmpty, concentrations.allSatisfy({ $0.unit == nil }) {
            problems = concentrations.map { column in
                ImportDiagnostic(file: context.fileName, line: first.line, column: column.index + 1,
                                 message: "\(column.analyte.displayLabel): no unit; expected a unit in the header (e.g. \"La 139 (mg/L)\"), or give --unit (an RSD table has none)")
            }
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        if !metadata.isEmpty {
            context.warn("metadata columns not imported: " + metadata.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if !wideColumns.contains(where: { $0.role == .concentration }) {
            let intensities = skippedPerRow.keys.sorted()
            throw ImportDiagnostic(file: context.fileName, line: first.line, column: nil,
                message: intensities.isEmpty
                    ? "no analyte columns with concentrations; expected headers such as \"La 139\\n(mg/L)\""
                    : "this table holds intensities (\(intensities.joined(separator: ", "))) but no concentrations; "
                      + "export or choose the concentration table (for a Syngistix workbook: --sheet Concentrations)")
        }
    }

    private func layoutLong(_ first: CSVRecord) throws {
        var missing: [String] = []
        let analyte = header.index("analyte name", "analyte", "element")
        // The sample's concentration when WinLab32 has one (after weights/volumes), else the solution's:
        // WinLab32 leaves `(Samp)` empty for standards and blanks, whose `(Calib)` value is the same solution.
        let samp = header.index("reported conc (samp)"), calib = header.index("reported conc (calib)")
        let single = samp ?? calib ?? header.index("conc (samp)") ?? header.index("conc (calib)") ?? header.index("reported conc")
            ?? header.index("conc") ?? header.index("concentration") ?? header.first { $0.contains("conc") && !$0.contains("sd") }
        if analyte == nil { missing.append("Analyte Name") }
        if single == nil { missing.append("Reported Conc (Calib)") }
        guard let analyte, let single else {
            let intensities = header.names.contains { $0.hasPrefix("int") }
            throw ImportDiagnostic(file: context.fileName, line: first.line, column: nil,
                                   message: "PerkinElmer export without the column(s) " + missing.map { "\"\($0)\"" }.joined(separator: ", ")
                                       + (intensities && analyte != nil ? " — it holds intensities but no concentrations; export the calibrated results" : ""))
        }
        analyteColumn = analyte
        if let samp, let calib { valueColumns = [samp, calib] } else { valueColumns = [single] }
        unitColumn = header.first { $0.hasPrefix("unit") }
        lastUsedColumn = ([label, analyteColumn] + valueColumns + [unitColumn, type, date, time].compactMap { $0 }).max() ?? 0
    }

    private func isPseudoRow(_ record: CSVRecord) -> Bool {
        Self.pseudoRows.contains(LongTableHeader.normalize(record[label]))
    }

    /// A header row again: the same header (skipped) or, in a wide table, a new block whose analytes differ.
    private func isHeaderAgain(_ record: CSVRecord) -> Bool {
        LongTableHeader.normalize(record[label]) == header.names[label] && record.fields.count > label
    }

    func next() throws -> ResultCell? {
        while true {
            if wide, pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            guard let record = try context.nextRecord() else {
                if fallbackValues > 0 {
                    context.warn("\(fallbackValues) values read from \"\(header.record[valueColumns.last!].trimmedASCII)\" where \"\(header.record[valueColumns[0]].trimmedASCII)\" was empty (standards and blanks)")
                    fallbackValues = 0
                }
                return nil
            }
            if header.isRepeat(of: record) { context.skippedRows += 1; continue }
            if wide, isHeaderAgain(record) {
                // Syngistix starts a new block with other analytes (a second method in the same run).
                try layout(record)
                block += 1
                context.skippedRows += 1
                context.warn("the table has \(block) header blocks (a new header row mid-sheet with other analytes); each block read with its own columns")
                continue
            }
            if isPseudoRow(record) { context.skippedRows += 1; continue }
            context.dataRows += 1
            let expected = wide ? header.width : lastUsedColumn + 1
            guard context.checkWidth(record, expected: expected, allowed: max(header.record.fields.count, record.fields.count)) else { continue }
            for (name, count) in skippedPerRow { context.skip(name, cells: count) }
            let labelText = record[label].trimmedASCII
            let measuredAt = try date.flatMap { try context.date(record[$0], time: time.map { record[$0] }, line: record.line, column: $0 + 1) }
            let sampleType = type.map { record[$0] }
            if wide {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                for column in wideColumns {
                    let name = header.record[column.index].replacingOccurrences(of: "\n", with: " ")
                    guard let value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                    header: name) else { continue }
                    pending.append(ResultCell(run: record.line, label: labelText, sampleType: sampleType, analyte: column.analyte,
                                              value: value, unit: column.unit, method: nil, measuredAt: measuredAt,
                                              line: record.line, column: column.index + 1, labelColumn: label + 1, role: column.role))
                }
                continue
            }
            let analyteText = record[analyteColumn].trimmedASCII
            guard let analyte = analyteCache.parse(analyteText) else {
                context.error(line: record.line, column: analyteColumn + 1,
                              "Analyte Name: \"\(analyteText)\" is not an analyte; expected e.g. \"Au 242.80\" or \"La 139\"")
                continue
            }
            var valueColumn = valueColumns[0]
            if record[valueColumn].trimmedASCII.isEmpty, let fallback = valueColumns.dropFirst().first(where: { !record[$0].trimmedASCII.isEmpty }) {
                valueColumn = fallback
                fallbackValues += 1
            }
            let role: ResultCell.Role = context.isInternalStandard(analyte) ? .internalStandard(quantity: "concentration") : .concentration
            if role != .concentration { context.addInternalStandard(analyte.key) }
            guard let value = context.value(record[valueColumn], line: record.line, column: valueColumn + 1,
                                            header: header.record[valueColumn]) else { continue }
            return ResultCell(run: runs.run(label: labelText, analyte: analyte), label: labelText, sampleType: sampleType,
                              analyte: analyte, value: value,
                              unit: unitColumn.map { record[$0].trimmedASCII } ?? analyte.unit,
                              method: nil, measuredAt: measuredAt, line: record.line, column: valueColumn + 1,
                              labelColumn: label + 1, unitColumn: unitColumn.map { $0 + 1 }, role: role)
        }
    }
}
