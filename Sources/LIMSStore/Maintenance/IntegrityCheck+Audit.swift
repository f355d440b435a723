import Foundation

/// The checks of issue 16: the audit log's hash chain and triggers, and stored values
/// against the number and unit they were imported as.
extension IntegrityCheck {
    /// Dropped append-only triggers and every row that breaks the hash chain, by id.
    func auditChain(_ db: Database) throws -> [IntegrityProblem] {
        var problems = try AuditChain.missingTriggers(db).map {
            IntegrityProblem(.audit, "the trigger \($0) that keeps audit_log append-only is missing or refuses nothing (dropped or replaced?)")
        }
        guard try AuditChain.isPresent(db) else { return problems }
        problems += try AuditChain.verify(db).map { IntegrityProblem(.audit, $0) }
        return problems
    }

    /// Relative difference allowed between a stored value and original × unit × oxide × dilution
    /// (the import computes exactly this product in Double; 1e-9 leaves room for rounding only).
    static let valueTolerance = 1e-9

    /// Measurements whose value is not original_value × unit factor × oxide factor × dilution.
    /// Values written by `lims result correct` are skipped: their number is the corrected one.
    func storedValues(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        // Labels and units repeat over millions of rows: parse each spelling once.
        var oxideFactors: [String: Double] = [:]
        var unitFactors: [String: Double?] = [:]
        try db.cachedStatement("""
            SELECT id, analyte, source_label, value, unit, original_value, original_unit, dilution_factor
            FROM measurement
            WHERE value IS NOT NULL AND original_value IS NOT NULL AND original_unit IS NOT NULL
              AND id NOT IN (SELECT superseded_by FROM measurement WHERE superseded_by IS NOT NULL)
            ORDER BY id
            """).forEachRow([]) { row in
            guard let value = row.double("value"), let original = row.double("original_value"),
                  let unitText = row.string("original_unit") else { return }
            if unitFactors[unitText] == nil { unitFactors[unitText] = .some(UnitConversion.unit(unitText)?.factor) }
            guard let factor = unitFactors[unitText] ?? nil else { return }
            let label = row.string("source_label") ?? ""
            if oxideFactors[label] == nil { oxideFactors[label] = AnalyteName.parse(label)?.oxideFactor ?? 1 }
            let oxide = oxideFactors[label] ?? 1
            let dilution = row.double("dilution_factor") ?? 1
            let expected = original * factor * oxide * dilution
            let scale = max(abs(expected), abs(value))
            if abs(value - expected) > Self.valueTolerance * scale {
                let id = row.int64("id") ?? 0
                problems.append(IntegrityProblem(.values, "measurement \(id) (\(row.string("analyte") ?? "?")): value "
                    + "\(Validate.format(value)) \(row.string("unit") ?? "") but it was imported as \(Validate.format(original)) \(unitText)"
                    + (oxide != 1 ? " × oxide factor \(Validate.format(oxide))" : "")
                    + (dilution != 1 ? " × dilution \(Validate.format(dilution))" : "")
                    + " = \(Validate.format(expected)) \(row.string("unit") ?? ""): the stored value was changed outside lims"))
            }
        }
        return problems
    }
}
