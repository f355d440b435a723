import Foundation

/// A profile as stored: who added it and when.
public struct StoredImportProfile: Sendable {
    public var id: Int64
    public var profile: ImportProfile
    public var operatorName: String
    public var createdAt: String
}

/// `import_profile`: the saved profiles (`lims import-profile add|list|show|remove`).
extension LabStore {
    /// Profile names: letters, digits, `.`, `_` and `-` (they appear in `--profile NAME` and in batch formats).
    public static func validateProfileName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw StoreError.invalidValue(field: "profile name", value: name,
                                          expected: "1-64 letters, digits, '.', '_' or '-' (e.g. horiba-ultima)")
        }
    }

    /// Stores a validated profile; `replace` overwrites one of the same name.
    @discardableResult
    public func addImportProfile(_ profile: ImportProfile, replace: Bool = false) throws -> StoredImportProfile {
        try Self.validateProfileName(profile.name)
        return try write {
            let old = try importProfile(named: profile.name)
            if let old, !replace {
                // The message names the way out: `--replace`.
                throw StoreError.invalidValue(field: "profile name", value: old.profile.name,
                                              expected: "a new name: this profile exists (added \(old.createdAt) by \(old.operatorName)); use --replace to overwrite it")
            }
            if let old {
                try db.execute("UPDATE import_profile SET definition = ?, description = ?, operator = ?, created_at = ? WHERE id = ?",
                               [profile.definitionJSON, profile.description, operatorName, Timestamp.now(), old.id])
                try audit(action: "update", table: "import_profile", recordID: old.id, summary: "replaced import profile \(profile.name)",
                          oldValue: ["definition": old.profile.definitionJSON], newValue: ["definition": profile.definitionJSON])
            } else {
                let id = try db.insert("INSERT INTO import_profile (name, definition, description, operator) VALUES (?, ?, ?, ?) RETURNING id",
                                       [profile.name, profile.definitionJSON, profile.description, operatorName])
                try audit(action: "insert", table: "import_profile", recordID: id, summary: "added import profile \(profile.name)",
                          newValue: ["definition": profile.definitionJSON])
            }
            return try importProfile(named: profile.name)!
        }
    }

    public func importProfiles() throws -> [StoredImportProfile] {
        try db.rows("SELECT * FROM import_profile ORDER BY name").map(storedProfile)
    }

    /// Names compare ignoring case (`Horiba` = `horiba`).
    public func importProfile(named name: String) throws -> StoredImportProfile? {
        try db.firstRow("SELECT * FROM import_profile WHERE lower(name) = lower(?)", [name]).map(storedProfile)
    }

    public func requireImportProfile(named name: String) throws -> StoredImportProfile {
        if let found = try importProfile(named: name) { return found }
        let names = try db.rows("SELECT name FROM import_profile ORDER BY name").compactMap { $0.string("name") }
        throw StoreError.notFound(kind: "import profile", key: name, suggestions: Suggestions.closest(to: name, among: names))
    }

    /// Removes a profile; batches imported with it keep `profile:NAME` as their format.
    @discardableResult
    public func removeImportProfile(named name: String) throws -> StoredImportProfile {
        try write {
            let stored = try requireImportProfile(named: name)
            try db.execute("DELETE FROM import_profile WHERE id = ?", [stored.id])
            let used = try db.scalar("SELECT count(*) FROM import_batch WHERE format = ?", ["profile:\(stored.profile.name)"])?.int ?? 0
            try audit(action: "delete", table: "import_profile", recordID: stored.id,
                      summary: "removed import profile \(stored.profile.name)" + (used > 0 ? " (used by \(used) batches, which keep their values)" : ""),
                      oldValue: ["definition": stored.profile.definitionJSON])
            return stored
        }
    }

    private func storedProfile(_ row: Row) throws -> StoredImportProfile {
        let name = row.string("name") ?? ""
        return StoredImportProfile(id: row.int64("id") ?? 0,
                                   profile: try ImportProfile(name: name, definitionJSON: row.string("definition") ?? "{}"),
                                   operatorName: row.string("operator") ?? "", createdAt: row.string("created_at") ?? "")
    }
}
