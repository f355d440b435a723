/// Agilent/Varian ICP Expert (ICP-OES) export, long: one row per solution × line. Columns used:
/// `Solution Label` (padded), `Type` (`Blk`, `Std`, `LCS`, `Samp`), `Element` (`Mn 257.610`),
/// `Flags` (`u` under range, `x` over range, `v` …), `Corr Con` with the `Units` column after it
/// (else `Soln Conc` and its `Units` — the file has two columns named `Units`), `Date`, `Time`,
/// and `Act Wgt`, `Act Vol`, `DF`, which must be positive. `"-"` with flag `x` is over range.
final class ICPExpertReader: ResultsReading {
    private let context: ResultsReadContext
    private let header: LongTableHeader
    private let label: Int, element: Int, value: Int, unit: Int
    private let type: Int?, flags: Int?, date: Int?, time: Int?
    private let positives: [(index: Int, name: String, unit: String)]
    private var runs = LongRunTracker()
    private var analyteCache = AnalyteNameCache()

    init(context: ResultsReadContext) throws {
        self.context = context
        guard let first = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: 1, column: 1, message: "the file is empty; expected an ICP Expert export")
        }
        let header = LongTableHeader(first)
        self.header = header
        var missing: [String] = []
        let label = header.index("solution label", "sample label", "label")
        let element = header.index("element", "element label")
        let value = header.index("corr con", "corr conc", "corrected conc") ?? header.index("soln conc", "solution conc", "conc")
        let unit = value.flatMap { header.index("units", "unit", after: $0) }
        if label == nil { missing.append("Solution Label") }
        if element == nil { missing.append("Element") }
        if value == nil { missing.append("Corr Con or Soln Conc") }
        if value != nil && unit == nil { missing.append("Units (after the concentration column)") }
        guard missing.isEmpty, let label, let element, let value, let unit else {
            throw ImportDiagnostic(file: context.fileName, line: first.line, column: nil,
                                   message: "ICP Expert export without the column(s) " + missing.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        self.label = label; self.element = element; self.value = value; self.unit = unit
        type = header.index("type"); flags = header.index("flags", "flag")
        date = header.index("date"); time = header.index("time")
        positives = [("act wgt", "Act Wgt", "g"), ("act vol", "Act Vol", "mL"), ("df", "DF", "")].compactMap { key, name, unit in
            header.index(key).map { ($0, name, unit) }
        }
        let skipped = header.names.indices.filter { ["int", "sd", "rsd", "intsd", "intrsd"].contains(header.names[$0]) }
        for index in skipped { skippedNames.append(header.record[index]) }
    }

    private var skippedNames: [String] = []

    func next() throws -> ResultCell? {
        while let record = try context.nextRecord() {
            if header.isRepeat(of: record) { context.skippedRows += 1; continue }
            context.dataRows += 1
            guard context.checkWidth(record, expected: header.width, allowed: header.record.fields.count) else { continue }
            for name in skippedNames { context.skip(name) }
            var ok = true
            for check in positives {
                let text = record[check.index].trimmedASCII
                if text.isEmpty { continue }
                guard let number = MeasuredValue.number(text, decimalComma: context.decimalComma), number > 0 else {
                    context.error(line: record.line, column: check.index + 1,
                                  "\(check.name): \"\(text)\" is not valid; expected a positive number\(check.unit.isEmpty ? "" : " in \(check.unit)")")
                    ok = false
                    continue
                }
            }
            let labelText = record[label].trimmedASCII
            let elementText = record[element].trimmedASCII
            guard let analyte = analyteCache.parse(elementText) else {
                context.error(line: record.line, column: element + 1,
                              "Element: \"\(elementText)\" is not an analyte line; expected e.g. \"Mn 257.610\"")
                continue
            }
            guard var measured = context.value(record[value], line: record.line, column: value + 1,
                                               header: header.record[value]) else { continue }
            measured = measured.applyingFlags(flags.map { record[$0] })
            let measuredAt = try date.flatMap { try context.date(record[$0], time: time.map { record[$0] }, line: record.line, column: $0 + 1) }
            guard ok else { continue }
            return ResultCell(run: runs.run(label: labelText, analyte: analyte), label: labelText,
                              sampleType: type.map { record[$0] }, analyte: analyte, value: measured,
                              unit: record[unit].trimmedASCII, method: "ICP-OES",
                              measuredAt: measuredAt, line: record.line, column: value + 1,
                              labelColumn: label + 1, unitColumn: unit + 1)
        }
        return nil
    }
}
