import Foundation

/// Reads any vendor layout described by a saved import profile (`lims import results FILE
/// --profile NAME`): the profile says which row holds the column names (and units), where data
/// starts, and which columns are the sample, its type, the analytes, DLs, dilution and date.
/// Yields `ResultCell`s exactly as the vendor readers do (values through `ResultsReadContext.value`,
/// so `<DL`, `n.d.` … are qualifiers; locations are `file:line:col`).
final class GenericProfileReader: ResultsReading {
    private let context: ResultsReadContext
    private let profile: ImportProfile
    private let header: LongTableHeader
    private let sample: Int
    private let type: Int?, date: Int?, time: Int?, dilution: Int?, reject: Int?
    // Wide layout: one analyte per column, with its unit and DL column.
    private var valueColumns: [(index: Int, analyte: AnalyteName, unit: String?, dl: Int?)] = []
    // Long layout.
    private var analyteColumn = 0, valueColumn = 0, unitColumn: Int?, dlColumn: Int?
    private var runs = LongRunTracker()
    private var analyteCache: [String: AnalyteName?] = [:]
    private var pending: [ResultCell] = []
    private var pendingIndex = 0
    private let skipLabels: Set<String>
    /// The record after the header rows read while looking for them, if any.
    private var firstData: CSVRecord?

    /// Opens the file with the profile's delimiter and decimal mark (the format reported is the profile's).
    static func open(url: URL, displayName: String, profile: ImportProfile, delimiter: Character?,
                     dateOrder: InstrumentDate.Order, sheet: String? = nil) throws -> (ResultsReadContext, ResultsReading) {
        // A text file, or a sheet of a workbook (the profile's rows are the sheet's rows).
        let csv = try InputDocument.open(url: url, displayName: displayName, delimiter: delimiter ?? profile.delimiter, sheet: sheet)
        let context = ResultsReadContext(csv: csv, dateOrder: profile.dateOrder ?? dateOrder)
        context.decimalCommaSetting = profile.decimalComma
        return (context, try GenericProfileReader(context: context, profile: profile))
    }

    init(context: ResultsReadContext, profile: ImportProfile) throws {
        self.context = context
        self.profile = profile
        skipLabels = Set(profile.skipLabels.map { LongTableHeader.normalize($0) })
        // Rows are counted as a spreadsheet counts them: every record, blank ones too.
        var row = 0
        var headerRecords: [CSVRecord] = [], unitRecord: CSVRecord?
        while let record = try context.csv.next() {
            row += 1
            if (profile.headerRow...profile.headerLastRow).contains(row) { headerRecords.append(record) }
            if row == profile.unitRow { unitRecord = record }
            if row >= profile.dataStarts {
                firstData = record
                break
            }
        }
        let fileName = context.fileName
        let profileName = "profile \(profile.name)"
        guard let headerRecord = Self.joinedHeader(headerRecords), headerRecords.count == profile.headerLastRow - profile.headerRow + 1,
              !headerRecord.isBlank else {
            throw ImportDiagnostic(file: fileName, line: headerRecords.first?.line ?? max(row, 1), column: 1,
                message: "\(profileName): header_row \(profile.headerRowsText) is " + (headerRecords.count < profile.headerLastRow - profile.headerRow + 1 ? "past the end of the file (\(row) rows)" : "blank")
                    + "; expected the row of column names (check header_row, or the delimiter)")
        }
        let header = LongTableHeader(headerRecord)
        self.header = header
        var problems: [ImportDiagnostic] = []
        let available = headerRecord.fields.prefix(12).map { "\"\($0.replacingOccurrences(of: "\n", with: " "))\"" }.joined(separator: ", ")
            + (headerRecord.fields.count > 12 ? " …" : "")
        func resolve(_ reference: ColumnReference?, _ key: String) -> Int? {
            guard let reference else { return nil }
            if let index = reference.index(in: header.names), index < header.names.count { return index }
            problems.append(ImportDiagnostic(file: fileName, line: headerRecord.line, column: nil,
                message: "\(profileName): \(key) \(reference) is not in the header row (row \(profile.headerRowsText)); the header has \(available)"))
            return nil
        }
        sample = resolve(profile.sampleColumn, "sample_column") ?? 0
        type = resolve(profile.typeColumn, "type_column")
        date = resolve(profile.dateColumn, "date_column")
        time = resolve(profile.timeColumn, "time_column")
        dilution = resolve(profile.dilutionColumn, "dilution_column")
        reject = resolve(profile.rejectColumn, "reject_column")
        let ignored = Set(profile.ignoreColumns.compactMap { resolve($0, "ignore_columns") })
        var used = Set([sample, type, date, time, dilution, reject].compactMap { $0 }).union(ignored)

        switch profile.layout {
        case .long:
            analyteColumn = resolve(profile.analyteColumn, "analyte_column") ?? 0
            valueColumn = resolve(profile.valueColumn, "value_column") ?? 0
            unitColumn = resolve(profile.unitColumn, "unit_column")
            dlColumn = resolve(profile.dlColumn, "dl_column")
            used.formUnion([analyteColumn, valueColumn, unitColumn, dlColumn].compactMap { $0 })
        case .wide:
            // DL columns first, so a header read by both patterns is a DL column.
            var dlByLine: [String: Int] = [:]
            if let dlPattern = profile.dlPattern {
                for (i, name) in headerRecord.fields.enumerated() where !used.contains(i) {
                    guard let captures = dlPattern.match(name), let analyte = Self.analyte(captures, header: name) else { continue }
                    dlByLine[Self.lineKey(analyte)] = i
                    used.insert(i)
                }
            }
            var chosen: [Int] = []
            for reference in profile.analyteColumns {
                if let index = resolve(reference, "analyte_columns") { chosen.append(index) }
            }
            if let pattern = profile.analytePattern {
                for (i, name) in headerRecord.fields.enumerated() where !used.contains(i) && !chosen.contains(i) {
                    if pattern.match(name) != nil { chosen.append(i) }
                }
            }
            for i in chosen.sorted() {
                let name = headerRecord.fields[i]
                let captures = profile.analytePattern?.match(name)
                guard let analyte = captures.flatMap({ Self.analyte($0, header: name) }) ?? AnalyteName.parse(name) else {
                    problems.append(ImportDiagnostic(file: fileName, line: headerRecord.line, column: i + 1,
                        message: "\(profileName): analyte column \"\(name)\" does not name an analyte"
                            + (profile.analytePattern.map { " in the form \"\($0)\"" } ?? "") + "; expected e.g. La 139, Ce 413.380 or Fe2O3"))
                    continue
                }
                used.insert(i)
                if analyte.isInternalStandard { context.addInternalStandard(analyte.key); continue }
                let unitCell = unitRecord.map { $0[i].trimmedASCII }.flatMap { $0.isEmpty ? nil : $0 }
                if let unitCell, UnitConversion.isNonConcentration(unitCell) { context.skip(unitCell); continue }
                let unit = captures?[.unit] ?? unitCell ?? analyte.unit ?? profile.unit
                valueColumns.append((i, analyte, unit, dlByLine[Self.lineKey(analyte)]))
            }
            if valueColumns.isEmpty && problems.isEmpty {
                problems.append(ImportDiagnostic(file: fileName, line: headerRecord.line, column: nil,
                    message: "\(profileName): no analyte column in the header row (row \(profile.headerRowsText))"
                        + (profile.analytePattern.map { " reads \"\($0)\"" } ?? "") + "; the header has \(available)"))
            }
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        let others = headerRecord.fields.indices.filter { !used.contains($0) && !header.names[$0].isEmpty }
        if !others.isEmpty {
            context.warn("\(others.count) columns not in profile \(profile.name), not imported: "
                         + others.prefix(8).map { "\"\(headerRecord.fields[$0].replacingOccurrences(of: "\n", with: " "))\"" }.joined(separator: ", ")
                         + (others.count > 8 ? " …" : "") + " (list them in ignore_columns to silence this)")
        }
    }

    /// One header from several rows: each column's cells joined by a space; a blank cell of an upper
    /// row takes the cell on its left (a group name written once over its columns, as MassHunter does).
    static func joinedHeader(_ records: [CSVRecord]) -> CSVRecord? {
        guard let first = records.first else { return nil }
        guard records.count > 1 else { return first }
        let width = records.map(\.fields.count).max() ?? 0
        var fields = Array(repeating: "", count: width)
        for (r, record) in records.enumerated() {
            var group = ""
            for i in 0..<width {
                var cell = record[i].trimmingCharacters(in: .whitespacesAndNewlines)
                if r < records.count - 1 {
                    if cell.isEmpty { cell = group } else { group = cell }
                }
                if !cell.isEmpty { fields[i] = fields[i].isEmpty ? cell : fields[i] + " " + cell }
            }
        }
        return CSVRecord(fields: fields, line: first.line)
    }

    /// The analyte a header's captures name (`{element}` + `{mass}`/`{wavelength}` + `{mode}`).
    static func analyte(_ captures: HeaderPattern.Captures, header: String) -> AnalyteName? {
        guard let element = captures[.element] else { return nil }
        let line = captures[.mass] ?? captures[.wavelength]
        guard var analyte = AnalyteName.parse(line.map { "\(element) \($0)" } ?? element) else { return nil }
        if let wavelength = captures[.wavelength], analyte.wavelengthNm == nil, let nm = Double(wavelength) {
            // `{wavelength}` without decimals (`Ce 413`): still a line in nm, not a mass.
            analyte.isotope = nil
            analyte.wavelengthNm = nm
        }
        if let mode = captures[.mode] { analyte.mode = mode }
        analyte.unit = captures[.unit] ?? analyte.unit
        analyte.sourceLabel = header
        return analyte
    }

    /// Element + line, to pair an analyte with its DL column.
    static func lineKey(_ analyte: AnalyteName) -> String {
        "\(analyte.element)|\(analyte.isotope.map(String.init) ?? "")|\(analyte.wavelengthNm.map { Validate.format($0) } ?? "")|\(analyte.oxide ?? "")"
    }

    private func nextRecord() throws -> CSVRecord? {
        if let first = firstData { firstData = nil; return first }
        return try context.csv.next()
    }

    func next() throws -> ResultCell? {
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            guard let record = try nextRecord() else { return nil }
            if record.isBlank { continue }
            if header.isRepeat(of: record) || skipLabels.contains(LongTableHeader.normalize(record[sample])) {
                context.skippedRows += 1
                continue
            }
            context.dataRows += 1
            guard context.checkWidth(record, expected: 0, allowed: header.record.fields.count) else { continue }
            let label = record[sample].trimmedASCII
            guard !label.isEmpty else {
                context.error(line: record.line, column: sample + 1,
                              "\(header.record[sample]): an empty sample name; expected a sample code, a QC label, or a label listed in skip_labels")
                continue
            }
            var rowDilution: Double?
            guard readDilution(record, into: &rowDilution) else { continue }
            let measuredAt = try date.flatMap { try context.date(record[$0], time: time.map { record[$0] }, line: record.line, column: $0 + 1) }
            // A rejected row is typed DNU, so the QC rules make it a "do not use" row, never a result.
            let rejected = reject.map { profile.rejectValues.contains(record[$0].trimmedASCII.uppercased()) } ?? false
            let sampleType = rejected ? "DNU" : type.map { record[$0] }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            switch profile.layout {
            case .wide:
                for column in valueColumns {
                    guard var value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                    header: header.record[column.index].replacingOccurrences(of: "\n", with: " ")) else { continue }
                    if let dl = column.dl, !applyDetectionLimit(record, dl, to: &value) { continue }
                    applyDilutionFlag(rowDilution, to: &value)
                    var cell = ResultCell(run: record.line, label: label, sampleType: sampleType, analyte: column.analyte, value: value,
                                          unit: column.unit, method: profile.method, measuredAt: measuredAt,
                                          line: record.line, column: column.index + 1, labelColumn: sample + 1)
                    if profile.multiplyDilution { cell.dilution = rowDilution }
                    pending.append(cell)
                }
            case .long:
                guard let analyte = longAnalyte(record) else { continue }
                if analyte.isInternalStandard { context.addInternalStandard(analyte.key); context.skip("internal standard"); continue }
                guard var value = context.value(record[valueColumn], line: record.line, column: valueColumn + 1,
                                                header: header.record[valueColumn]) else { continue }
                if let dl = dlColumn, !applyDetectionLimit(record, dl, to: &value) { continue }
                applyDilutionFlag(rowDilution, to: &value)
                let unitCell = unitColumn.map { record[$0].trimmedASCII }.flatMap { $0.isEmpty ? nil : $0 }
                var cell = ResultCell(run: runs.run(label: label, analyte: analyte), label: label, sampleType: sampleType,
                                      analyte: analyte, value: value, unit: unitCell ?? analyte.unit ?? profile.unit,
                                      method: profile.method, measuredAt: measuredAt, line: record.line, column: valueColumn + 1,
                                      labelColumn: sample + 1, unitColumn: unitColumn.map { $0 + 1 })
                if profile.multiplyDilution { cell.dilution = rowDilution }
                pending.append(cell)
            }
        }
    }

    private func longAnalyte(_ record: CSVRecord) -> AnalyteName? {
        let text = record[analyteColumn].trimmedASCII
        if let hit = analyteCache[text] { if hit == nil { reportAnalyte(record, text) }; return hit }
        var analyte = profile.analytePattern.flatMap { $0.match(text) }.flatMap { Self.analyte($0, header: text) }
        if analyte == nil, profile.analytePattern == nil { analyte = AnalyteName.parse(text) }
        if analyteCache.count < 10_000 { analyteCache[text] = .some(analyte) }
        if analyte == nil { reportAnalyte(record, text) }
        return analyte
    }

    private func reportAnalyte(_ record: CSVRecord, _ text: String) {
        context.error(line: record.line, column: analyteColumn + 1,
                      "\(header.record[analyteColumn]): \"\(text)\" is not an analyte"
                      + (profile.analytePattern.map { " written \"\($0)\" (the profile's analyte_pattern)" } ?? "")
                      + "; expected e.g. La, 139La, Ce 413.380 or Fe2O3")
    }

    /// The row's dilution factor (nil without a dilution column, for an empty cell or 1); false on error.
    private func readDilution(_ record: CSVRecord, into factorOut: inout Double?) -> Bool {
        guard let dilution else { return true }
        let text = record[dilution].trimmedASCII
        if text.isEmpty { return true }
        guard let factor = MeasuredValue.number(text, decimalComma: context.decimalComma), factor > 0 else {
            context.error(line: record.line, column: dilution + 1,
                          "\(header.record[dilution]): \"\(text)\" is not a dilution factor; expected a number > 0 (e.g. 10) or an empty cell")
            return false
        }
        factorOut = factor == 1 ? nil : factor
        return true
    }

    private func applyDilutionFlag(_ factor: Double?, to value: inout MeasuredValue) {
        guard !profile.multiplyDilution, let factor else { return }
        let note = "dilution \(Validate.format(factor)) not applied"
        value.flags = value.flags.map { "\($0); \(note)" } ?? note
    }

    /// A DL cell: a number ≥ 0 in the value's unit; empty = none. False (and an error) otherwise.
    private func applyDetectionLimit(_ record: CSVRecord, _ index: Int, to value: inout MeasuredValue) -> Bool {
        let text = record[index].trimmedASCII
        if text.isEmpty { return true }
        var numberText = text
        if numberText.hasPrefix("<") { numberText.removeFirst() }
        guard let limit = MeasuredValue.number(numberText, decimalComma: context.decimalComma), limit >= 0 else {
            context.error(line: record.line, column: index + 1,
                          "\(header.record[index]): \"\(text)\" is not a detection limit; expected a number ≥ 0 in the unit of the value, or an empty cell")
            return false
        }
        if value.detectionLimit == nil { value.detectionLimit = limit }
        return true
    }
}
