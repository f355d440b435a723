import Foundation

/// How a lab sheet is imported.
public struct SheetImportOptions: Sendable {
    /// Run everything inside a transaction that is always rolled back; report what would be written.
    public var dryRun = false
    /// Replace the earlier import of this file (same content, else the latest active batch of
    /// the same kind and file name): register-type records are updated by code, values of the
    /// old batch are retired, records the new file no longer has are deleted unless referenced.
    public var replace = false
    /// The field delimiter; nil = detect `,` `;` or tab from the first lines.
    public var delimiter: Character?
    /// Who imports (default: the store's operator).
    public var operatorName: String?
    /// The file name shown in diagnostics (default: the path as given).
    public var displayName: String?
    /// Called now and then with (rows done, rows in the sheet), for a progress line.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(dryRun: Bool = false, replace: Bool = false, delimiter: Character? = nil,
                operatorName: String? = nil, displayName: String? = nil) {
        self.dryRun = dryRun; self.replace = replace; self.delimiter = delimiter
        self.operatorName = operatorName; self.displayName = displayName
    }
}

/// The same file content was imported before and `--replace` was not given.
public struct SheetAlreadyImported: Error, CustomStringConvertible, Sendable {
    public let fileName: String
    public let batch: ImportBatch
    public var description: String {
        "\(fileName) was already imported as batch \(batch.id) (\(batch.kind) sheet \(batch.fileName), "
            + "\(batch.importedAt) by \(batch.operatorName)) with the same content (SHA-256 \(batch.sha256.prefix(12))…); "
            + "nothing was written. Use --replace to replace that batch"
    }
}

/// Imports one lab sheet file (`lims import KIND FILE`, and `lims demo` from code):
///
/// ```swift
/// let summary = try SheetImport(store: store, importer: SamplesSheet(), url: url,
///                               options: SheetImportOptions(dryRun: false)).run()
/// print(summary.lines.joined(separator: "\n"))
/// ```
///
/// It reads the file with `CSVReader` (delimiter detected or given), checks the header against
/// the template, fingerprints the file (SHA-256) and refuses a second import of the same content
/// for the same kind unless `replace`. Then, in ONE write transaction: the batch row, every row
/// (each in a savepoint, so one bad row cannot leave half a record behind while the others are
/// still checked), the importer's `finish`, the replaced batch's left-overs, and the batch's counts.
/// Any row error → every diagnostic is thrown together (`ImportDiagnostics`) and nothing is written.
/// A dry run does the same and always rolls back.
public final class SheetImport {
    public let store: LabStore
    public let importer: any SheetImporter
    public let url: URL
    public let options: SheetImportOptions

    public init(store: LabStore, importer: any SheetImporter, url: URL, options: SheetImportOptions = SheetImportOptions()) {
        self.store = store
        self.importer = importer
        self.url = url
        self.options = options
    }

    /// Thrown inside the transaction to roll a dry run back, carrying its summary out.
    private struct DryRunRollback: Error { let summary: SheetImportSummary }

    /// Imports the sheet. In an .xlsx workbook (its first sheet with data) every located error names
    /// the sheet and cell (`samples.xlsx:Sheet1!C7`).
    @discardableResult
    public func run() throws -> SheetImportSummary {
        let shownName = options.displayName ?? url.path
        let sheetName = InputDocument.isWorkbook(url) ? try? InputDocument.open(url: url, displayName: shownName).sheetName : nil
        do {
            return try runReading()
        } catch let diagnostics as ImportDiagnostics {
            throw diagnostics.placed(inSheet: sheetName ?? nil, of: shownName)
        } catch let diagnostic as ImportDiagnostic {
            throw diagnostic.placed(inSheet: sheetName ?? nil, of: shownName)
        }
    }

    private func runReading() throws -> SheetImportSummary {
        let shownName = options.displayName ?? url.path
        let sheet: Sheet
        let fingerprint: FileFingerprint
        let delimiter: UInt8
        do {
            let reader = try InputDocument.open(url: url, displayName: shownName, delimiter: options.delimiter)
            if options.delimiter != nil, reader.sheetName == nil {
                // Detection checks for binary files; with a delimiter given we check here.
                let handle = try FileHandle(forReadingFrom: url)
                let head = try handle.read(upToCount: 4096) ?? Data()
                try? handle.close()
                try CSVReader.rejectBinary(Array(head), fileName: shownName)
            }
            delimiter = reader.delimiter
            sheet = try Sheet(reader: reader, columns: importer.columns)
            fingerprint = try FileFingerprint.of(url)
        } catch let diagnostic as ImportDiagnostic {
            throw ImportDiagnostics([diagnostic])
        }

        let baseName = url.lastPathComponent
        let savedOperator = store.operatorName
        if let name = options.operatorName { store.operatorName = name }
        defer { store.operatorName = savedOperator }

        do {
            return try store.write {
                // Checked under the write lock, so two lims importing the same file cannot both pass.
                let previous = try store.activeBatch(kind: importer.kind, sha256: fingerprint.sha256)
                if let previous, !options.replace {
                    throw SheetAlreadyImported(fileName: shownName, batch: previous)
                }
                var target = previous
                if options.replace, target == nil {
                    target = try store.db.firstRow("""
                        SELECT * FROM import_batch WHERE kind = ? AND file_name = ? AND status = 'active' ORDER BY id DESC
                        """, [importer.kind, baseName]).map(ImportBatch.init(row:))
                }
                let summary = try importInTransaction(sheet: sheet, fingerprint: fingerprint, delimiter: delimiter,
                                                      baseName: baseName, shownName: shownName, target: target)
                if options.dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }

    private func importInTransaction(sheet: Sheet, fingerprint: FileFingerprint, delimiter: UInt8, baseName: String,
                                     shownName: String, target: ImportBatch?) throws -> SheetImportSummary {
        // The old batch steps aside first: the same content may be active only once.
        if let target { try store.markBatchReplaced(target.id) }
        let delimiterName = delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(delimiter))
        var batch = ImportBatch(kind: importer.kind, fileName: baseName, filePath: url.standardizedFileURL.path,
                                sha256: fingerprint.sha256, fileSize: fingerprint.size, format: "sheet-csv",
                                options: JSONText.encode(["delimiter": delimiterName, "replace": options.replace,
                                                          "dry_run": options.dryRun]))
        batch.replacesBatchID = target?.id
        batch.id = try store.insertBatch(batch)
        let context = SheetImportContext(store: store, batchID: batch.id, importer: importer, replacing: target,
                                         replaceRequested: options.replace, fileName: shownName)
        if options.replace && target == nil {
            context.warn(nil, "--replace: no earlier import of \(baseName) as \(importer.kind); existing records are updated by their codes")
        }
        if sheet.rows.isEmpty { context.warn(nil, "the file has a header but no rows; nothing to import") }
        var diagnostics: [ImportDiagnostic] = []
        do {
            try importer.prepare(context: context)
        } catch {
            diagnostics += locate(error, line: 1, fileName: shownName)
        }
        let checkedRows = importer.checksRowsBeforeWriting
        for (index, sheetRow) in sheet.rows.enumerated() {
            if index & 0xFF == 0 { options.progress?(index, sheet.rows.count) }
            // Every bad cell of the row is reported, not only the first (see CellProblems).
            var row = sheetRow
            let problems = CellProblems()
            row.cellProblems = problems
            do {
                if checkedRows {
                    try importer.importRow(row, context: context)
                    try problems.throwIfAny()
                } else {
                    try store.db.writeTransaction {
                        try importer.importRow(row, context: context)
                        try problems.throwIfAny()
                    }
                }
            } catch let error as DatabaseError where error.isDiskFull || error.isBusy || error.isReadOnly
                        || error.resultCode == 10 /* SQLITE_IOERR */ {
                // The database itself failed (full disk, I/O, lock): the whole import stops here
                // with that one error instead of one line per remaining row.
                throw error
            } catch let error where checkedRows && problems.diagnostics.isEmpty
                        && !(error is ImportDiagnostic || error is ImportDiagnostics) {
                // A row without a savepoint failed after its checks, perhaps half-written: later
                // rows would be checked against that half, so the import stops (nothing is written).
                throw ImportDiagnostics(diagnostics + locate(error, line: row.line, fileName: shownName))
            } catch {
                let thrownByDatabase = !(error is ImportDiagnostic || error is ImportDiagnostics)
                diagnostics += problems.merged(with: locate(error, line: row.line, fileName: shownName),
                                               thrownByDatabase: thrownByDatabase)
            }
        }
        if diagnostics.isEmpty {
            do {
                // Left-overs go first so that finish() (e.g. mass %) sees the final set of records.
                if let target { try removeLeftovers(of: target, context: context) }
                try importer.finish(context: context)
            } catch {
                diagnostics += locate(error, line: 1, fileName: shownName)
            }
        }
        options.progress?(sheet.rows.count, sheet.rows.count)
        if !diagnostics.isEmpty { throw ImportDiagnostics(diagnostics) }

        batch.rowCount = sheet.rows.count
        batch.valueCount = context.counts.values > 0 ? context.counts.values : context.counts.inserted + context.counts.updated
        batch.sampleCount = context.sampleIDs.count
        batch.censoredCount = context.counts.censored
        batch.warnings = context.warnings
        try store.finishBatch(batch)
        return SheetImportSummary(kind: importer.kind, fileName: shownName, batchID: batch.id, dryRun: options.dryRun,
                                  sha256: fingerprint.sha256, operatorName: store.operatorName,
                                  rowCount: sheet.rows.count, counts: context.counts, sampleCount: context.sampleIDs.count,
                                  replacedBatchID: target?.id, warnings: context.warnings, actions: context.actions,
                                  changeCount: context.changeCount, tableCounts: context.tableCounts.list)
    }

    /// Records created by the replaced batch (or the batches it replaced) that the new file
    /// does not have: deleted when nothing refers to them, kept with a warning otherwise.
    private func removeLeftovers(of target: ImportBatch, context: SheetImportContext) throws {
        var chain: [Int64] = []
        var next: Int64? = target.id
        while let id = next, !chain.contains(id) {
            chain.append(id)
            next = try store.batch(id: id)?.replacesBatchID
        }
        let chainJSON = "[" + chain.map(String.init).joined(separator: ",") + "]"
        for table in importer.ownedTables {
            let ids = try store.db.rows("""
                SELECT DISTINCT record_id FROM audit_log
                WHERE action = 'insert' AND table_name = ? AND record_id IS NOT NULL
                  AND batch_id IN (\(store.db.dialect.jsonArrayElements("?", integers: true)))
                ORDER BY record_id DESC
                """, [table, chainJSON]).compactMap { $0.int64("record_id") }
            for id in ids where context.touched[table]?[id] == nil {
                guard let existing = try store.db.firstRow("SELECT * FROM \(table) WHERE id = ?", [id]) else { continue }
                let snapshot = context.snapshot()
                do {
                    try store.db.writeTransaction { try importer.deleteLeftover(table: table, id: id, context: context) }
                } catch let error as DatabaseError where error.isConstraintViolation {
                    context.restore(snapshot)
                    let label = try context.label(table: table, row: existing)
                    context.counts.kept += 1
                    context.note("keep", table: table, label: label, line: nil, detail: "other data refer to it")
                    context.warn(nil, "\(label) came from batch \(target.id) and is not in the new file, "
                                 + "but other data refer to it (results, sub-samples …); it was kept")
                }
            }
        }
    }

    /// Any error of a row as located diagnostics.
    private func locate(_ error: Error, line: Int, fileName: String) -> [ImportDiagnostic] {
        switch error {
        case let diagnostic as ImportDiagnostic: return [diagnostic]
        case let list as ImportDiagnostics: return list.diagnostics
        case let error as DatabaseError where error.isConstraintViolation:
            return [ImportDiagnostic(file: fileName, line: line, message: "the database refused this row: \(error.message)")]
        default:
            return [ImportDiagnostic(file: fileName, line: line, message: String(describing: error))]
        }
    }
}
