/// A kind of lab sheet (`samples`, `extractions`, `pois` …): its template columns and how
/// one row is written. The sheet import runner (see `SheetImport`) reads the file, opens
/// one transaction and an import batch, calls `importRow` for every row, collects every
/// row's diagnostics, and commits only when there are none.
///
/// Implement ONE of the two `importRow` forms: the short one (store + batch id) for a simple
/// sheet, or the one taking a `SheetImportContext` to count records, register samples, report
/// warnings and honour `--replace` (see `SheetImportContext.save`). Each calls the other by default.
public protocol SheetImporter: Sendable {
    /// The word used on the command line: `lims import KIND FILE`, `lims template KIND`.
    var kind: String { get }
    /// One line for help and the template header.
    var summary: String { get }
    var columns: [SheetColumn] { get }
    /// Writes one row. Called inside the import transaction; throw `row.error(...)`
    /// (an `ImportDiagnostic`) for a bad value or a missing reference.
    func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws
    /// Writes one row with the import's context (counts, warnings, replace mode).
    func importRow(_ row: SheetRow, context: SheetImportContext) throws
    /// Runs once inside the transaction after the batch row is written and before the first row
    /// (value sheets retire the replaced batch's values here).
    func prepare(context: SheetImportContext) throws
    /// Runs once after every row was written without an error (e.g. mass % of size fractions).
    func finish(context: SheetImportContext) throws
    /// Tables whose rows this sheet creates, children first. With `--replace`, rows that the
    /// replaced batch created and the new file no longer has are deleted from these tables
    /// when nothing else refers to them (kept with a warning otherwise).
    var ownedTables: [String] { get }
    /// Deletes one such left-over row (default: the row alone, audited).
    func deleteLeftover(table: String, id: Int64, context: SheetImportContext) throws
    /// True when `importRow` checks everything about a row before its first write, so that a row
    /// refused with a diagnostic (`ImportDiagnostic`) has written nothing. The runner then needs no
    /// savepoint per row (a savepoint copies every page the row touches into SQLite's sub-journal:
    /// most of the time of a large samples sheet). Any other error from such a row (a database
    /// refusal the checks did not foresee) may leave the row half-written, so it ends the import.
    /// Default: false (each row in its own savepoint).
    var checksRowsBeforeWriting: Bool { get }
}

extension SheetImporter {
    public func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
        let context = SheetImportContext(store: store, batchID: batchID, importer: self, replacing: nil,
                                         replaceRequested: false, fileName: row.layout.fileName)
        try importRow(row, context: context)
    }

    public func importRow(_ row: SheetRow, context: SheetImportContext) throws {
        try importRow(row, store: context.store, batchID: context.batchID)
        context.counts.inserted += 1
    }

    public func prepare(context: SheetImportContext) throws {}
    public var checksRowsBeforeWriting: Bool { false }
    public func finish(context: SheetImportContext) throws {}
    public var ownedTables: [String] { [] }

    public func deleteLeftover(table: String, id: Int64, context: SheetImportContext) throws {
        try context.deleteRecord(table: table, id: id)
    }

    /// The template's column names, in order.
    public var columnNames: [String] { columns.map(\.name) }
}
