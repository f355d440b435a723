/// Shimadzu ICPE-9000/9800 (ICPESolution) result export: tab-separated, NO header row, one row per
/// solution × line. Fixed columns (1-based): 1 method, 2 run kind (`CAL1`…`CALn` calibration
/// standards — `CAL1` labelled Blank is the calibration blank —, `UNK` unknowns, `STD`, `BLK`, `QC`),
/// 3 sample name, 4 date-time (`9/23/2016 11:54:59 AM`), 7 element, 8 `QUANT`/`SEMIQ`/`QUAL`,
/// 9 wavelength (nm), 11 unit, 12 concentration (empty for calibration rows), 31 the intensity
/// correction (`After Drift Correction`) and 32–44 replicate intensities, mean, SD, RSD (not imported).
final class ShimadzuICPEReader: ResultsReading {
    private let context: ResultsReadContext
    private var runs = LongRunTracker()
    private var analyteCache = AnalyteNameCache()

    static let methodColumn = 0, kindColumn = 1, labelColumn = 2, dateColumn = 3, elementColumn = 6, quantColumn = 7,
               wavelengthColumn = 8, unitColumn = 10, valueColumn = 11, firstIntensityColumn = 30
    static let minimumFields = 12

    /// Run kinds ICPESolution writes in column 2.
    static func isRunKind(_ text: String) -> Bool {
        let upper = text.trimmedASCII.uppercased()
        let letters = upper.prefix { $0.isLetter }
        let digits = upper.dropFirst(letters.count)
        return ["CAL", "UNK", "STD", "BLK", "QC", "CHK", "SPK", "DUP"].contains(String(letters)) && digits.allSatisfy(\.isNumber)
    }

    /// The signature of a data row: a run kind, an element, QUANT/SEMIQ/QUAL and a wavelength where Shimadzu puts them.
    static func isDataRow(_ record: CSVRecord) -> Bool {
        guard record.fields.count >= minimumFields, isRunKind(record[kindColumn]) else { return false }
        let quant = record[quantColumn].trimmedASCII.uppercased()
        return ["QUANT", "SEMIQ", "QUAL"].contains(quant) && PeriodicTable.isElement(record[elementColumn].trimmedASCII)
            && MeasuredValue.number(record[wavelengthColumn], decimalComma: false) != nil
    }

    init(context: ResultsReadContext) throws {
        self.context = context
    }

    /// `CAL1` + `Blank` → calibration blank; other `CALn` → calibration standards; `UNK` → decided by the name.
    static func sampleType(kind: String, label: String) -> String? {
        let upper = kind.trimmedASCII.uppercased()
        if upper.hasPrefix("CAL") {
            return label.trimmedASCII.lowercased().contains("blank") || label.trimmedASCII.lowercased() == "blk" ? "CalBlk" : "CalStd"
        }
        if upper.hasPrefix("BLK") { return "Blk" }
        if upper.hasPrefix("STD") { return "Std" }
        if upper.hasPrefix("QC") || upper.hasPrefix("CHK") { return "QC" }
        if upper.hasPrefix("SPK") { return "Spike" }
        if upper.hasPrefix("DUP") { return "Dup" }
        return nil
    }

    func next() throws -> ResultCell? {
        while let record = try context.nextRecord() {
            context.dataRows += 1
            guard Self.isDataRow(record) else {
                let column = record.fields.count < Self.minimumFields ? record.fields.count : !Self.isRunKind(record[Self.kindColumn]) ? 2 : 7
                context.error(line: record.line, column: column,
                              "not a Shimadzu ICPE result row (\(record.fields.count) fields); expected a run kind (CAL1, UNK …) in column 2, "
                              + "an element in column 7, QUANT in column 8 and a wavelength in column 9")
                continue
            }
            let intensityCells = record.fields.dropFirst(Self.firstIntensityColumn + 1).filter { !$0.trimmedASCII.isEmpty }.count
            if intensityCells > 0 { context.skip("intensities (columns 32-44)", cells: intensityCells) }
            let label = record[Self.labelColumn].trimmedASCII
            let text = record[Self.elementColumn].trimmedASCII + " " + record[Self.wavelengthColumn].trimmedASCII
            guard let analyte = analyteCache.parse(text) else {
                context.error(line: record.line, column: Self.elementColumn + 1, "\"\(text)\" is not an emission line; expected an element and a wavelength")
                continue
            }
            guard let value = context.value(record[Self.valueColumn], line: record.line, column: Self.valueColumn + 1,
                                            header: "\(analyte.key) concentration") else { continue }
            let measuredAt = try context.date(record[Self.dateColumn], line: record.line, column: Self.dateColumn + 1)
            let role: ResultCell.Role = context.isInternalStandard(analyte) ? .internalStandard(quantity: "concentration") : .concentration
            if role != .concentration { context.addInternalStandard(analyte.key) }
            return ResultCell(run: runs.run(label: label, analyte: analyte), label: label,
                              sampleType: Self.sampleType(kind: record[Self.kindColumn], label: label),
                              analyte: analyte, value: value, unit: record[Self.unitColumn].trimmedASCII, method: "ICP-OES",
                              measuredAt: measuredAt, line: record.line, column: Self.valueColumn + 1,
                              labelColumn: Self.labelColumn + 1, unitColumn: Self.unitColumn + 1, role: role)
        }
        return nil
    }
}
