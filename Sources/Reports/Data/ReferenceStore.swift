import Foundation
import LIMSStore

/// Reading and writing reference compositions (`reference_composition`, `reference_value`).
public enum ReferenceStore {
    public static func all(_ store: LabStore) throws -> [ReferenceComposition] {
        let rows = try store.db.rows("SELECT * FROM reference_composition ORDER BY id")
        let stored = try rows.map { row in
            let id = row.int64("id") ?? 0
            var values: [String: Double] = [:]
            for v in try store.db.rows("SELECT element, value FROM reference_value WHERE reference_id = ?", [id]) {
                if let e = v.string("element"), let x = v.double("value") { values[e] = x }
            }
            return ReferenceComposition(code: row.string("code") ?? "", name: row.string("name") ?? "",
                                        citation: row.string("citation") ?? "", isDefault: row.int("is_default") == 1,
                                        values: values)
        }
        // The built-in references (Rudnick & Gao 2014 UCC, Pourmand 2012 PAAS, O'Neill 2016 CI) follow,
        // unless the database has a reference of that code.
        let codes = Set(stored.map { $0.code.lowercased() })
        return stored + BuiltinReferences.all.filter { !codes.contains($0.code.lowercased()) }
    }

    /// The reference with `code` (case-insensitive), or the default one when `code` is nil.
    public static func reference(_ store: LabStore, code: String?) throws -> ReferenceComposition {
        let all = try all(store)
        if let code {
            if let found = all.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) { return found }
            let close = all.map(\.code).filter { $0.lowercased().hasPrefix(String(code.lowercased().prefix(2))) }
            throw StoreError.notFound(kind: "reference composition", key: code, suggestions: close.isEmpty ? all.map(\.code) : close)
        }
        guard let found = all.first(where: \.isDefault) ?? all.first else {
            throw StoreError.notFound(kind: "reference composition", key: "(default)", suggestions: [])
        }
        return found
    }

    /// Saves new references in one transaction, with an audit entry each. An existing code is an
    /// error unless `replace` is set (then its values are replaced).
    public static func save(_ references: [ReferenceComposition], in store: LabStore, replace: Bool,
                            source: String) throws {
        try store.write {
            for reference in references {
                let existing = try store.db.scalar("SELECT id FROM reference_composition WHERE code = ?", [reference.code])?.int64
                var id: Int64
                if let existing {
                    guard replace else { throw StoreError.duplicate(kind: "reference composition", key: reference.code) }
                    try store.db.execute("UPDATE reference_composition SET name = ?, citation = ? WHERE id = ?",
                                         [reference.name, reference.citation, existing])
                    try store.db.execute("DELETE FROM reference_value WHERE reference_id = ?", [existing])
                    id = existing
                } else {
                    id = try store.db.insert("INSERT INTO reference_composition (code, name, citation) VALUES (?, ?, ?) RETURNING id",
                                             [reference.code, reference.name, reference.citation])
                }
                for element in Elements.sorted(reference.values.keys) {
                    try store.db.execute("INSERT INTO reference_value (reference_id, element, value, unit) VALUES (?, ?, ?, 'mg/kg')",
                                         [id, element, reference.values[element]!])
                }
                try store.audit(action: existing == nil ? "insert" : "replace", table: "reference_composition",
                                recordID: id, summary: "reference composition \(reference.code) imported from \(source)",
                                newValue: ["code": reference.code, "elements": reference.values.count])
            }
        }
    }
}
