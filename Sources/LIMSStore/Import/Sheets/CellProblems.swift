/// The cells of one sheet row that could not be read (a number that is not one, a date that does
/// not exist …). The runner gives each row one, so that a technician sees every bad cell of a
/// row in one pass instead of one per try; the row is refused once its importer is done with it.
final class CellProblems {
    var diagnostics: [ImportDiagnostic] = []

    /// Throws the noted problems, if any (the row is refused; in its savepoint nothing stays).
    func throwIfAny() throws {
        if !diagnostics.isEmpty { throw ImportDiagnostics(diagnostics) }
    }

    /// What to report for a row whose importer threw `thrown` after these problems were noted:
    /// the noted ones and the thrown ones in column order, without a thrown one about a cell
    /// already noted (a bad number read as empty then "required") nor an error of the database
    /// (a consequence of a bad cell read as empty).
    func merged(with thrown: [ImportDiagnostic], thrownByDatabase: Bool) -> [ImportDiagnostic] {
        guard !diagnostics.isEmpty else { return thrown }
        if thrownByDatabase { return diagnostics }
        let noted = Set(diagnostics.map { $0.column ?? 0 })
        let extra = thrown.filter { $0.column.map { !noted.contains($0) } ?? true }
        return (diagnostics + extra).enumerated().sorted { a, b in
            let (x, y) = (a.element.column ?? Int.max, b.element.column ?? Int.max)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}
