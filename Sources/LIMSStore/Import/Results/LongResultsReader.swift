/// The project's own results sheet (`lims template results`): one value per row with the columns of
/// `LongResultsTemplate` (sample, analyte, value, unit, qualifier, detection_limit, method, measured_on),
/// by name in any order. Unknown columns are errors naming them, as for the lab sheets.
final class LongResultsReader: ResultsReading {
    private let context: ResultsReadContext
    private let header: LongTableHeader
    private var column: [String: Int] = [:]
    private var runs = LongRunTracker()
    private var analyteCache = AnalyteNameCache()

    init(context: ResultsReadContext) throws {
        self.context = context
        guard let first = try context.nextRecord() else {
            throw ImportDiagnostic(file: context.fileName, line: 1, column: 1,
                                   message: "the file is empty; expected a header row with the columns "
                                       + LongResultsTemplate.columns.map(\.name).joined(separator: ","))
        }
        header = LongTableHeader(first)
        let known = LongResultsTemplate.columns.map(\.name)
        var problems: [ImportDiagnostic] = []
        for (i, name) in header.names.enumerated() {
            if name.isEmpty && i >= header.width { continue }
            if !known.contains(name) {
                let hint = Suggestions.closest(to: name, among: known).first.map { "; did you mean \"\($0)\"?" } ?? ""
                problems.append(ImportDiagnostic(file: context.fileName, line: first.line, column: i + 1,
                    message: "unknown column \"\(first[i])\"\(hint) (expected columns: \(known.joined(separator: ",")))"))
            } else if column[name] != nil {
                problems.append(ImportDiagnostic(file: context.fileName, line: first.line, column: i + 1,
                                                 message: "column \"\(first[i])\" appears twice"))
            } else {
                column[name] = i
            }
        }
        for spec in LongResultsTemplate.columns where spec.required && column[spec.name] == nil {
            problems.append(ImportDiagnostic(file: context.fileName, line: first.line, column: nil,
                                             message: "the required column \"\(spec.name)\" is missing (\(spec.help))"))
        }
        if !problems.isEmpty { throw ImportDiagnostics(problems) }
    }

    private func text(_ record: CSVRecord, _ name: String) -> String {
        column[name].map { record[$0].trimmedASCII } ?? ""
    }

    func next() throws -> ResultCell? {
        while let record = try context.nextRecord() {
            if header.isRepeat(of: record) { context.skippedRows += 1; continue }
            context.dataRows += 1
            guard context.checkWidth(record, expected: header.width, allowed: header.record.fields.count) else { continue }
            let sample = text(record, "sample")
            let analyteText = text(record, "analyte")
            guard !sample.isEmpty else {
                context.error(line: record.line, column: column["sample"]! + 1, "sample: an empty cell is not valid; expected a sample or extract code")
                continue
            }
            guard let analyte = analyteCache.parse(analyteText) else {
                context.error(line: record.line, column: column["analyte"]! + 1,
                              "analyte: \"\(analyteText)\" is not valid; expected an element symbol (La), isotope or line (139La, Ce 413.380) or oxide (Fe2O3)")
                continue
            }
            let valueIndex = column["value"]!
            guard var value = context.value(record[valueIndex], line: record.line, column: valueIndex + 1, header: "value") else { continue }
            var ok = true
            if let index = column["detection_limit"], !text(record, "detection_limit").isEmpty {
                let raw = text(record, "detection_limit")
                if let limit = MeasuredValue.number(raw, decimalComma: context.decimalComma), limit >= 0 {
                    value.detectionLimit = limit
                } else {
                    context.error(line: record.line, column: index + 1, "detection_limit: \"\(raw)\" is not valid; expected a number ≥ 0 in the unit of the value")
                    ok = false
                }
            }
            if let index = column["qualifier"], !text(record, "qualifier").isEmpty {
                let raw = text(record, "qualifier")
                guard let qualifier = MeasuredValue.Qualifier(rawValue: raw.lowercased()) else {
                    context.error(line: record.line, column: index + 1, "qualifier: \"\(raw)\" is not valid; expected one of =, <, >, nd, nm, na (or empty)")
                    continue
                }
                if qualifier == .below, value.qualifier == .measured, let number = value.value {
                    // `<` with a number: the number is the detection limit, not a result.
                    if value.detectionLimit == nil { value.detectionLimit = number }
                    value.value = nil
                } else if qualifier == .measured && value.value == nil {
                    context.error(line: record.line, column: valueIndex + 1, "value: \"\(value.raw)\" is not valid with qualifier \"=\"; expected a number")
                    continue
                }
                value.qualifier = qualifier
            }
            var measuredOn: String?
            if let index = column["measured_on"], !text(record, "measured_on").isEmpty {
                let raw = text(record, "measured_on")
                if Validate.isISODate(raw) { measuredOn = raw } else {
                    context.error(line: record.line, column: index + 1, "measured_on: \"\(raw)\" is not valid; expected \(Validate.expectedDate(raw))")
                    ok = false
                }
            }
            guard ok else { continue }
            let method = text(record, "method")
            return ResultCell(run: runs.run(label: sample, analyte: analyte), label: sample, sampleType: nil, analyte: analyte,
                              value: value, unit: text(record, "unit"), method: method.isEmpty ? nil : method,
                              measuredAt: measuredOn, line: record.line, column: valueIndex + 1,
                              labelColumn: column["sample"]! + 1, unitColumn: column["unit"]! + 1)
        }
        return nil
    }
}
