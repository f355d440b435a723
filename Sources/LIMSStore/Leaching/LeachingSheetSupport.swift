import Foundation

/// Shared lookups of the leaching and seepage sheets; every failure is a located `ImportDiagnostic`.
enum LeachingSheetSupport {
    struct SampleRef {
        let id: Int64
        let code: String
        let type: String
        let parentID: Int64?
    }

    static func sample(_ row: SheetRow, _ column: String, _ store: LabStore) throws -> SampleRef {
        let code = try row.requiredText(column)
        // Matched ignoring case, as everywhere (LabStore.registeredCode).
        let registered = try store.registeredCode(.sample, matching: code)
        guard let registered,
              let found = try store.db.firstRow("SELECT id, code, type, parent_id FROM sample WHERE code = ?", [registered]) else {
            let hints = try store.suggestions(table: .sample, for: code)
            throw row.error(column, "sample \"\(code)\" does not exist"
                + (hints.isEmpty ? "" : "; did you mean " + hints.map { "\"\($0)\"" }.joined(separator: ", ") + "?")
                + " (register it first with `lims sample add` or the samples sheet)")
        }
        return SampleRef(id: found.int64("id") ?? 0, code: registered, type: found.string("type") ?? "",
                         parentID: found.int64("parent_id"))
    }

    static func run(_ row: SheetRow, _ column: String, _ store: LabStore) throws -> LeachingRun {
        let code = try row.requiredText(column)
        do {
            return try store.requireLeachingRun(code: code)
        } catch let error as StoreError {
            throw row.error(column, error.description + " (import it first with the leaching-runs sheet)")
        }
    }

    static func seepageTest(_ row: SheetRow, _ column: String, _ store: LabStore) throws -> SeepageTest {
        let code = try row.requiredText(column)
        do {
            return try store.requireSeepageTest(code: code)
        } catch let error as StoreError {
            throw row.error(column, error.description + " (import it first with the seepage-tests sheet)")
        }
    }

    /// A concentration cell as written in a lab sheet: `0.52`, `<0.001` (below detection, DL kept),
    /// `>50` (over range), `nd`, `nm`, `na`. Below-detection values keep no number: never zero.
    struct QualifiedValue: Equatable {
        let qualifier: String
        let value: Double?
        let detectionLimit: Double?
    }

    static func qualifiedValue(_ row: SheetRow, _ column: String, unit: String) throws -> QualifiedValue? {
        guard let raw = row.text(column) else { return nil }
        let lower = raw.lowercased()
        switch lower {
        case "nd", "n.d.": return QualifiedValue(qualifier: "nd", value: nil, detectionLimit: nil)
        case "nm", "n.m.": return QualifiedValue(qualifier: "nm", value: nil, detectionLimit: nil)
        case "na", "n/a", "n.a.": return QualifiedValue(qualifier: "na", value: nil, detectionLimit: nil)
        default: break
        }
        let expected = "a number in \(unit), <DL (below detection), >value, nd, nm or na"
        if raw.hasPrefix("<") || raw.hasPrefix(">") {
            let number = raw.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let value = DecimalNumber.double(number), value >= 0 else {
                throw row.error(column, value: raw, expected: expected)
            }
            return raw.hasPrefix("<") ? QualifiedValue(qualifier: "<", value: nil, detectionLimit: value)
                                      : QualifiedValue(qualifier: ">", value: value, detectionLimit: nil)
        }
        guard let value = DecimalNumber.double(raw) else { throw row.error(column, value: raw, expected: expected) }
        guard value >= 0 else { throw row.error(column, value: raw, expected: "a concentration ≥ 0 \(unit)") }
        return QualifiedValue(qualifier: "=", value: value, detectionLimit: nil)
    }

    /// A number given either as an area (cm²) or as a diameter (cm) in a second column.
    static func area(_ row: SheetRow, areaColumn: String, diameterColumn: String) throws -> Double {
        let area = try row.number(areaColumn, unit: "cm2", minimum: 0, exclusiveMinimum: true)
        let diameter = try row.number(diameterColumn, unit: "cm", minimum: 0, exclusiveMinimum: true)
        switch (area, diameter) {
        case (let a?, nil): return a
        case (nil, let d?): return Double.pi * d * d / 4
        case (_?, _?): throw row.error(diameterColumn, "give either \(areaColumn) or \(diameterColumn), not both")
        case (nil, nil): throw row.error(areaColumn, value: "", expected: "an area in cm2 (or \(diameterColumn) in cm)")
        }
    }

    /// Runs one insert and turns a constraint failure into a diagnostic on this row.
    static func insert<T>(_ row: SheetRow, column: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.isConstraintViolation {
            throw row.error(column, "the row was refused by the database (\(error.message))")
        }
    }
}
