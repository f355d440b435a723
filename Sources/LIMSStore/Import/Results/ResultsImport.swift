import Foundation

/// Imports one instrument export or results sheet: reads it streaming, matches sample names,
/// converts units, and writes an import batch, its measurements and its QC rows in ONE transaction.
/// Any error rolls everything back; `plan()` runs the same work and rolls back (a dry run).
///
///     let summary = try ResultsImport(store: store, url: url, options: options).run()
public final class ResultsImport {
    public let store: LabStore
    public let url: URL
    public let options: ResultsImportOptions

    public init(store: LabStore, url: URL, options: ResultsImportOptions = ResultsImportOptions()) {
        self.store = store
        self.url = url
        self.options = options
    }

    /// What would be written; writes nothing.
    public func plan() throws -> ImportSummary { try execute(dryRun: true) }

    /// Imports the file and returns what was written.
    @discardableResult
    public func run() throws -> ImportSummary { try execute(dryRun: false) }

    /// Thrown inside the transaction to roll a dry run back, carrying its summary out.
    private struct DryRunFinished: Error { let summary: ImportSummary }

    /// At most this many located errors are listed (the rest are counted).
    static let maxDiagnostics = 100

    private func execute(dryRun: Bool) throws -> ImportSummary {
        let displayName = options.displayName ?? url.path
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ImportDiagnostic(file: displayName, line: 1, column: nil, message: "no such file")
        }
        if let dilution = options.dilution, !(dilution > 0 && dilution.isFinite) {
            throw StoreError.invalidValue(field: "dilution", value: Validate.format(dilution), expected: "a factor > 0")
        }
        let fingerprint = try FileFingerprint.of(url)
        var existing = try store.activeBatch(kind: "results", sha256: fingerprint.sha256)
        if let batch = existing, !options.replace {
            throw ImportDiagnostic(file: displayName, line: 1, column: nil,
                message: "this file was already imported as batch \(batch.id) on \(batch.importedAt) by \(batch.operatorName) "
                    + "(same SHA-256 \(batch.sha256.prefix(12))…); nothing was written. Use --replace to replace that batch's values")
        }
        if existing == nil, options.replace {
            existing = try store.db.firstRow("""
                SELECT * FROM import_batch WHERE kind = 'results' AND status = 'active' AND file_name = ?
                ORDER BY id DESC LIMIT 1
                """, [url.lastPathComponent]).map(ImportBatch.init(row:))
        }
        var dateOrder = options.dateOrder
        var dateOrderIsExplicit = options.dateOrderIsExplicit
        var dateOrderNote: String?
        // An import profile replaces detection (GenericProfileReader); its name is the batch's format.
        let profile = try options.profile.map { try store.requireImportProfile(named: $0).profile }
        while true {
            let opened: ResultsFormat.Opened
            if let profile {
                let (context, reader) = try GenericProfileReader.open(url: url, displayName: displayName, profile: profile,
                                                                      delimiter: options.delimiter, dateOrder: dateOrder, sheet: options.sheet)
                opened = ResultsFormat.Opened(format: .long, reason: "--profile \(profile.name)", context: context, reader: reader)
            } else {
                opened = try ResultsFormat.open(url: url, displayName: displayName, options: options,
                                                dateOrder: dateOrder, dateOrderIsExplicit: dateOrderIsExplicit)
            }
            do {
                return try store.write {
                    var summary = try write(opened, profile: profile?.name, fingerprint: fingerprint, replacing: existing,
                                            dryRun: dryRun, extraWarnings: dateOrderNote.map { [$0] } ?? [])
                    summary.dryRun = dryRun
                    if dryRun { throw DryRunFinished(summary: summary) }
                    return summary
                }
            } catch let finished as DryRunFinished {
                return finished.summary
            } catch let evidence as DateOrderEvidence {
                // Rolled back; read the whole file again in the order its dates prove.
                dateOrder = evidence.order
                dateOrderIsExplicit = true
                dateOrderNote = "dates read as \(evidence.order.rawValue): \"\(evidence.text)\" (line \(evidence.line), column \(evidence.column)) has a day > 12 "
                    + "where \(InstrumentDate.otherOrder(evidence.order)?.rawValue ?? "") expects the month; give --date-order to fix the order"
            } catch let diagnostics as ImportDiagnostics where diagnostics.readerNote == nil {
                throw diagnostics.placed(inSheet: opened.sheetName, of: displayName)
                    .noting(readerName: profile.map { "read with import profile \($0.name)" } ?? "read as \(opened.format.displayName)",
                            reason: opened.reason)
            } catch let diagnostic as ImportDiagnostic {
                throw diagnostic.placed(inSheet: opened.sheetName, of: displayName)
            }
        }
    }

    // MARK: Writing

    private struct UnitKey: Hashable {
        let unit: String
        let matrix: UnitConversion.Matrix?
        let oxide: String?
    }

    private struct RunState {
        var run = -1
        var qcSampleID: Int64?
        var sample: SampleMatcher.Match?
        var unmatchedName: String?
    }

    private func write(_ opened: ResultsFormat.Opened, profile: String?, fingerprint: FileFingerprint, replacing: ImportBatch?,
                       dryRun: Bool, extraWarnings: [String]) throws -> ImportSummary {
        let format = opened.format, context = opened.context, reader = opened.reader
        let db = store.db
        var summary = ImportSummary()
        summary.fileName = url.lastPathComponent
        summary.sha256 = fingerprint.sha256
        summary.format = format
        summary.formatReason = opened.reason
        summary.sheetName = opened.sheetName
        for note in opened.notes { context.warn(note) }
        summary.profile = profile
        for warning in extraWarnings { context.warn(warning) }
        summary.instrument = options.instrument
        summary.dilution = options.dilution

        if let old = replacing {
            try store.markBatchReplaced(old.id)
            try db.execute("UPDATE measurement SET status = 'retired' WHERE batch_id = ? AND status = 'valid'", [old.id])
            let retired = db.changes
            try store.audit(action: "retire", table: "measurement", recordID: nil, batchID: old.id,
                            summary: "retired \(retired) values of batch \(old.id) (\(old.fileName)): replaced by a new import",
                            reason: "lims import results --replace")
            summary.replacedBatchID = old.id
        } else if options.replace {
            context.warn("--replace: no earlier import of this file was found; imported as a new batch")
        }
        let delimiterName = context.csv.sheetName.map { "xlsx sheet \($0)" }
            ?? (context.csv.delimiter == UInt8(ascii: "\t") ? "tab" : String(Character(Unicode.Scalar(context.csv.delimiter))))
        var batch = ImportBatch(kind: "results", fileName: url.lastPathComponent, filePath: url.path, sha256: fingerprint.sha256,
                                fileSize: fingerprint.size, format: profile.map { "profile:\($0)" } ?? format.rawValue,
                                instrument: options.instrument,
                                matrix: options.matrix?.rawValue,
                                options: JSONText.encode(["delimiter": delimiterName, "date_order": context.dateOrder.rawValue,
                                                          "reader": opened.reason, "unit": options.unit as Any,
                                                          "istd": options.internalStandards.sorted(),
                                                          "dilution": options.dilution as Any, "matrix": options.matrix?.rawValue as Any,
                                                          "allow_unmatched": options.allowUnmatched, "profile": profile as Any,
                                                          "apply_name_dilution": options.applyNameDilution]))
        batch.replacesBatchID = replacing?.id
        batch.id = try store.insertBatch(batch)

        let matcher = try SampleMatcher(store: store)
        let classifier = try QCClassifier(store: store)  // the lab's QC rules (qc_name_rule), read once
        var nameDilutions = 0
        let insertMeasurement = try db.cachedStatement("""
            INSERT INTO measurement (sample_id, unmatched_name, batch_id, analyte, isotope, wavelength_nm, mode, source_label,
                                     value, raw_text, unit, original_value, original_unit, qualifier, detection_limit, method,
                                     matrix, dilution_factor, flags, measured_at, source_row, source_column, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // One timestamp for the whole batch: computing the column default per row costs ~20 % of an import.
        let createdAt = Timestamp.now()
        let insertQCSample = try db.cachedStatement("""
            INSERT INTO qc_sample (batch_id, label, qc_type, crm_name, duplicate_of, position, measured_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """)
        let insertQCMeasurement = try db.cachedStatement("""
            INSERT INTO qc_measurement (qc_sample_id, analyte, isotope, wavelength_nm, mode, source_label, value, raw_text, unit,
                                        original_value, original_unit, qualifier, detection_limit, source_row, source_column)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)

        let insertInternalStandard = try db.cachedStatement("""
            INSERT INTO internal_standard_reading (batch_id, sample_id, qc_sample_id, label, analyte, isotope, wavelength_nm, mode,
                                                   source_label, quantity, value, raw_text, unit, qualifier, source_row, source_column)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)

        var state = RunState()
        var position = 0
        var matched = Set<String>(), unmatched = Set<String>(), analyteKeys = Set<String>(), elements = Set<String>()
        var matrices = Set<String>(), conversions = Set<String>(), reported = Set<String>()
        var firstUnmatched: [String: (line: Int, column: Int)] = [:]
        var unitCache: [UnitKey: Result<(matrix: UnitConversion.Matrix, factor: Double), UnitConversion.Failure>] = [:]
        var seenAnalytes = Set<AnalyteName>()
        var sampleLabels = Set<String>()
        var cells = 0
        let dilution = options.dilution

        // The file is read and parsed on a second thread from here on; the context is the
        // reader's until `finish()` (problems found here are merged into it in file order).
        let pipeline = CellPipeline(reader: reader, context: context)
        defer { pipeline.stop() }
        func problem(_ key: String, _ cell: ResultCell, atUnit: Bool = false, _ message: String) {
            guard reported.insert(key).inserted else { return }
            pipeline.deferError(line: cell.line, column: atUnit ? (cell.unitColumn ?? cell.column) : cell.column, message)
        }

        while let cell = try pipeline.next() {
            cells += 1
            if cells & 0xFFFF == 0 { options.progress?(pipeline.bytesRead, fingerprint.size) }
            if cell.run != state.run {
                state = RunState(run: cell.run)
                position += 1
                var qc = classifier.classify(label: cell.label, type: cell.sampleType)
                let match = qc == nil ? matcher.match(cell.label) : nil
                if qc == nil, match == nil, let base = gluedDuplicateBase(cell.label, seen: sampleLabels) {
                    // `ZK5-1-H01D` after `ZK5-1-H01` in the same run: a duplicate (`GA02D` alone stays a name).
                    qc = QCClassifier.QC(type: "duplicate", duplicateOf: base)
                }
                if let qc {
                    if dryRun {
                        state.qcSampleID = -1  // counted, not written
                    } else {
                        state.qcSampleID = try insertQCSample.insert([batch.id, cell.label, qc.type, qc.crmName, qc.duplicateOf, position, cell.measuredAt])
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

            if case .internalStandard(let quantity) = cell.role {
                // QC data of the run: kept as read (a recovery % or an intensity), never converted or reported.
                if !dryRun {
                    try insertInternalStandard.execute([batch.id, state.qcSampleID == nil ? state.sample?.id : nil,
                                                        state.qcSampleID, cell.label, cell.analyte.element, cell.analyte.isotope,
                                                        cell.analyte.wavelengthNm, cell.analyte.mode, cell.analyte.sourceLabel,
                                                        quantity, cell.value.value, cell.value.raw, cell.unit,
                                                        cell.value.qualifier.rawValue, cell.line, cell.column])
                }
                summary.internalStandardReadings += 1
                continue
            }
            // Unit and matrix → canonical unit.
            guard let unitText = (cell.unit?.trimmedASCII).flatMap({ $0.isEmpty ? nil : $0 }) ?? options.unit else {
                problem("nounit:\(cell.column)", cell, "\(cell.analyte.displayLabel): no unit; expected a unit in the header (e.g. \"La 139 (mg/L)\") or a unit column, or give --unit (\(UnitConversion.acceptedList))")
                continue
            }
            let sampleMatrix: UnitConversion.Matrix? = state.sample?.matrix == .solution ? .solution : (options.matrix ?? format.impliedMatrix)
            let unitKey = UnitKey(unit: unitText, matrix: sampleMatrix, oxide: cell.analyte.oxide)
            let conversion: Result<(matrix: UnitConversion.Matrix, factor: Double), UnitConversion.Failure>
            if let cached = unitCache[unitKey] {
                conversion = cached
            } else {
                conversion = Result { () throws(UnitConversion.Failure) in
                    let matrix = try UnitConversion.matrix(for: unitText, sampleMatrix: sampleMatrix)
                    return (matrix, try UnitConversion.factor(unitText, matrix: matrix))
                }
                unitCache[unitKey] = conversion
                if case .success(let found) = conversion {
                    // Said once per unit in the summary.
                    let canonical = found.matrix.canonicalUnit
                    if matrices.insert(found.matrix.rawValue).inserted { summary.matrices.append(found.matrix.rawValue) }
                    let note = cell.analyte.oxide.map { "\($0) \(unitText) → \(cell.analyte.element) \(canonical) (× \(Validate.format(cell.analyte.oxideFactor)) \($0)→\(cell.analyte.element))" }
                        ?? (UnitConversion.unit(unitText)?.name == canonical ? nil : "\(unitText) → \(canonical)")
                    if let note, conversions.insert(note).inserted { summary.unitConversions.append(note) }
                }
            }
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
                continue
            }
            var value = cell.value
            let original = value.value
            // Dilution: --dilution × the row's (profile dilution column) × a name suffix when --apply-name-dilution.
            var rowDilution = dilution
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
            if seenAnalytes.insert(analyte).inserted {
                if analyteKeys.insert(analyte.key).inserted { summary.analytes.append(analyte.key) }
                if elements.insert(analyte.element).inserted { summary.elements.append(analyte.element) }
            }
            if value.qualifier != .measured { summary.qualifiers[value.qualifier.rawValue, default: 0] += 1 }
            if let number = original, number < 0 { summary.negativeValues += 1 }

            if let qcID = state.qcSampleID {
                if !dryRun { try insertQCMeasurement.execute([qcID, analyte.element, analyte.isotope, analyte.wavelengthNm, analyte.mode,
                                                 analyte.sourceLabel, value.value, value.raw, canonical, original, unitText,
                                                 value.qualifier.rawValue, value.detectionLimit, cell.line, cell.column]) }
                summary.qcValues += 1
                continue
            }
            if state.sample == nil {
                summary.unmatchedValues += 1
                if !options.allowUnmatched { continue }
            }
            if !dryRun { try insertMeasurement.execute([state.sample?.id, state.sample == nil ? state.unmatchedName : nil, batch.id,
                                           analyte.element, analyte.isotope, analyte.wavelengthNm, analyte.mode, analyte.sourceLabel,
                                           value.value, value.raw, canonical, original, unitText, value.qualifier.rawValue,
                                           value.detectionLimit, method, matrix.rawValue, rowDilution, value.flags, cell.measuredAt,
                                           cell.line, cell.column, createdAt]) }
            summary.sampleValues += 1
        }
        pipeline.finish()
        options.progress?(context.csv.bytesRead, fingerprint.size)

        if let ambiguous = context.ambiguousDate, let other = InstrumentDate.otherOrder(context.dateOrder) {
            context.warn("dates such as \"\(ambiguous.text)\" read as \(context.dateOrder.rawValue) (\(ambiguous.iso)): no day > 12 in the file decides; "
                         + "give --date-order \(other.rawValue) if the instrument wrote them \(other == .mdy ? "month" : "day") first")
        }
        summary.dataRows = context.dataRows
        summary.skippedRows = context.skippedRows
        summary.skippedCells = context.skippedCells
        summary.internalStandards = context.internalStandards
        summary.warnings = context.warnings
        if context.dataRows == 0 && context.diagnostics.isEmpty {
            context.error(line: 1, column: nil, "the file has a header but no data rows (truncated file?)")
        }
        if summary.negativeValues > 0 {
            summary.warnings.append("\(summary.negativeValues) negative values kept as measured (not set to zero or censored)")
        }
        if let unnamed = summary.qcRows["other"] {
            summary.warnings.append("\(unnamed) rows without a sample name (e.g. MassHunter \"0\") kept as QC rows of type other")
        }
        if !summary.unmatchedNames.isEmpty && options.allowUnmatched {
            summary.warnings.append("\(summary.unmatchedNames.count) names match no registered sample: kept as unmatched records (sample_id NULL)")
        }
        if nameDilutions > 0 {
            summary.warnings.append("\(nameDilutions) rows matched a sample after removing a dilution suffix from the name (e.g. \"X x10\" → X): "
                + (options.applyNameDilution ? "values multiplied by it (--apply-name-dilution)" : "flagged, values NOT multiplied (give --apply-name-dilution to multiply)"))
        }
        if !summary.skippedCells.isEmpty {
            summary.warnings.append("\(summary.skippedCells.values.reduce(0, +)) cells of intensity/precision/internal-standard columns not imported (concentrations only)")
        }

        if !context.diagnostics.isEmpty {
            var list = Array(context.diagnostics.prefix(Self.maxDiagnostics))
            let more = context.diagnostics.count - list.count + context.uncountedErrors
            if more > 0, let last = list.last {
                list.append(ImportDiagnostic(file: last.file, line: last.line, column: last.column,
                                             message: "… and \(more) more errors not shown"))
            }
            throw ImportDiagnostics(list)
        }
        if !summary.unmatchedNames.isEmpty && !options.allowUnmatched && !dryRun {
            throw UnmatchedSamplesError(file: context.fileName, names: summary.unmatchedNames.map { name in
                (name, firstUnmatched[name]?.line ?? 1, firstUnmatched[name]?.column ?? 1)
            }, values: summary.unmatchedValues)
        }
        if !summary.unmatchedNames.isEmpty && !options.allowUnmatched && dryRun {
            summary.dryRunStop = "\(summary.unmatchedNames.count) names match no registered sample (register them, or use --allow-unmatched)"
            summary.warnings.append("a real import would stop: \(summary.dryRunStop!)")
        }

        batch.rowCount = context.dataRows
        batch.valueCount = summary.sampleValues + summary.qcValues
        batch.sampleCount = summary.sampleCount
        batch.qcCount = summary.qcRowCount
        batch.censoredCount = summary.censoredCount
        batch.unmatchedCount = summary.unmatchedNames.count
        batch.warnings = summary.warnings
        if summary.matrices.count == 1 && batch.matrix == nil {
            batch.matrix = summary.matrices[0]
            try db.execute("UPDATE import_batch SET matrix = ? WHERE id = ?", [batch.matrix, batch.id])
        }
        try store.finishBatch(batch)
        summary.batchID = dryRun ? nil : batch.id
        return summary
    }
}

/// `X-12D` is a duplicate of `X-12` when `X-12` was measured earlier in the run (upper-cased labels in `seen`).
func gluedDuplicateBase(_ label: String, seen: Set<String>) -> String? {
    let trimmed = label.trimmedASCII
    guard trimmed.count > 1, trimmed.last == "D" || trimmed.last == "d" else { return nil }
    let base = String(trimmed.dropLast())
    return seen.contains(base.uppercased()) ? base : nil
}

/// Names of an instrument run that match no registered sample: the import stops (nothing written)
/// unless `--allow-unmatched`.
public struct UnmatchedSamplesError: DiagnosticError {
    public let file: String
    public let names: [(name: String, line: Int, column: Int)]
    public let values: Int

    public var diagnosticLines: [String] {
        names.prefix(50).map { "\(file):\($0.line):\($0.column): error: sample \"\($0.name)\" is not registered (no sample or extract has this code)" }
            + (names.count > 50 ? ["… and \(names.count - 50) more unmatched names"] : [])
            + ["\(names.count) unmatched name(s), \(values) values; nothing was written. Register the samples (lims sample add, lims import samples) or import with --allow-unmatched to keep them as unmatched records"]
    }
}
