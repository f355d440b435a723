/// Agilent MassHunter (ICP-MS) batch table: row 1 names each analyte once over its column group
/// (`139  La  [ No Gas ] `, internal standards `115  In ( ISTD )  [ No Gas ] `), row 2 names the
/// measures (`CPS`, `CPS RSD`, `Conc. [ ppb ]`, `Conc. RSD`); the first group (`Sample`) holds
/// `Rjct`, `Data File`, `Acq. Date-Time`, `Type`, `Level`, `Sample Name`. Only concentrations are
/// imported: CPS and RSDs are not measurements of the sample (counted as skipped), and internal
/// standard groups (CPS/recovery only) are skipped and named in the summary.
final class AgilentMassHunterReader: ResultsReading {
    private let context: ResultsReadContext
    private var groupHeader: CSVRecord
    private var measureHeader: CSVRecord
    private var width: Int
    private var fullWidth: Int
    private var labelColumn: Int?
    private var typeColumn: Int?
    private var dateColumn: Int?
    private var dataFileColumn: Int?
    private var rejectColumn: Int?
    /// Concentration columns: index, analyte, unit, header text.
    private var valueColumns: [(index: Int, analyte: AnalyteName, unit: String, header: String)] = []
    private var skippedPerRow: [String: Int] = [:]
    private var pending: [ResultCell] = []
    private var pendingIndex = 0

    init(context: ResultsReadContext) throws {
        self.context = context
        guard var first = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: 1, column: 1, message: "the file is empty; expected a MassHunter batch table")
        }
        guard var second = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: first.line + 1, column: 1,
                                   message: "the second header row (CPS, Conc. [ ppb ] …) is missing (truncated file?)")
        }
        // Title or batch-information rows above the two header rows (as some exports and re-saved
        // workbooks have): the header pair is the measures row (Sample Name, Conc. […]) and the row above it.
        var skippedTitles = 0
        while !Self.isMeasureRow(second), skippedTitles < 6, let next = try context.nextRecord() {
            first = second
            second = next
            skippedTitles += 1
        }
        if skippedTitles > 0 { context.warn("\(skippedTitles) row(s) above the MassHunter header rows skipped (titles or batch information)") }
        groupHeader = first
        measureHeader = second
        width = max(first.fields.count, second.fields.count)
        fullWidth = width
        while width > 0, first[width - 1].trimmingCharacters(in: .whitespaces).isEmpty,
              second[width - 1].trimmingCharacters(in: .whitespaces).isEmpty { width -= 1 }
        try layout()
    }

    private func layout() throws {
        var group = ""
        var firstAnalyte: Int?
        var problems: [ImportDiagnostic] = []
        var istd: AnalyteName?
        var analyte: AnalyteName?
        for i in 0..<width {
            let top = groupHeader[i].trimmingCharacters(in: .whitespacesAndNewlines)
            let name = measureHeader[i].trimmingCharacters(in: .whitespacesAndNewlines)
            if !top.isEmpty {
                group = top
                analyte = nil; istd = nil
                if top.lowercased() != "sample" {
                    if firstAnalyte == nil { firstAnalyte = i }
                    guard let parsed = AnalyteName.parse(top) else {
                        problems.append(ImportDiagnostic(file: context.fileName, line: groupHeader.line, column: i + 1,
                            message: "\"\(top)\" is not an analyte; expected a mass and element such as \"139  La  [ No Gas ]\""))
                        continue
                    }
                    if parsed.isInternalStandard { istd = parsed; context.addInternalStandard(parsed.key) } else { analyte = parsed }
                }
            }
            if firstAnalyte == nil {
                switch name.lowercased() {
                case "sample name", "sample", "sample id": labelColumn = i
                case "type", "sample type": typeColumn = i
                case "acq. date-time", "acq. date", "date": dateColumn = i
                case "data file": dataFileColumn = i
                case "rjct", "reject": rejectColumn = i
                default: break
                }
                continue
            }
            if istd != nil { skippedPerRow["internal standard (\(name))", default: 0] += 1; continue }
            guard let analyte else { continue }
            let lower = name.lowercased()
            if lower.hasPrefix("conc") && !lower.contains("rsd") && !lower.contains("sd") {
                guard let unit = unitInBrackets(name) else {
                    problems.append(ImportDiagnostic(file: context.fileName, line: measureHeader.line, column: i + 1,
                        message: "\(group): the concentration column \"\(name)\" names no unit; expected e.g. \"Conc. [ ppb ]\""))
                    continue
                }
                if !UnitConversion.isKnownUnit(unit) {
                    problems.append(ImportDiagnostic(file: context.fileName, line: measureHeader.line, column: i + 1,
                        message: "\(group): unknown unit \"\(unit)\"; expected one of \(UnitConversion.acceptedList(excluding: unit))"))
                    continue
                }
                valueColumns.append((i, analyte, unit, "\(group) \(name)"))
            } else {
                skippedPerRow[name.isEmpty ? "unnamed" : name, default: 0] += 1
            }
        }
        if labelColumn == nil {
            problems.append(ImportDiagnostic(file: context.fileName, line: measureHeader.line, column: nil,
                message: "the column \"Sample Name\" is missing from the second header row; expected the MassHunter Sample group (Data File, Type, Sample Name …)"))
        }
        if valueColumns.isEmpty && problems.isEmpty {
            let intensities = skippedPerRow.keys.filter { $0.uppercased().hasPrefix("CPS") }
            problems.append(ImportDiagnostic(file: context.fileName, line: measureHeader.line, column: nil,
                message: intensities.isEmpty
                    ? "no concentration columns (\"Conc. [ ppb ]\"); export the batch table with concentrations"
                    : "this batch table holds intensities (CPS) but no concentrations (\"Conc. [ ppb ]\"); export the batch table with concentrations"))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
    }

    static func isMeasureRow(_ record: CSVRecord) -> Bool {
        let names = record.fields.map(LongTableHeader.normalize)
        return (names.contains("sample name") || names.contains("data file")) && names.contains { $0.hasPrefix("conc.") || $0 == "cps" }
    }

    private func unitInBrackets(_ text: String) -> String? {
        guard let open = text.firstIndex(where: { $0 == "[" || $0 == "(" }),
              let close = text[open...].firstIndex(where: { $0 == "]" || $0 == ")" }) else { return nil }
        let unit = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        return unit.isEmpty ? nil : unit
    }

    func next() throws -> ResultCell? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let record = try context.nextRecord() else { return nil }
            // Header rows repeated mid-file (exports concatenated from several batches).
            if record.fields == groupHeader.fields || record.fields == measureHeader.fields {
                context.skippedRows += 1
                continue
            }
            context.dataRows += 1
            guard context.checkWidth(record, expected: width, allowed: fullWidth) else { continue }
            for (name, count) in skippedPerRow { context.skip(name, cells: count) }
            var label = record[labelColumn!].trimmedASCII
            var type = typeColumn.map { record[$0] }
            let dataFile = dataFileColumn.map { record[$0].trimmedASCII } ?? ""
            if let rejectColumn, ["vrai", "true", "1", "yes", "x"].contains(record[rejectColumn].trimmedASCII.lowercased()) {
                // The instrument rejected this acquisition: kept as a "do not use" QC row, never as a result.
                type = "DNU"
                label += " - DNU"
            }
            if label.isEmpty || label == "0" {
                // Unnamed acquisitions (rinses, rows before calibration) are kept apart as QC "other".
                if (type ?? "").lowercased() == "sample" || type == nil { type = "unnamed" }
                label = (label.isEmpty ? "(unnamed)" : label) + (dataFile.isEmpty ? "" : " [\(dataFile)]")
            }
            let measuredAt = try dateColumn.flatMap { column in
                try context.date(record[column], line: record.line, column: column + 1)
            }
            for column in valueColumns {
                guard let value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                header: column.header) else { continue }
                pending.append(ResultCell(run: record.line, label: label, sampleType: type, analyte: column.analyte,
                                          value: value, unit: column.unit, method: "ICP-MS", measuredAt: measuredAt,
                                          line: record.line, column: column.index + 1, labelColumn: labelColumn! + 1))
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
