/// XRF results tables (Rigaku ZSX/Supermini, Bruker S2/S8/Tracer and the like): one row per
/// specimen, one column per oxide or element, the unit in a row under the names (`mass%`, `ppm`,
/// Rigaku) or in each name (`SiO2 (%)`, `Nd [ppm]`, Bruker). Oxides (`Fe2O3`, `Tb4O7`) become
/// the element with the stoichiometric factor named in the summary. XRF specimens are solids: `ppm`
/// is mg/kg. Unnamed or `Err`/`±` columns beside an analyte hold its counting error (not imported);
/// columns before the analytes other than the name and date are metadata (named in one warning);
/// statistics rows (`Number`, `Average`, `Maximum`, `Std dev.`, `RSD(%)` …) are skipped.
final class XRFReader: ResultsReading {
    private let context: ResultsReadContext
    private var header: CSVRecord
    private var unitRow: CSVRecord?
    private var labelColumn = 0
    private var dateColumn: Int?
    private var columns: [(index: Int, analyte: AnalyteName, unit: String?)] = []
    private var errorColumns: [Int] = []
    private var width = 0
    private var pending: [ResultCell] = []
    private var pendingIndex = 0
    private var firstData: CSVRecord?

    static let statisticsRows: Set<String> = ["number", "n", "count", "average", "mean", "median", "maximum", "max", "minimum", "min",
                                              "range", "std dev.", "std dev", "std. dev.", "stdev", "sd", "s.d.", "rsd(%)", "rsd", "%rsd", "rsd %"]

    /// Cells naming an element or oxide without an isotope or a wavelength.
    static func analyteShare(_ record: CSVRecord) -> Int {
        record.fields.filter { cell in
            guard let analyte = AnalyteName.parse(cell) else { return false }
            return analyte.isotope == nil && analyte.wavelengthNm == nil && cell.trimmedASCII.count <= 24
        }.count
    }

    /// `mass%` anywhere in the first rows, or a row of `%`/`ppm` units: an XRF table's units.
    static func hasXRFUnits(_ records: [CSVRecord]) -> Bool {
        records.prefix(4).contains { record in
            let units = record.fields.map { UnitConversion.normalize($0) }
            return units.contains { $0.hasPrefix("mass") && $0.hasSuffix("%") }
                || (units.filter { $0 == "%" || $0 == "ppm" || $0 == "wt%" }.count >= 3)
        }
    }

    init(context: ResultsReadContext) throws {
        self.context = context
        var head: [CSVRecord] = []
        while head.count < 3, let record = try context.nextRecord() { head.append(record) }
        guard let best = head.max(by: { Self.analyteShare($0) < Self.analyteShare($1) }), Self.analyteShare(best) > 0 else {
            throw ImportDiagnostic(file: context.fileName, line: head.first?.line ?? 1, column: nil,
                                   message: "no header row names oxides or elements (e.g. SiO2, Fe2O3, Nd); expected an XRF results table")
        }
        header = best
        var rest = head.drop { $0.line <= best.line }.makeIterator()
        if let next = rest.next() {
            if Self.unitShare(next) > 0 { unitRow = next } else { firstData = next }
        }
        // Rows read ahead of the data are handed out first.
        var ahead: [CSVRecord] = []
        while let record = rest.next() { ahead.append(record) }
        self.ahead = ahead
        if firstData == nil, !ahead.isEmpty { firstData = self.ahead.removeFirst() }
        try layout()
    }

    private var ahead: [CSVRecord] = []

    private static func unitShare(_ record: CSVRecord) -> Int {
        record.fields.filter { UnitConversion.isKnownUnit($0.trimmedASCII) }.count
    }

    private func layout() throws {
        let names = header.fields.map(LongTableHeader.normalize)
        width = max(header.fields.count, unitRow?.fields.count ?? 0)
        var problems: [ImportDiagnostic] = []
        var metadata: [String] = []
        var firstAnalyte: Int?
        if let named = names.firstIndex(where: { ["sample", "sample name", "sample id", "name", "id", "specimen", "sample no."].contains($0) }) {
            labelColumn = named
        }
        dateColumn = names.firstIndex { ["date", "date/time", "date time", "measured", "analysis date", "measurement date", "datetime"].contains($0) }
        var previousWasAnalyte = false
        for i in 0..<header.fields.count where i != labelColumn && i != dateColumn {
            let text = header[i].trimmedASCII
            let lower = names[i]
            if lower.isEmpty || lower.hasSuffix(" err") || lower.hasSuffix(" error") || lower.contains("+/-") || lower.contains("±") {
                if firstAnalyte != nil, previousWasAnalyte || !lower.isEmpty { errorColumns.append(i) } else if firstAnalyte == nil { metadata.append(text.isEmpty ? "(unnamed column \(i + 1))" : text) }
                previousWasAnalyte = false
                continue
            }
            guard var analyte = AnalyteName.parse(text), analyte.isotope == nil, analyte.wavelengthNm == nil else {
                if firstAnalyte == nil { metadata.append(text) } else {
                    problems.append(ImportDiagnostic(file: context.fileName, line: header.line, column: i + 1,
                        message: "\"\(text)\" is not an oxide or element; expected a name such as SiO2, Fe2O3, Tb4O7 or Nd among the analyte columns"))
                }
                previousWasAnalyte = false
                continue
            }
            if firstAnalyte == nil { firstAnalyte = i }
            previousWasAnalyte = true
            // `SiO2 [%]`: a bracketed unit reads as a mode.
            if analyte.unit == nil, let mode = analyte.mode, UnitConversion.isKnownUnit(mode) { analyte.unit = mode; analyte.mode = nil }
            let unit = unitRow.map { $0[i].trimmedASCII }.flatMap { $0.isEmpty ? nil : $0 } ?? analyte.unit ?? context.defaultUnit
            if unit == nil {
                problems.append(ImportDiagnostic(file: context.fileName, line: unitRow?.line ?? header.line, column: i + 1,
                    message: "\(text): no unit; expected a unit row (mass%, ppm) or a unit in the name (\"\(text) (%)\"), or give --unit"))
                continue
            }
            columns.append((i, analyte, unit))
        }
        if dateColumn == nil, let sample = firstData {
            dateColumn = (0..<(firstAnalyte ?? 0)).first { $0 != labelColumn && Self.looksLikeDate(sample[$0]) }
            if let dateColumn, let index = metadata.firstIndex(of: "(unnamed column \(dateColumn + 1))") { metadata.remove(at: index) }
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
        if columns.isEmpty {
            throw ImportDiagnostic(file: context.fileName, line: header.line, column: nil, message: "no oxide or element columns; expected an XRF results table")
        }
        if !metadata.isEmpty {
            context.warn("columns before the analytes not imported (metadata): " + metadata.map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }

    private static func looksLikeDate(_ text: String) -> Bool {
        let t = text.trimmedASCII
        guard t.count >= 8, t.contains("/") || t.contains("-") || t.contains("."), t.first?.isNumber == true else { return false }
        return (try? InstrumentDate.parse(date: t, order: .ymd)) != nil || (try? InstrumentDate.parse(date: t, order: .dmy)) != nil
            || (try? InstrumentDate.parse(date: t, order: .mdy)) != nil
    }

    private func nextRecord() throws -> CSVRecord? {
        if let firstData { self.firstData = nil; return firstData }
        if !ahead.isEmpty { return ahead.removeFirst() }
        return try context.nextRecord()
    }

    func next() throws -> ResultCell? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let record = try nextRecord() else { return nil }
            if record.fields == header.fields || record.fields == unitRow?.fields { context.skippedRows += 1; continue }
            let label = record[labelColumn].trimmedASCII
            if Self.statisticsRows.contains(LongTableHeader.normalize(label)) { context.skippedRows += 1; continue }
            context.dataRows += 1
            guard context.checkWidth(record, expected: (columns.last?.index ?? 0) + 1, allowed: max(width, record.fields.count)) else { continue }
            let errors = errorColumns.filter { !record[$0].trimmedASCII.isEmpty }.count
            if errors > 0 { context.skip("counting error", cells: errors) }
            let measuredAt = try dateColumn.flatMap { try context.date(record[$0], line: record.line, column: $0 + 1) }
            for column in columns {
                guard let value = context.value(record[column.index], line: record.line, column: column.index + 1,
                                                header: header[column.index].trimmedASCII) else { continue }
                pending.append(ResultCell(run: record.line, label: label, sampleType: nil, analyte: column.analyte, value: value,
                                          unit: column.unit, method: "XRF", measuredAt: measuredAt, line: record.line,
                                          column: column.index + 1, labelColumn: labelColumn + 1,
                                          unitColumn: unitRow == nil ? nil : column.index + 1))
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
