/// Horiba Jobin Yvon ICP-OES (ICP Analyst / ACTIVAnalyst) "ICP Short Report (lines)" exported as CSV:
/// one block per solution —
///
///     Sample:,QC 10 PPM,Method:,150309,Measured:,10.03.2015  18:50,,,,
///     LineName,,Net_Intensity,Cc,SD,RSD,,,,
///     Al 396.152,,"1,226,220.526 ",,,10.540 ,0.03 ,,mg/l,0.33
///
/// The data rows do not line up with the `LineName` header (the software pads them), so a row is
/// read by content: the line name first, the intensity third, then the concentration (the first
/// number after it), its SD, a flag letter (`X`, `Q`, kept as written, not interpreted) and the unit.
final class HoribaReader: ResultsReading {
    private let context: ResultsReadContext
    private var label: String?
    private var labelLine = 0
    private var measuredAt: String?
    private var run = 0
    private var flagged = 0

    init(context: ResultsReadContext) throws {
        self.context = context
    }

    private func startBlock(_ record: CSVRecord) throws {
        let names = record.fields.map(LongTableHeader.normalize)
        run += 1
        label = record[1].trimmedASCII
        labelLine = record.line
        measuredAt = nil
        if let index = names.firstIndex(of: "measured:"), index + 1 < record.fields.count {
            measuredAt = try context.date(record[index + 1], line: record.line, column: index + 2)
        }
        if label?.isEmpty ?? true {
            context.error(line: record.line, column: 2, "Sample: the solution has no name; expected \"Sample:,NAME,Method:,…\"")
        }
    }

    func next() throws -> ResultCell? {
        while let record = try context.nextRecord() {
            let first = LongTableHeader.normalize(record[0])
            if first == "sample:" { try startBlock(record); continue }
            if first == "linename" || first.hasPrefix("print date") || first.isEmpty { context.skippedRows += 1; continue }
            guard let label, !label.isEmpty else {
                context.error(line: record.line, column: 1, "a result row before the first \"Sample:\" row; expected a Horiba ICP Short Report")
                continue
            }
            context.dataRows += 1
            guard let analyte = AnalyteName.parse(record[0].trimmedASCII), analyte.wavelengthNm != nil || analyte.isotope == nil else {
                context.error(line: record.line, column: 1, "LineName: \"\(record[0].trimmedASCII)\" is not an emission line; expected e.g. \"Ca 315.887\"")
                continue
            }
            if record[2].trimmedASCII.isEmpty == false { context.skip("Net_Intensity") }
            let unitIndex = (3..<max(3, record.fields.count)).first { UnitConversion.isKnownUnit(record[$0].trimmedASCII) }
            let end = unitIndex ?? record.fields.count
            var valueIndex: Int?
            var flags: [String] = []
            for index in 3..<max(3, end) {
                let text = record[index].trimmedASCII
                if text.isEmpty { continue }
                if text.count <= 3, text.allSatisfy(\.isLetter) { flags.append(text); continue }
                if valueIndex == nil { valueIndex = index } else { context.skip("SD") }
            }
            guard let valueIndex else {
                context.error(line: record.line, column: 4, "\(analyte.key): no concentration after the intensity; expected the Cc number before the unit")
                continue
            }
            guard var value = context.value(record[valueIndex], line: record.line, column: valueIndex + 1, header: "\(analyte.key) Cc") else { continue }
            if !flags.isEmpty {
                value.flags = flags.joined(separator: " ")
                flagged += 1
                context.warn("Horiba flags (X, Q …) kept as written in flags, not interpreted: check them before publishing")
            }
            if let unitIndex, unitIndex + 1 < record.fields.count, !record[unitIndex + 1].trimmedASCII.isEmpty { context.skip("RSD") }
            let role: ResultCell.Role = context.isInternalStandard(analyte) ? .internalStandard(quantity: "concentration") : .concentration
            if role != .concentration { context.addInternalStandard(analyte.key) }
            return ResultCell(run: run, label: label, sampleType: nil, analyte: analyte, value: value,
                              unit: unitIndex.map { record[$0].trimmedASCII }, method: "ICP-OES", measuredAt: measuredAt,
                              line: record.line, column: valueIndex + 1, labelColumn: nil, unitColumn: unitIndex.map { $0 + 1 }, role: role)
        }
        return nil
    }
}
