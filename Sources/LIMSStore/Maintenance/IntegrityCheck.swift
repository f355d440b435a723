import CSQLite
import Foundation

/// One thing found wrong by `IntegrityCheck`, in words a technician can act on.
public struct IntegrityProblem: Sendable, Equatable, CustomStringConvertible {
    /// Which check found it.
    public enum Check: String, Sendable, CaseIterable {
        case integrity, foreignKeys = "foreign-keys", schema, orphans, ranges, files, audit, values
    }

    public let check: Check
    public let message: String

    public init(_ check: Check, _ message: String) {
        self.check = check
        self.message = message
    }

    public var description: String { "[\(check.rawValue)] \(message)" }
}

/// What `IntegrityCheck` looked at and what it found.
public struct IntegrityReport: Sendable {
    public let path: String
    /// The schema version recorded in the file (0 when it is not a LIMS database).
    public let schemaVersion: Int
    public var problems: [IntegrityProblem] = []
    /// Lines saying what each check covered (e.g. "3 files: 2 match their batches").
    public var notes: [IntegrityProblem.Check: String] = [:]

    public var isHealthy: Bool { problems.isEmpty }

    public func problems(of check: IntegrityProblem.Check) -> [IntegrityProblem] {
        problems.filter { $0.check == check }
    }
}

/// The checks behind `lims check` and behind `lims restore`'s verification of a backup:
/// SQLite's own page-level check, foreign keys, the schema version and migration texts,
/// records that lost their meaning (orphans), values outside physical ranges, and
/// import batches whose file no longer has the content that was imported.
///
/// Everything here only reads, so it can run on a read-only connection while others write.
public struct IntegrityCheck {
    /// Files whose content is compared with the batches that imported them.
    public var files: [URL]
    /// At most this many problems are listed per check (the count is still given).
    public var limitPerCheck: Int

    public init(files: [URL] = [], limitPerCheck: Int = 50) {
        self.files = files
        self.limitPerCheck = limitPerCheck
    }

    public func run(on db: Database) throws -> IntegrityReport {
        // One snapshot for every check. Ended with ROLLBACK: it only read, and on a damaged
        // file even COMMIT can report the damage, which the checks have already described.
        let ownTransaction = !db.isInTransaction
        if ownTransaction {
            try db.executeScript(db.engine == .sqlite ? "BEGIN DEFERRED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
        defer { if ownTransaction && db.isInTransaction { try? db.executeScript("ROLLBACK") } }
        do {
            let migrator = DatabaseMigrator()
            let version = try migrator.currentVersion(of: db)
            var report = IntegrityReport(path: db.path, schemaVersion: version)
            report.problems += try guarded(.integrity) { try pageIntegrity(db) }
            report.problems += try guarded(.foreignKeys) { try foreignKeys(db) }
            report.problems += try guarded(.schema) { try schema(db, migrator: migrator, version: version) }
            // The lab's tables are only there when the schema is; a stranger's file stops here.
            if version >= 1 {
                report.problems += try guarded(.orphans) { try orphans(db) }
                report.problems += try guarded(.ranges) { try ranges(db) }
                report.problems += try guarded(.audit) { limited(try auditChain(db), check: .audit) }
                report.problems += try guarded(.values) { limited(try storedValues(db), check: .values) }
                report.problems += try guarded(.files) {
                    let (fileProblems, note) = try fileHashes(db)
                    if let note { report.notes[.files] = note }
                    return fileProblems
                }
            }
            return report
        }
    }

    /// Runs one check; damage that stops SQLite from reading (a malformed page, an I/O error)
    /// is itself the finding, reported under `integrity`.
    private func guarded(_ check: IntegrityProblem.Check, _ body: () throws -> [IntegrityProblem]) throws -> [IntegrityProblem] {
        do {
            return try body()
        } catch let error as DatabaseError where [SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR].contains(error.resultCode) {
            let what = check == .integrity ? "SQLite integrity check" : "the \(check.rawValue) check"
            return [IntegrityProblem(.integrity, "\(what) could not read the file: \(error.message) (\(error.codeDescription))")]
        }
    }

    // MARK: SQLite's own checks

    /// `PRAGMA integrity_check`: b-tree structure, index entries, NOT NULL/CHECK of stored rows.
    func pageIntegrity(_ db: Database) throws -> [IntegrityProblem] {
        // PostgreSQL keeps its pages itself (checksums, amcheck are the server admin's tools).
        guard db.engine == .sqlite else { return [] }
        let lines = try db.rows("PRAGMA integrity_check(\(limitPerCheck))").compactMap { $0.values.first?.string }
        if lines == ["ok"] { return [] }
        return lines.map { IntegrityProblem(.integrity, "SQLite integrity check: \($0)") }
    }

    /// `PRAGMA foreign_key_check`: rows pointing at records that do not exist
    /// (possible only if the file was edited with foreign keys switched off).
    func foreignKeys(_ db: Database) throws -> [IntegrityProblem] {
        // PostgreSQL checks every key on write and cannot be told not to (short of a superuser).
        guard db.engine == .sqlite else { return [] }
        let rows = try db.rows("PRAGMA foreign_key_check")
        return limited(rows.map { row in
            let table = row[0].string ?? "?", parent = row[2].string ?? "?"
            let rowid = row[1].string ?? "?"
            return IntegrityProblem(.foreignKeys, "\(table) row \(rowid) refers to a missing \(parent) record")
        }, check: .foreignKeys)
    }

    // MARK: Schema

    func schema(_ db: Database, migrator: DatabaseMigrator, version: Int) throws -> [IntegrityProblem] {
        if version == 0 {
            return [IntegrityProblem(.schema, "no schema_migration records: this is not a Tailings LIMS database "
                                     + "(or it was never initialised with `lims init`)")]
        }
        var problems: [IntegrityProblem] = []
        if version > migrator.latestVersion {
            problems.append(IntegrityProblem(.schema, "schema version \(version) is newer than this lims knows "
                                             + "(\(migrator.latestVersion)); check it with a newer lims"))
        } else if version < migrator.latestVersion {
            problems.append(IntegrityProblem(.schema, "schema version \(version) is older than this lims's "
                                             + "\(migrator.latestVersion); upgrade with `lims init`"))
        }
        let known = Dictionary(uniqueKeysWithValues: migrator.migrations(for: db).map { ($0.id, $0) })
        for applied in try migrator.applied(in: db) {
            guard let migration = known[applied.id] else { continue }
            let expected = SHA256.hex(Array(migration.sql.utf8))
            if applied.sha256 != expected {
                problems.append(IntegrityProblem(.schema, "migration \(migration.fileName) was recorded with SHA-256 "
                                                 + "\(applied.sha256) but this lims's copy has \(expected)"))
            }
        }
        let userVersion = db.engine == .sqlite ? try db.scalar("PRAGMA user_version")?.int ?? 0 : version
        if userVersion != version {
            problems.append(IntegrityProblem(.schema, "PRAGMA user_version is \(userVersion) but the last recorded "
                                             + "migration is \(version)"))
        }
        return problems
    }

    // MARK: Orphans

    /// Records that foreign keys cannot catch but that have lost their meaning.
    func orphans(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        // A lineage loop (A is the parent of B is the parent of A) leaves samples with no field origin.
        let loops = try db.rows("""
            WITH RECURSIVE chain(start_id, id, depth) AS (
                SELECT id, parent_id, 1 FROM sample WHERE parent_id IS NOT NULL
                UNION ALL
                SELECT chain.start_id, sample.parent_id, chain.depth + 1
                FROM chain JOIN sample ON sample.id = chain.id
                WHERE sample.parent_id IS NOT NULL AND chain.id <> chain.start_id AND chain.depth < 10000
            )
            SELECT DISTINCT s.code FROM chain JOIN sample s ON s.id = chain.start_id
            WHERE chain.id = chain.start_id ORDER BY s.code
            """)
        problems += loops.map {
            IntegrityProblem(.orphans, "sample \($0.string("code") ?? "?") is its own ancestor (a loop in the parent chain)")
        }
        let replacedWithoutSuccessor = try db.rows("""
            SELECT b.id, b.file_name FROM import_batch b
            WHERE b.status = 'replaced'
              AND NOT EXISTS (SELECT 1 FROM import_batch n WHERE n.replaces_batch_id = b.id)
            ORDER BY b.id
            """)
        problems += replacedWithoutSuccessor.map {
            IntegrityProblem(.orphans, "import batch \($0.int("id") ?? 0) (\($0.string("file_name") ?? "?")) is marked "
                             + "replaced but no batch replaces it")
        }
        let supersededByMissing = try db.rows("""
            SELECT m.id FROM measurement m
            WHERE m.status = 'superseded'
              AND (m.superseded_by = m.id OR NOT EXISTS (SELECT 1 FROM measurement n WHERE n.id = m.superseded_by))
            ORDER BY m.id
            """)
        problems += supersededByMissing.map {
            IntegrityProblem(.orphans, "measurement \($0.int("id") ?? 0) is superseded by a measurement that does not exist")
        }
        let emptyFits = try db.rows("""
            SELECT f.id, f.edge, p.label FROM lcf_fit f JOIN poi p ON p.id = f.poi_id
            WHERE NOT EXISTS (SELECT 1 FROM lcf_component c WHERE c.lcf_fit_id = f.id)
            ORDER BY f.id
            """)
        problems += emptyFits.map {
            IntegrityProblem(.orphans, "LCF fit \($0.int("id") ?? 0) (\($0.string("edge") ?? "?") at POI "
                             + "\($0.string("label") ?? "?")) has no components")
        }
        let extractsOfWrongType = try db.rows("""
            SELECT s.code, s.type FROM cacl2_extraction e JOIN sample s ON s.id = e.extract_sample_id
            WHERE s.type <> 'extract' ORDER BY s.code
            """)
        problems += extractsOfWrongType.map {
            IntegrityProblem(.orphans, "extract \($0.string("code") ?? "?") of a CaCl2 extraction has sample type "
                             + "\"\($0.string("type") ?? "?")\"; expected \"extract\"")
        }
        return limited(problems, check: .orphans)
    }

    // MARK: Physical ranges

    /// A value that no real sample can have. The schema's CHECKs stop most at the door;
    /// these catch what got past them (files edited with other tools, CHECKs switched off)
    /// and what a CHECK cannot know (a concentration above 100 % of the sample).
    struct RangeRule {
        let table: String
        let what: String
        /// SELECT id, value FROM … WHERE <the value is impossible>. Fixed SQL, no user text.
        let sql: String
        let expected: String
    }

    static let rangeRules: [RangeRule] = [
        RangeRule(table: "measurement", what: "concentration", sql: """
            SELECT id, value, unit, analyte FROM measurement
            WHERE value IS NOT NULL AND unit IN ('mg/kg', 'mg/L') AND value > 1000000
            """, expected: "at most 1 000 000 mg/kg (100 % of the sample) or mg/L"),
        RangeRule(table: "measurement", what: "mass fraction", sql: """
            SELECT id, value, unit, analyte FROM measurement
            WHERE value IS NOT NULL AND unit = '%' AND (value > 100 OR value < -100)
            """, expected: "at most 100 %"),
        RangeRule(table: "measurement", what: "detection limit", sql: """
            SELECT id, detection_limit AS value, unit, analyte FROM measurement
            WHERE detection_limit IS NOT NULL AND (detection_limit < 0
               OR (unit IN ('mg/kg', 'mg/L') AND detection_limit > 1000000))
            """, expected: "from 0 to 1 000 000"),
        RangeRule(table: "soil_property", what: "pH", sql: """
            SELECT id, value, unit, property AS analyte FROM soil_property
            WHERE property LIKE 'pH%' AND value IS NOT NULL AND (value < 0 OR value > 14)
            """, expected: "from 0 to 14"),
        RangeRule(table: "soil_property", what: "percentage", sql: """
            SELECT id, value, unit, property AS analyte FROM soil_property
            WHERE unit = '%' AND value IS NOT NULL AND (value < 0 OR value > 100)
            """, expected: "from 0 to 100 %"),
        RangeRule(table: "soil_property", what: "exchangeable cations or CEC", sql: """
            SELECT id, value, unit, property AS analyte FROM soil_property
            WHERE unit = 'cmol+/kg' AND value IS NOT NULL AND (value < 0 OR value > 1000)
            """, expected: "from 0 to 1000 cmol+/kg"),
        RangeRule(table: "sample", what: "depth", sql: """
            SELECT id, coalesce(depth_top_cm, depth_bottom_cm) AS value, 'cm' AS unit, code AS analyte FROM sample
            WHERE depth_top_cm < 0 OR depth_bottom_cm < 0 OR depth_top_cm > 10000 OR depth_bottom_cm > 10000
               OR depth_bottom_cm <= depth_top_cm
            """, expected: "0 to 10 000 cm with the top above the bottom"),
        RangeRule(table: "sample", what: "mass", sql: """
            SELECT id, mass_g AS value, 'g' AS unit, code AS analyte FROM sample WHERE mass_g < 0
            """, expected: "at least 0 g"),
        RangeRule(table: "size_fraction", what: "mass share", sql: """
            SELECT id, mass_percent AS value, '%' AS unit, class_label AS analyte FROM size_fraction
            WHERE mass_g < 0 OR mass_percent < 0 OR mass_percent > 100
            """, expected: "a mass ≥ 0 g and a share from 0 to 100 %"),
        RangeRule(table: "site", what: "coordinates", sql: """
            SELECT id, coalesce(latitude, longitude) AS value, '°' AS unit, code AS analyte FROM site
            WHERE latitude NOT BETWEEN -90 AND 90 OR longitude NOT BETWEEN -180 AND 180
            """, expected: "latitude -90..90 and longitude -180..180"),
        RangeRule(table: "xanes_result", what: "Ce(IV) fraction", sql: """
            SELECT id, ce4_fraction AS value, '' AS unit, edge AS analyte FROM xanes_result
            WHERE ce4_fraction < 0 OR ce4_fraction > 1
            """, expected: "from 0 to 1"),
        RangeRule(table: "lcf_component", what: "LCF fraction", sql: """
            SELECT id, fraction AS value, '' AS unit, phase AS analyte FROM lcf_component
            WHERE fraction < 0 OR fraction > 1
            """, expected: "from 0 to 1"),
        RangeRule(table: "map_correlation", what: "R²", sql: """
            SELECT id, r_squared AS value, '' AS unit, element_a || '-' || element_b AS analyte FROM map_correlation
            WHERE r_squared < 0 OR r_squared > 1
            """, expected: "from 0 to 1"),
    ]

    func ranges(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        for rule in Self.rangeRules {
            for row in try db.rows(rule.sql) {
                let value = row["value"].double.map(Validate.format) ?? row["value"].description
                let unit = row.string("unit").map { $0.isEmpty ? "" : " \($0)" } ?? ""
                problems.append(IntegrityProblem(.ranges, "\(rule.table) \(row.int("id") ?? 0) (\(row.string("analyte") ?? "?")): "
                                                 + "\(rule.what) \(value)\(unit) is outside the physical range; expected \(rule.expected)"))
            }
        }
        return limited(problems, check: .ranges)
    }

    // MARK: Files

    /// Each given file must match, by SHA-256, an import batch of the same name or path.
    func fileHashes(_ db: Database) throws -> ([IntegrityProblem], String?) {
        guard !files.isEmpty else { return ([], nil) }
        var problems: [IntegrityProblem] = []
        var matched = 0
        for file in files {
            let fingerprint: FileFingerprint
            do {
                fingerprint = try FileFingerprint.of(file)
            } catch {
                problems.append(IntegrityProblem(.files, "\(file.path): cannot be read (\(error.localizedDescription))"))
                continue
            }
            let byContent = try db.rows("SELECT id FROM import_batch WHERE sha256 = ? ORDER BY id", [fingerprint.sha256])
            let byName = try db.rows("""
                SELECT id, sha256, imported_at, status FROM import_batch
                WHERE (file_path = ?1 OR file_name = ?2) AND sha256 <> ?3 AND status = 'active'
                ORDER BY id
                """, [file.path, file.lastPathComponent, fingerprint.sha256])
            for row in byName {
                problems.append(IntegrityProblem(.files, "\(file.path): import batch \(row.int("id") ?? 0) "
                    + "(imported \(row.string("imported_at") ?? "?")) has SHA-256 \(row.string("sha256") ?? "?") "
                    + "but the file now has \(fingerprint.sha256): it changed after it was imported"))
            }
            if byContent.isEmpty && byName.isEmpty {
                problems.append(IntegrityProblem(.files, "\(file.path): no import batch has this file's name or content "
                                                 + "(SHA-256 \(fingerprint.sha256))"))
            } else if byName.isEmpty {
                matched += 1
            }
        }
        return (problems, "\(files.count) file(s) given, \(matched) match their import batch")
    }

    func limited(_ problems: [IntegrityProblem], check: IntegrityProblem.Check) -> [IntegrityProblem] {
        guard problems.count > limitPerCheck else { return problems }
        return Array(problems.prefix(limitPerCheck))
            + [IntegrityProblem(check, "… and \(problems.count - limitPerCheck) more")]
    }
}
