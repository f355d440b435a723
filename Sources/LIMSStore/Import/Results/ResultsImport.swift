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
        let writer = try ResultsRowWriter(db: db, batchID: batch.id)

        // From here the file is read, parsed and each cell decided on a second thread (the
        // builder owns the context until `finish()`); this thread only writes the rows.
        let builder = ResultsRowBuilder(context: context, options: options, format: format, matcher: matcher,
                                        classifier: classifier, summary: summary, dryRun: dryRun)
        let pipeline = CellPipeline(reader: reader, stage: builder)
        defer { pipeline.stop() }
        var cells = 0
        while let rows = try pipeline.next() {
            if cells >> 16 != (cells + rows.cells) >> 16 { options.progress?(rows.bytesRead, fingerprint.size) }
            cells += rows.cells
            if !dryRun { try writer.write(rows) }
        }
        pipeline.finish()
        summary = builder.summary
        let nameDilutions = builder.nameDilutions, firstUnmatched = builder.firstUnmatched
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

extension ResultsImport {
    /// Cells per chunk of the reading thread, and rows per statement of BulkInsert: large enough
    /// that a statement's set-up is nothing per row, small enough (≈ 1.5 MB) to stay in the CPU caches.
    static let rowsPerWrite = 4096

    /// The columns of a measurement row in the order `ResultsRowBuilder` appends them (batch_id
    /// and created_at are the same for every row: BulkInsert constants).
    static let measurementColumns = [
        "sample_id", "unmatched_name", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "value", "raw_text",
        "unit", "original_value", "original_unit", "qualifier", "detection_limit", "method", "matrix", "dilution_factor",
        "flags", "measured_at", "source_row", "source_column",
    ]

    static let qcMeasurementColumns = [
        "qc_sample_id", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "value", "raw_text", "unit",
        "original_value", "original_unit", "qualifier", "detection_limit", "source_row", "source_column",
    ]

    /// batch_id is a BulkInsert constant.
    static let internalStandardColumns = [
        "sample_id", "qc_sample_id", "label", "analyte", "isotope", "wavelength_nm", "mode", "source_label", "quantity",
        "value", "raw_text", "unit", "qualifier", "source_row", "source_column",
    ]
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
