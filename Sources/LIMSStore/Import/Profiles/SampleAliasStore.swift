import Foundation

/// Another name of a sample, as an instrument run writes it (`Tail-01` for `DN-C1-S`).
public struct SampleAlias: Sendable, Equatable {
    public var id: Int64
    public var alias: String
    public var sampleCode: String
    public var note: String?
    public var operatorName: String?
    public var createdAt: String
}

/// `sample_alias` (`lims sample alias add|list|remove`), used by `SampleMatcher` after the exact code.
extension LabStore {
    @discardableResult
    public func addSampleAlias(code: String, alias rawAlias: String, note: String? = nil) throws -> SampleAlias {
        let alias = rawAlias.trimmingCharacters(in: .whitespaces)
        guard !alias.isEmpty else {
            throw StoreError.invalidValue(field: "alias", value: rawAlias, expected: "a name as the instrument writes it, e.g. \"Tail 01\"")
        }
        return try write {
            let sample = try requireSample(code: code)
            if sample.retiredAt != nil {
                throw StoreError.invalidValue(field: "sample", value: code, expected: "a sample that is not retired (retired \(sample.retiredAt ?? ""))")
            }
            if let owner = try db.firstRow("SELECT id, code FROM sample WHERE lower(code) = lower(?) AND id <> ?", [alias, sample.id]) {
                throw StoreError.invalidValue(field: "alias", value: alias,
                                              expected: "a name that is not another sample's code (it is the code of sample \(owner.string("code") ?? ""))")
            }
            if let existing = try db.firstRow("""
                SELECT a.alias, s.code FROM sample_alias a JOIN sample s ON s.id = a.sample_id WHERE lower(a.alias) = lower(?)
                """, [alias]) {
                throw StoreError.duplicate(kind: "alias", key: "\(existing.string("alias") ?? alias)\" of sample \"\(existing.string("code") ?? "")")
            }
            let id = try db.insert("INSERT INTO sample_alias (alias, sample_id, note, operator) VALUES (?, ?, ?, ?) RETURNING id",
                                   [alias, sample.id, note, operatorName])
            try audit(action: "insert", table: "sample_alias", recordID: id, sampleID: sample.id,
                      summary: "alias \"\(alias)\" added to sample \(sample.code)", newValue: ["alias": alias, "note": note as Any])
            return try sampleAliases().first { $0.id == id }!
        }
    }

    /// All aliases, or those of one sample, by sample code then alias.
    public func sampleAliases(code: String? = nil) throws -> [SampleAlias] {
        if let code { _ = try requireSample(code: code) }
        return try db.rows("""
            SELECT a.id, a.alias, s.code, a.note, a.operator, a.created_at FROM sample_alias a JOIN sample s ON s.id = a.sample_id
            WHERE ?1 IS NULL OR s.code = ?1 ORDER BY s.code, a.alias
            """, [code]).map {
            SampleAlias(id: $0.int64("id") ?? 0, alias: $0.string("alias") ?? "", sampleCode: $0.string("code") ?? "",
                        note: $0.string("note"), operatorName: $0.string("operator"), createdAt: $0.string("created_at") ?? "")
        }
    }

    @discardableResult
    public func removeSampleAlias(_ alias: String) throws -> SampleAlias {
        try write {
            guard let found = try sampleAliases().first(where: { $0.alias.caseInsensitiveCompare(alias.trimmingCharacters(in: .whitespaces)) == .orderedSame }) else {
                let all = try sampleAliases().map(\.alias)
                throw StoreError.notFound(kind: "alias", key: alias, suggestions: Suggestions.closest(to: alias, among: all))
            }
            let sampleID = try requireSample(code: found.sampleCode).id
            try db.execute("DELETE FROM sample_alias WHERE id = ?", [found.id])
            try audit(action: "delete", table: "sample_alias", recordID: found.id, sampleID: sampleID,
                      summary: "alias \"\(found.alias)\" removed from sample \(found.sampleCode)", oldValue: ["alias": found.alias])
            return found
        }
    }
}
