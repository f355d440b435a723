/// A kind of lab sheet (`samples`, `extractions`, `pois` …): its template columns and how
/// one row is written. The sheet import runner (see `SheetImport`) reads the file, opens
/// one transaction and an import batch, calls `importRow` for every row, collects every
/// row's diagnostics, and commits only when there are none.
public protocol SheetImporter: Sendable {
    /// The word used on the command line: `lims import KIND FILE`, `lims template KIND`.
    var kind: String { get }
    /// One line for help and the template header.
    var summary: String { get }
    var columns: [SheetColumn] { get }
    /// Writes one row. Called inside the import transaction; throw `row.error(...)`
    /// (an `ImportDiagnostic`) for a bad value or a missing reference.
    func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws
}
