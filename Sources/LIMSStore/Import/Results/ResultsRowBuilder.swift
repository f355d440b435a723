/// What each cell of an instrument run becomes: a measurement of a sample, a QC value, an
/// internal-standard reading — or a problem — with its unit converted and its matrix decided.
/// Runs on the reading thread (`CellPipeline`), right after the reader, so problems go into the
/// read context in file order; the rows it lays out (`Rows`) are written by the import's thread,
/// which then only writes.
final class ResultsRowBuilder: CellStage {
    /// One chunk of work for the writing thread, in file order.
    struct Rows {
        /// QC rows (runs) that start in this chunk, in order: the n-th of the import has ordinal n.
        var qcSamples: [QCSampleRow] = []
        /// `ResultsImport.measurementColumns`.
        var measurements: RowBatch
        /// `ResultsImport.qcMeasurementColumns`; qc_sample_id holds the QC row's ordinal until written.
        var qcMeasurements: RowBatch
        /// `ResultsImport.internalStandardColumns`; qc_sample_id likewise.
        var internalStandards: RowBatch
        /// Cells taken, and bytes of the file read once the chunk was full (for a progress line).
        var cells = 0
        var bytesRead = 0
    }

    struct QCSampleRow {
        let label: String
        let qc: QCClassifier.QC
        let position: Int
        let measuredAt: String?
    }

    private struct UnitKey: Hashable {
        let unit: String
        let matrix: UnitConversion.Matrix?
        let oxide: String?
    }

    private struct RunState {
        var run = -1
        var qcOrdinal: Int64?
        var sample: SampleMatcher.Match?
        var unmatchedName: String?
    }

    private let context: ResultsReadContext
    private let options: ResultsImportOptions
    private let format: ResultsFormat
    private let matcher: SampleMatcher
    private let classifier: QCClassifier
    private let dryRun: Bool
    private let cellsPerChunk: Int

    /// The summary so far; the import reads it once the pipeline has finished.
    private(set) var summary: ImportSummary
    private(set) var nameDilutions = 0
    private(set) var firstUnmatched: [String: (line: Int, column: Int)] = [:]

    private var state = RunState()
    private var position = 0
    private var qcSamples: Int64 = 0
    private var matched = Set<String>(), unmatched = Set<String>(), analyteKeys = Set<String>(), elements = Set<String>()
    private var matrices = Set<String>(), conversions = Set<String>(), reported = Set<String>()
    private typealias Conversion = Result<(matrix: UnitConversion.Matrix, factor: Double), UnitConversion.Failure>
    private var unitCache: [UnitKey: Conversion] = [:]
    /// The last unit looked up, so a run of cells in one unit skips the dictionary.
    private var lastUnit: (key: UnitKey, conversion: Conversion)?
    private var seenAnalytes = Set<AnalyteName>()
    private var sampleLabels = Set<String>()

    init(context: ResultsReadContext, options: ResultsImportOptions, format: ResultsFormat, matcher: SampleMatcher,
         classifier: QCClassifier, summary: ImportSummary, dryRun: Bool, cellsPerChunk: Int = ResultsImport.rowsPerWrite) {
        self.context = context
        self.options = options
        self.format = format
        self.matcher = matcher
        self.classifier = classifier
        self.summary = summary
        self.dryRun = dryRun
        self.cellsPerChunk = cellsPerChunk
    }

    func makeChunk() -> Rows {
        // ≈ 80 bytes of text per value: element, mode, header label, raw text, units, method, matrix, date-time.
        Rows(measurements: RowBatch(columns: ResultsImport.measurementColumns.count, reservingRows: cellsPerChunk, textBytes: 96),
             qcMeasurements: RowBatch(columns: ResultsImport.qcMeasurementColumns.count),
             internalStandards: RowBatch(columns: ResultsImport.internalStandardColumns.count))
    }

    func finishChunk(_ rows: inout Rows) {
        rows.bytesRead = context.csv.bytesRead
    }

    private func problem(_ key: String, _ cell: ResultCell, atUnit: Bool = false, _ message: String) {
        guard reported.insert(key).inserted else { return }
        context.error(line: cell.line, column: atUnit ? (cell.unitColumn ?? cell.column) : cell.column, message)
    }

    /// Takes one cell; true when `rows` is full.
    func take(_ cell: ResultCell, into rows: inout Rows) -> Bool {
        rows.cells += 1
        if cell.run != state.run { startRun(cell, into: &rows) }
        place(cell, into: &rows)
        return rows.cells >= cellsPerChunk
    }

    /// A new run (row of the instrument table): a QC row, a registered sample, or an unmatched name.
    private func startRun(_ cell: ResultCell, into rows: inout Rows) {
        state = RunState(run: cell.run)
        position += 1
        var qc = classifier.classify(label: cell.label, type: cell.sampleType)
        let match = qc == nil ? matcher.match(cell.label) : nil
        if qc == nil, match == nil, let base = gluedDuplicateBase(cell.label, seen: sampleLabels) {
            // `ZK5-1-H01D` after `ZK5-1-H01` in the same run: a duplicate (`GA02D` alone stays a name).
            qc = QCClassifier.QC(type: "duplicate", duplicateOf: base)
        }
        if let qc {
            state.qcOrdinal = qcSamples
            qcSamples += 1
            if !dryRun {   // counted, not written, in a dry run
                rows.qcSamples.append(QCSampleRow(label: cell.label, qc: qc, position: position, measuredAt: cell.measuredAt))
            }
            summary.qcRows[qc.type, default: 0] += 1
        } else if let match {
            state.sample = match
            if match.nameDilution != nil { nameDilutions += 1 }
            if sampleLabels.count < 100_000 { sampleLabels.insert(cell.label.uppercased()) }
            if matched.insert(match.code).inserted { summary.matchedSamples.append(match.code) }
        } else {
            if sampleLabels.count < 100_000 { sampleLabels.insert(cell.label.uppercased()) }
            state.unmatchedName = cell.label
            if unmatched.insert(cell.label).inserted {
                summary.unmatchedNames.append(cell.label)
                firstUnmatched[cell.label] = (cell.line, cell.labelColumn ?? 1)
            }
        }
    }

    private func place(_ cell: ResultCell, into rows: inout Rows) {
        if case .internalStandard(let quantity) = cell.role {
            // QC data of the run: kept as read (a recovery % or an intensity), never converted or reported.
            if !dryRun {
                rows.internalStandards.append(state.qcOrdinal == nil ? state.sample?.id : nil)
                rows.internalStandards.append(state.qcOrdinal)
                rows.internalStandards.append(cell.label); rows.internalStandards.append(cell.analyte.element)
                rows.internalStandards.append(cell.analyte.isotope); rows.internalStandards.append(cell.analyte.wavelengthNm)
                rows.internalStandards.append(cell.analyte.mode); rows.internalStandards.append(cell.analyte.sourceLabel)
                rows.internalStandards.append(quantity); rows.internalStandards.append(cell.value.value)
                rows.internalStandards.append(cell.value.raw); rows.internalStandards.append(cell.unit)
                rows.internalStandards.append(cell.value.qualifier.rawValue); rows.internalStandards.append(cell.line)
                rows.internalStandards.append(cell.column)
            }
            summary.internalStandardReadings += 1
            return
        }
        // Unit and matrix → canonical unit.
        guard let unitText = (cell.unit?.trimmedASCII).flatMap({ $0.isEmpty ? nil : $0 }) ?? options.unit else {
            problem("nounit:\(cell.column)", cell, "\(cell.analyte.displayLabel): no unit; expected a unit in the header (e.g. \"La 139 (mg/L)\") or a unit column, or give --unit (\(UnitConversion.acceptedList))")
            return
        }
        let sampleMatrix: UnitConversion.Matrix? = state.sample?.matrix == .solution ? .solution : (options.matrix ?? format.impliedMatrix)
        let unitKey = UnitKey(unit: unitText, matrix: sampleMatrix, oxide: cell.analyte.oxide)
        let conversion = self.conversion(unitKey, cell: cell)
        let matrix: UnitConversion.Matrix
        let factor: Double
        switch conversion {
        case .success(let found):
            (matrix, factor) = found
        case .failure(let error):
            switch error {
            case .unknownUnit:
                problem("unit:\(unitText)", cell, atUnit: true, "unknown unit \"\(unitText)\"; expected one of \(UnitConversion.acceptedList(excluding: unitText))")
            case .ambiguousMatrix:
                problem("ppm", cell, atUnit: true, "the unit \"\(unitText)\" is ambiguous: mg/L for a solution or mg/kg for a solid; give --matrix solution or --matrix solid")
            case .wrongMatrix(let unitMatrix):
                let who = state.sample.map { "sample \"\($0.code)\" (\($0.type)) is a \(sampleMatrix?.rawValue ?? "")" }
                    ?? "--matrix is \(sampleMatrix?.rawValue ?? "")"
                problem("matrix:\(unitText):\(sampleMatrix?.rawValue ?? "")", cell, atUnit: true,
                        "the unit \"\(unitText)\" is a \(unitMatrix.rawValue) unit but \(who); a \(unitMatrix.rawValue) unit cannot be converted to \(sampleMatrix?.canonicalUnit ?? "") by a factor")
            }
            return
        }
        var value = cell.value
        let original = value.value
        // Dilution: --dilution × the row's (profile dilution column) × a name suffix when --apply-name-dilution.
        var rowDilution = options.dilution
        if let factor = cell.dilution { rowDilution = (rowDilution ?? 1) * factor }
        if options.applyNameDilution, let factor = state.sample?.nameDilution?.factor { rowDilution = (rowDilution ?? 1) * factor }
        if let suffix = state.sample?.nameDilution {
            let note = "name dilution ×\(Validate.format(suffix.factor)) (\"\(suffix.suffix)\")" + (options.applyNameDilution ? " applied" : " not applied")
            value.flags = value.flags.map { "\($0); \(note)" } ?? note
        }
        let scale = factor * cell.analyte.oxideFactor * (rowDilution ?? 1)
        if scale != 1 {
            value.value = value.value.map { $0 * scale }
            value.detectionLimit = value.detectionLimit.map { $0 * scale }
        }
        let canonical = matrix.canonicalUnit

        let analyte = cell.analyte
        let method = cell.method ?? (analyte.wavelengthNm != nil ? "ICP-OES" : analyte.isotope != nil ? "ICP-MS" : nil)
        noteAnalyte(analyte)
        if value.qualifier != .measured { summary.qualifiers[value.qualifier.rawValue, default: 0] += 1 }
        if let number = original, number < 0 { summary.negativeValues += 1 }

        if let ordinal = state.qcOrdinal {
            if !dryRun {
                // The order of qcMeasurementColumns.
                rows.qcMeasurements.append(ordinal)
                rows.qcMeasurements.append(analyte.element); rows.qcMeasurements.append(analyte.isotope)
                rows.qcMeasurements.append(analyte.wavelengthNm); rows.qcMeasurements.append(analyte.mode)
                rows.qcMeasurements.append(analyte.sourceLabel); rows.qcMeasurements.append(value.value)
                rows.qcMeasurements.append(value.raw); rows.qcMeasurements.append(canonical); rows.qcMeasurements.append(original)
                rows.qcMeasurements.append(unitText); rows.qcMeasurements.append(value.qualifier.rawValue)
                rows.qcMeasurements.append(value.detectionLimit); rows.qcMeasurements.append(cell.line)
                rows.qcMeasurements.append(cell.column)
            }
            summary.qcValues += 1
            return
        }
        if state.sample == nil {
            summary.unmatchedValues += 1
            if !options.allowUnmatched { return }
        }
        if !dryRun {
            // The order of measurementColumns.
            rows.measurements.append(state.sample?.id); rows.measurements.append(state.sample == nil ? state.unmatchedName : nil)
            rows.measurements.append(analyte.element); rows.measurements.append(analyte.isotope)
            rows.measurements.append(analyte.wavelengthNm); rows.measurements.append(analyte.mode)
            rows.measurements.append(analyte.sourceLabel); rows.measurements.append(value.value); rows.measurements.append(value.raw)
            rows.measurements.append(canonical); rows.measurements.append(original); rows.measurements.append(unitText)
            rows.measurements.append(value.qualifier.rawValue); rows.measurements.append(value.detectionLimit)
            rows.measurements.append(method); rows.measurements.append(matrix.rawValue); rows.measurements.append(rowDilution)
            rows.measurements.append(value.flags); rows.measurements.append(cell.measuredAt)
            rows.measurements.append(cell.line); rows.measurements.append(cell.column)
        }
        summary.sampleValues += 1
    }

    /// The matrix and factor of a unit (cached), said once per unit in the summary.
    private func conversion(_ key: UnitKey, cell: ResultCell) -> Conversion {
        if let last = lastUnit, last.key == key { return last.conversion }
        if let cached = unitCache[key] {
            lastUnit = (key, cached)
            return cached
        }
        let unitText = key.unit, sampleMatrix = key.matrix
        let conversion: Conversion = Result { () throws(UnitConversion.Failure) in
            let matrix = try UnitConversion.matrix(for: unitText, sampleMatrix: sampleMatrix)
            return (matrix, try UnitConversion.factor(unitText, matrix: matrix))
        }
        unitCache[key] = conversion
        lastUnit = (key, conversion)
        if case .success(let found) = conversion {
            let canonical = found.matrix.canonicalUnit
            if matrices.insert(found.matrix.rawValue).inserted { summary.matrices.append(found.matrix.rawValue) }
            let note = cell.analyte.oxide.map { "\($0) \(unitText) → \(cell.analyte.element) \(canonical) (× \(Validate.format(cell.analyte.oxideFactor)) \($0)→\(cell.analyte.element))" }
                ?? (UnitConversion.unit(unitText)?.name == canonical ? nil : "\(unitText) → \(canonical)")
            if let note, conversions.insert(note).inserted { summary.unitConversions.append(note) }
        }
        return conversion
    }

    /// Analyte lines and elements in the summary, in file order.
    private func noteAnalyte(_ analyte: AnalyteName) {
        guard seenAnalytes.insert(analyte).inserted else { return }
        if analyteKeys.insert(analyte.key).inserted { summary.analytes.append(analyte.key) }
        if elements.insert(analyte.element).inserted { summary.elements.append(analyte.element) }
    }
}
