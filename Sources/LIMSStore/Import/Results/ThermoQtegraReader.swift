/// Thermo Qtegra (iCAP ICP-OES / ICP-MS) export: header rows whose first two cells are empty —
/// the quantity (`Raw.Average`, `ExtCal.Average`, `ExtCal.STD` …), a row of 0s, the line
/// (`Be 234.861 {144} (Radial)`) and the unit (`Y (ppm)`); then one row per measurement with the
/// order number and the label in the two unnamed columns. Only calibrated averages in a
/// concentration unit are imported; raw intensities, SD/RSD and standard concentrations are skipped.
final class ThermoQtegraReader: ResultsReading {
    private let context: ResultsReadContext
    private var headers: [CSVRecord] = []
    private var width = 0
    private var fullWidth = 0
    private var valueColumns: [(index: Int, analyte: AnalyteName, unit: String, header: String, role: ResultCell.Role)] = []
    private var skippedPerRow: [String: Int] = [:]
    private var pending: [ResultCell] = []
    private var pendingIndex = 0
    private var firstData: CSVRecord?

    init(context: ResultsReadContext) throws {
        self.context = context
        while let record = try context.nextRecord() {
            if record[0].trimmingCharacters(in: .whitespaces).isEmpty && record[1].trimmingCharacters(in: .whitespaces).isEmpty {
                headers.append(record)
            } else {
                firstData = record
                break
            }
        }
        guard !headers.isEmpty else {
            throw ImportDiagnostic(file: context.fileName, line: firstData?.line ?? 1, column: 1,
                                   message: "no Qtegra header rows; expected rows starting with two empty cells (quantity, line, unit)")
        }
        width = headers.map(\.fields.count).max() ?? 0
        fullWidth = width
        while width > 2, headers.allSatisfy({ $0[width - 1].trimmingCharacters(in: .whitespaces).isEmpty }) { width -= 1 }
        try layout()
    }

    private func layout() throws {
        // Which header row holds what: the line row parses as analytes, the unit row as `Y (unit)`.
        func share(_ record: CSVRecord, _ test: (String) -> Bool) -> Int {
            (2..<width).filter { test(record[$0].trimmingCharacters(in: .whitespaces)) }.count
        }
        guard let lineRow = headers.max(by: { share($0, { AnalyteName.parse($0) != nil }) < share($1, { AnalyteName.parse($0) != nil }) }),
              share(lineRow, { AnalyteName.parse($0) != nil }) > 0 else {
            throw ImportDiagnostic(file: context.fileName, line: headers[0].line, column: 3,
                                   message: "no header row names emission lines or isotopes (e.g. \"Be 234.861 {144} (Radial)\")")
        }
        let unitRow = headers.first { $0.line != lineRow.line && share($0, { $0.hasPrefix("Y (") || UnitConversion.isKnownUnit($0) }) > 0 }
        let quantityRow = headers.first { $0.line != lineRow.line && $0.line != unitRow?.line && share($0, { $0.contains(".") || $0.lowercased().contains("average") }) > 0 }
        var problems: [ImportDiagnostic] = []
        for i in 2..<width {
            let label = lineRow[i].trimmingCharacters(in: .whitespacesAndNewlines)
            let quantity = quantityRow.map { $0[i].trimmingCharacters(in: .whitespaces) } ?? "Average"
            let unitText = unitRow.map { $0[i].trimmingCharacters(in: .whitespaces) } ?? ""
            if label.isEmpty { continue }
            guard let analyte = AnalyteName.parse(label) else {
                problems.append(ImportDiagnostic(file: context.fileName, line: lineRow.line, column: i + 1,
                    message: "\"\(label)\" is not an analyte line; expected e.g. \"Be 234.861 {144} (Radial)\""))
                continue
            }
            let isAverage = quantity.lowercased().hasSuffix("average") || quantity.lowercased() == "conc"
            let concentration = UnitConversion.isKnownUnit(unitText) && !unitText.contains("%")
            // `Sc 361.384 … Y (%)`: an internal standard's recovery, QC data of the run — in an
            // ICP solution export a percentage is never a concentration.
            let recovery = UnitConversion.normalize(unitText) == "%"
            if (analyte.isInternalStandard || context.isInternalStandard(analyte) || recovery) && isAverage && recovery {
                context.addInternalStandard(analyte.key)
                valueColumns.append((i, analyte, unitText, "\(quantity) \(label)", .internalStandard(quantity: "recovery")))
            } else if analyte.isInternalStandard || context.isInternalStandard(analyte) {
                context.addInternalStandard(analyte.key)
                skippedPerRow["internal standard (\(quantity))", default: 0] += 1
            } else if isAverage && concentration && !quantity.lowercased().hasPrefix("raw") {
                valueColumns.append((i, analyte, unitText, "\(quantity) \(label)", .concentration))
            } else if isAverage && !concentration && !UnitConversion.isNonConcentration(unitText) && !unitText.isEmpty {
                problems.append(ImportDiagnostic(file: context.fileName, line: unitRow?.line ?? lineRow.line, column: i + 1,
                    message: "\(label): unknown unit \"\(unitText)\"; expected one of \(UnitConversion.acceptedList(excluding: unitText))"))
            } else {
                skippedPerRow[quantity.isEmpty ? "unnamed" : quantity, default: 0] += 1
            }
        }
        if !valueColumns.contains(where: { $0.role == .concentration }) && problems.isEmpty {
            let intensities = skippedPerRow.keys.filter { $0.lowercased().hasPrefix("raw") }.sorted()
            problems.append(ImportDiagnostic(file: context.fileName, line: headers[0].line, column: nil,
                message: intensities.isEmpty
                    ? "no concentration columns (e.g. ExtCal.Average in ppm or ppb); export the calibrated results"
                    : "this file holds intensities (\(intensities.joined(separator: ", "))) but no concentrations (ExtCal.Average in ppm or ppb); export the calibrated results from Qtegra"))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
    }

    func next() throws -> ResultCell? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            let next: CSVRecord?
            if let firstData { next = firstData; self.firstData = nil } else { next = try context.nextRecord() }
            guard let record = next else { return nil }
            if headers.contains(where: { $0.fields == record.fields }) { context.skippedRows += 1; continue }
            context.dataRows += 1
            guard context.checkWidth(record, expected: width, allowed: fullWidth) else { continue }
            for (name, count) in skippedPerRow { context.skip(name, cells: count) }
            let label = record[1].trimmingCharacters(in: .whitespaces)
            for column in valueColumns {
                guard let value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                header: column.header) else { continue }
                pending.append(ResultCell(run: record.line, label: label, sampleType: nil, analyte: column.analyte,
                                          value: value, unit: column.unit, method: nil, measuredAt: nil,
                                          line: record.line, column: column.index + 1, labelColumn: 2, role: column.role))
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
