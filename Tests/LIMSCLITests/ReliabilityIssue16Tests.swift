import Foundation
import XCTest
import LIMSStore
import LIMSMigrations
import LIMSTestSupport

/// Issue 16, through the built `lims` binary: nothing overwrites the database, every number is
/// read one strict way, the audit log is a hash chain that `check` walks, backups carry a manifest
/// that `restore` verifies, `check` compares stored values with what was imported, CSV exports
/// neutralise formulas, the operator is always someone, and a dry run fails when the import would.
/// Each test fails on the main branch before the issue (e.g. `-o lims.sqlite` exited 0).
final class ReliabilityIssue16Tests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("lims.sqlite").path }

    override func setUp() { dir = TestSupport.temporaryDirectory("lims-issue16") }

    @discardableResult
    func lims(_ arguments: String..., env: [String: String] = [:]) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: env)
    }

    func makeLab() throws {
        let store = try LabStore.create(path: db, operatorName: "tester")
        try TestSupport.seedSmallLab(store)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func sha(_ path: String) throws -> String { try FileFingerprint.of(URL(fileURLWithPath: path)).sha256 }

    /// Raw SQL as another tool would run it (sqlite3): triggers and checks are not lims's to enforce here.
    func tamper(_ path: String, _ statements: [String]) throws {
        let db = try Database(path: path)
        try db.execute("PRAGMA foreign_keys = OFF")
        for sql in statements { try db.executeScript(sql) }
    }

    func count(_ sql: String, in path: String? = nil) throws -> Int {
        try Database(path: path ?? db, mode: .readOnly).scalar(sql)?.int ?? -1
    }

    // MARK: 1. No command writes over the database or its -wal/-shm/-journal

    func testNoCommandWritesOverTheDatabaseOrItsSideFiles() throws {
        try makeLab()
        XCTAssertEqual(try lims("sample", "list").exitCode, 0)   // the -wal and -shm exist now
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.sqlite").path, withDestinationPath: db)
        try FileManager.default.linkItem(atPath: db, toPath: dir.appendingPathComponent("hard.sqlite").path)
        // A dangling symlink to the -journal (which does not exist in WAL mode) and a path through `..`.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("journal-link").path,
                                                   withDestinationPath: db + "-journal")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Database(path: db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try sha(db)
        let targets = ["lims.sqlite", "lims.sqlite-wal", "lims.sqlite-shm", "lims.sqlite-journal", "link.sqlite",
                       "hard.sqlite", "journal-link", "sub/../lims.sqlite", db]
        for target in targets {
            for call in [["export", "results", "-o", target], ["export", "samples", "--output", target],
                         ["report", "treatments", "--out", target], ["report", "leaching", "--out", target],
                         ["report", "seepage", "--out", target], ["backup", target, "--force"]] {
                let result = try TestSupport.runLIMS(call, in: dir)
                XCTAssertEqual(result.exitCode, 64, "\(call): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("Error: The path '"), "\(call): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("is the database"), "\(call): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains("nothing was written"), "\(call): \(result.stderr)")
            }
        }
        // `export tables --dir` writes <table>.csv: a database named sample.csv in that folder is refused.
        let odd = dir.appendingPathComponent("tables/sample.csv").path
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("tables"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: db, toPath: odd)
        let tables = try lims("--db", odd, "export", "tables", "--dir", "tables")
        XCTAssertEqual(tables.exitCode, 64, tables.stderr)
        XCTAssertTrue(tables.stderr.contains("for '--out' is the database"), tables.stderr)
        XCTAssertEqual(try sha(odd), before, "export tables wrote nothing over the database named sample.csv")

        // `lims demo --out DIR` writes DIR/demo.sqlite and (--force) empties DIR: not where the lab's database is.
        for demo in [["demo", "--out", "."], ["demo", "--out", ".", "--force"], ["--db", "sub/../lims.sqlite", "demo", "--out", dir.path]] {
            let result = try TestSupport.runLIMS(demo, in: dir)
            XCTAssertEqual(result.exitCode, 64, "\(demo): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("holds the database"), "\(demo): \(result.stderr)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: db), "the demo removed nothing")

        XCTAssertEqual(try sha(db), before, "no refused command changed a byte of the database")
        XCTAssertEqual(try lims("check").exitCode, 0)
        XCTAssertEqual(try lims("sample", "list", "--format", "csv").stdout.split(separator: "\n").count, 10)
        // Other files are still written.
        XCTAssertEqual(try lims("export", "samples", "-o", "sub/samples.csv").exitCode, 0)
        XCTAssertEqual(try lims("backup", "sub/lims-copy.sqlite").exitCode, 0)
    }

    // MARK: 2. One strict number parser

    func testEveryNumericFieldRefusesHexInfinityUnderflowAndNegativeLimits() throws {
        try makeLab()
        // CLI options: mass, depth, dilution.
        for (option, value, reason) in [("--mass", "0x10", "hexadecimal numbers are not accepted"),
                                        ("--mass", "1e-999", "too small: below 2.2e-308 it would be stored as 0"),
                                        ("--mass", "1e999", "too large"), ("--mass", "inf", "infinity and NaN"),
                                        ("--mass", "nan", "infinity and NaN"), ("--mass", "1_000", "")] {
            let result = try lims("sample", "add", "--code", "N1", "--plot", "C1", option, value)
            XCTAssertEqual(result.exitCode, 64, "\(value): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: The value '\(value)' is invalid for '\(option)'; expected a number"),
                          result.stderr)
            if !reason.isEmpty { XCTAssertTrue(result.stderr.contains(reason), "\(value): \(result.stderr)") }
        }
        let depth = try lims("sample", "add", "--code", "N1", "--plot", "C1", "--depth", "0x0-10")
        XCTAssertEqual(depth.exitCode, 64, depth.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM sample WHERE code = 'N1'"), 0)
        // Report and QC options go through the same parser.
        XCTAssertEqual(try lims("report", "fractions", "--recovery-range", "0x50-120").exitCode, 64)
        XCTAssertEqual(try lims("qc", "settings", "--set", "crm_recovery_low=0x5A").exitCode, 64)
        // Plain decimals still work, with exponents and signs.
        XCTAssertEqual(try lims("sample", "add", "--code", "N2", "--plot", "C1", "--mass", "1.25e2").exitCode, 0)
        XCTAssertEqual(try count("SELECT count(*) FROM sample WHERE code = 'N2' AND mass_g = 125"), 1)

        // A lab sheet: the error names file:line:col and what was expected.
        let sheet = try write("samples.csv", """
            code,plot,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,description
            H1,C1,bulk,0,10,2018-07-10,0x10,hex mass
            H2,C1,bulk,0,1e-999,2018-07-10,100,underflow depth

            """)
        let sheetImport = try lims("import", "samples", sheet)
        XCTAssertEqual(sheetImport.exitCode, 1)
        XCTAssertTrue(sheetImport.stderr.contains("samples.csv:2:7: error: mass_g: \"0x10\" is not valid; expected a number in g (hexadecimal numbers are not accepted)"),
                      sheetImport.stderr)
        XCTAssertTrue(sheetImport.stderr.contains("samples.csv:3:5: error: depth_bottom_cm: \"1e-999\" is not valid; expected a number"),
                      sheetImport.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM sample WHERE code LIKE 'H%'"), 0, "nothing of the refused sheet was written")

        // Instrument-neutral results: a hex value, an underflow, a negative detection limit.
        let header = "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
        for (cell, column) in [("0x10", 3), ("1e-999", 3), ("<-5", 3), ("-inf", 3)] {
            let file = try write("results-\(UUID().uuidString.prefix(6)).csv", header + "C1-S,La,\(cell),mg/kg,,0.01,ICP-MS,2019-03-14\n")
            let result = try lims("import", "results", file, "--format", "long")
            XCTAssertEqual(result.exitCode, 1, "\(cell): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains(":2:\(column): error:"), "\(cell): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(cell), "\(cell): \(result.stderr)")
        }
        let dilution = try lims("import", "results", try write("ok.csv", header + "C1-S,La,12.5,mg/kg,,0.01,ICP-MS,2019-03-14\n"),
                                "--format", "long", "--dilution", "0x2")
        XCTAssertEqual(dilution.exitCode, 64, dilution.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement"), 0)
        // A negative reading is kept as measured; exponents are read.
        let good = try lims("import", "results", try write("good.csv", header + "C1-S,La,-0.5,mg/kg,,0.01,ICP-MS,2019-03-14\n"
                                                           + "C1-S,Ce,1.5E+1,mg/kg,,0.01,ICP-MS,2019-03-14\n"), "--format", "long")
        XCTAssertEqual(good.exitCode, 0, good.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE (analyte = 'La' AND value = -0.5) OR (analyte = 'Ce' AND value = 15)"), 2)
        // A correction takes the same parser.
        let id = try count("SELECT id FROM measurement WHERE analyte = 'Ce'")
        let correct = try lims("result", "correct", String(id), "--value", "0x10", "--reason", "typo")
        XCTAssertEqual(correct.exitCode, 1, correct.stderr)
        XCTAssertTrue(correct.stderr.contains("0x10"), correct.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement WHERE analyte = 'Ce'"), 1)
    }

    // MARK: 3. The audit log's hash chain, its triggers, backup manifests, stored values

    /// The chain's hash of two fixed rows, against Python's hashlib
    /// (`python3 Tests/Fixtures/reliability/audit_chain_expected.py`; exact, hex digests).
    func testAuditRowHashMatchesAnIndependentComputation() {
        let first = AuditChain.Content(id: 1, at: "2019-03-14T09:30:00.000Z", operatorName: "tester", action: "insert",
                                       table: "sample", recordID: 1, sampleID: 1, batchID: nil,
                                       summary: "sample C1-S registered", oldValue: nil,
                                       newValue: "{\"code\":\"C1-S\",\"plot\":\"C1\"}", reason: nil)
        let second = AuditChain.Content(id: 2, at: "2019-03-14T09:31:00.500Z", operatorName: "Lǐ Nà", action: "correct",
                                        table: "measurement", recordID: 7, sampleID: 1, batchID: 3,
                                        summary: "La 41.7 → 4.17\nline two", oldValue: "{\"value\":41.7}",
                                        newValue: "{\"value\":4.17}", reason: "transcription error")
        let h1 = AuditChain.rowHash(previous: AuditChain.genesis, first)
        XCTAssertEqual(h1, "13b63700b4732cb1847bd4bc87005f0fcc14c1fbe5476e28eb8876fa9791179d")
        XCTAssertEqual(AuditChain.rowHash(previous: h1, second), "aabb61c3f4fa7d3cb044d48a1743760a4d9ad84d25a2167d28d2b821e6f2f286")
    }

    func testCheckFindsEditedDeletedAndOutOfOrderAuditRowsAndDroppedTriggers() throws {
        try makeLab()
        for code in ["A1", "A2", "A3", "A4"] {
            XCTAssertEqual(try lims("sample", "add", "--code", code, "--plot", "C1").exitCode, 0)
        }
        let rows = try count("SELECT count(*) FROM audit_log")
        XCTAssertGreaterThan(rows, 12)
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log WHERE row_hash IS NULL OR prev_hash IS NULL"), 0)
        let healthy = try lims("check")
        XCTAssertEqual(healthy.exitCode, 0, healthy.stdout)
        XCTAssertTrue(healthy.stdout.contains("audit         ok"), healthy.stdout)

        // The triggers refuse a careless edit …
        let refused = try? tamper(db, ["UPDATE audit_log SET summary = 'nothing happened' WHERE id = 3"])
        XCTAssertNil(refused, "the append-only trigger refused the update")
        // … but someone who drops them can edit, delete and insert rows.
        try tamper(db, ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
                        "UPDATE audit_log SET operator = 'someone else' WHERE id = 3",
                        "DELETE FROM audit_log WHERE id = 6",
                        // A row slipped in at a free id with a copied hash pair: out of order.
                        "INSERT INTO audit_log (id, operator, action, table_name, summary, prev_hash, row_hash) "
                        + "SELECT 6, 'x', 'insert', 'sample', 'forged', prev_hash, row_hash FROM audit_log WHERE id = 9",
                        "DELETE FROM audit_log WHERE id = 11",
                        "INSERT INTO audit_log (id, operator, action, table_name, summary) VALUES (\(rows + 5), 'x', 'insert', 'sample', 'no hash')"])
        let check = try lims("check")
        XCTAssertEqual(check.exitCode, 1)
        let problems = check.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  [audit]") }
        // Editing row 3 breaks its own hash only (row 4 still follows the hash stored in row 3); the
        // forged row 6 breaks its hash and both links; the deletions show as gaps and broken links.
        let expected = [
            "the trigger audit_log_no_update that keeps audit_log append-only is missing or refuses nothing (dropped or replaced?)",
            "the trigger audit_log_no_delete that keeps audit_log append-only is missing or refuses nothing (dropped or replaced?)",
            "audit_log row 3 was changed after it was written (its content no longer matches its row_hash)",
            "audit_log row 6 does not follow row 5 (its prev_hash is ",
            "audit_log row 6 was changed after it was written (its content no longer matches its row_hash)",
            "audit_log row 7 does not follow row 6 (its prev_hash is ",
            "audit_log row 11 is missing (deleted): ids are given one after another",
            "audit_log row 12 does not follow row 10 (its prev_hash is ",
            "audit_log rows \(rows + 1) to \(rows + 4) are missing (deleted): ids are given one after another",
            "audit_log row \(rows + 5) has no hash: it was written outside lims (e.g. with sqlite3)",
        ]
        XCTAssertEqual(problems.count, expected.count, check.stdout)
        for (found, start) in zip(problems, expected) {
            XCTAssertTrue(found.hasPrefix("  [audit] " + start), "\(found) should start with \(start)")
        }
        XCTAssertTrue(check.stdout.contains("audit         10 problems"), check.stdout)
        // A trigger put back under its name but refusing nothing is no trigger.
        try tamper(db, ["CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END"])
        let replaced = try lims("check")
        XCTAssertTrue(replaced.stdout.contains("[audit] the trigger audit_log_no_delete that keeps audit_log append-only is missing or refuses nothing"),
                      replaced.stdout)
    }

    /// A database of schema version 6 (before the chain) gets its existing rows sealed by the migration.
    func testTheMigrationSealsTheRowsAlreadyInTheLog() throws {
        let old = DatabaseMigrator(migrations: EmbeddedMigrations.all.filter { $0.id < AuditChain.migrationID })
        let database = try Database(path: db)
        try old.migrate(database)
        for i in 1...3 {
            try database.execute("INSERT INTO audit_log (operator, action, table_name, summary) VALUES ('tester', 'insert', 'site', ?)",
                                 ["old row \(i)"])
        }
        let upgrade = try lims("init")
        XCTAssertEqual(upgrade.exitCode, 0, upgrade.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log WHERE row_hash IS NOT NULL"), 3)
        XCTAssertEqual(try lims("site", "add", "--code", "DN").exitCode, 0)
        let check = try lims("check")
        XCTAssertEqual(check.exitCode, 0, check.stdout)
        // Sealed rows stay append-only.
        XCTAssertNil(try? tamper(db, ["UPDATE audit_log SET summary = 'x' WHERE id = 1"]))
    }

    func testRestoreVerifiesTheBackupAgainstItsManifest() throws {
        try makeLab()
        let made = try lims("backup", "good.sqlite")
        XCTAssertEqual(made.exitCode, 0, made.stderr)
        let manifestURL = dir.appendingPathComponent("good.sqlite.manifest.json")
        let manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: manifestURL))
        XCTAssertEqual(manifest.sha256, try sha(dir.appendingPathComponent("good.sqlite").path))
        XCTAssertEqual(manifest.rowCounts["sample"], 9)
        XCTAssertEqual(manifest.rowCounts["plot"], 9)
        XCTAssertEqual(manifest.schemaVersion, DatabaseMigrator().latestVersion)
        XCTAssertEqual(try lims("sample", "add", "--code", "AFTER", "--plot", "C1").exitCode, 0)
        try Database(path: db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try sha(db)

        // One bit flipped in the last page (free space of a b-tree page: SQLite's checks pass it).
        let flipped = dir.appendingPathComponent("flipped.sqlite")
        var bytes = try Data(contentsOf: dir.appendingPathComponent("good.sqlite"))
        bytes[bytes.count - 100] ^= 0x01
        try bytes.write(to: flipped)
        try FileManager.default.copyItem(at: manifestURL, to: dir.appendingPathComponent("flipped.sqlite.manifest.json"))
        let refused = try lims("restore", "flipped.sqlite", "--force")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.hasPrefix("Error: the backup \(flipped.path) failed verification, so nothing was restored"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("[manifest] the backup's content changed since it was made"), refused.stderr)

        // Without a manifest: refused unless asked for explicitly.
        try FileManager.default.copyItem(at: dir.appendingPathComponent("good.sqlite"), to: dir.appendingPathComponent("bare.sqlite"))
        let bare = try lims("restore", "bare.sqlite", "--force")
        XCTAssertEqual(bare.exitCode, 1)
        XCTAssertTrue(bare.stderr.contains("[manifest] no manifest"), bare.stderr)
        // A manifest whose counts disagree (e.g. the manifest of another backup).
        var wrong = manifest
        wrong.rowCounts["sample"] = 10
        let encoder = JSONEncoder()
        try encoder.encode(wrong).write(to: dir.appendingPathComponent("counts.sqlite.manifest.json"))
        try FileManager.default.copyItem(at: dir.appendingPathComponent("good.sqlite"), to: dir.appendingPathComponent("counts.sqlite"))
        let counts = try lims("restore", "counts.sqlite", "--force")
        XCTAssertEqual(counts.exitCode, 1)
        XCTAssertTrue(counts.stderr.contains("[manifest] table sample has 9 rows, the manifest says 10"), counts.stderr)
        XCTAssertEqual(try sha(db), before, "no refused restore changed a byte")

        let restored = try lims("restore", "good.sqlite", "--force")
        XCTAssertEqual(restored.exitCode, 0, restored.stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM sample WHERE code = 'AFTER'"), 0)
        XCTAssertEqual(try lims("restore", "bare.sqlite", "--force", "--without-manifest").exitCode, 0)
    }

    /// 0.0123 wt% at dilution 2 is stored as 0.0123 × 10 000 × 2 = 246 mg/kg (Python:
    /// audit_chain_expected.py); a value edited afterwards is reported by its id.
    func testCheckComparesStoredValuesWithTheirOriginalValueAndUnit() throws {
        try makeLab()
        let file = try write("wt.csv", "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
                             + "C1-S,La,0.0123,wt%,,,XRF,2019-03-14\nC1-S,Fe2O3,2.5,wt%,,,XRF,2019-03-14\n")
        let imported = try lims("import", "results", file, "--format", "long", "--dilution", "2")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        let la = try Database(path: db, mode: .readOnly).firstRow("SELECT id, value FROM measurement WHERE analyte = 'La'")
        XCTAssertEqual(la?.double("value") ?? 0, 246, accuracy: 1e-9)
        XCTAssertEqual(try lims("check").exitCode, 0)
        let id = la?.int64("id") ?? 0
        try tamper(db, ["UPDATE measurement SET value = 24.6 WHERE id = \(id)"])
        let check = try lims("check")
        XCTAssertEqual(check.exitCode, 1)
        XCTAssertTrue(check.stdout.contains("  [values] measurement \(id) (La): value 24.6 mg/kg but it was imported as 0.0123 wt% × dilution 2 = 246 mg/kg"),
                      check.stdout)
        XCTAssertEqual(check.stdout.components(separatedBy: "[values]").count - 1, 1, "the Fe2O3 value (oxide factor) agrees")
    }

    // MARK: 4. CSV exports neutralise formulas

    func testCSVExportsNeutraliseFormulaCellsUnlessRaw() throws {
        try makeLab()
        for code in ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "@IMPORT", "-2+3"] {
            XCTAssertEqual(try lims("sample", "add", "--code=\(code)", "--plot", "C1").exitCode, 0, code)
        }
        let file = try write("neg.csv", "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
                             + "C1-S,La,-0.5,mg/kg,,0.01,=HYPERLINK(\"x\"),2019-03-14\n")
        XCTAssertEqual(try lims("import", "results", file, "--format", "long").exitCode, 0)
        for call in [["export", "samples"], ["query", "samples", "--format", "csv"]] {
            let out = try TestSupport.runLIMS(call, in: dir).stdout
            XCTAssertTrue(out.contains("\n\"'=cmd|' /C calc'!A0\",bulk") || out.contains("\n'=cmd|' /C calc'!A0,bulk"), "\(call): \(out)")
            XCTAssertTrue(out.contains("\n'+SUM(A1:A9),"), out)
            XCTAssertTrue(out.contains("\n'@IMPORT,"), out)
            XCTAssertTrue(out.contains("\n'-2+3,"), out)
            let raw = try TestSupport.runLIMS(call + ["--raw"], in: dir).stdout
            XCTAssertTrue(raw.contains("\n=cmd|' /C calc'!A0,bulk"), raw)
            XCTAssertTrue(raw.contains("\n+SUM(A1:A9),"), raw)
        }
        let results = try lims("export", "results").stdout
        XCTAssertTrue(results.contains(",-0.5,"), "a negative number is a value, not a formula: \(results)")
        XCTAssertTrue(results.contains("\"'=HYPERLINK(\"\"x\"\")\""), results)
        XCTAssertFalse(results.contains("'-0.5"), results)
    }

    // MARK: 5. The operator is always someone

    func testTheOperatorComesFromOptionEnvironmentOrAccountAndNeverUnknown() throws {
        try makeLab()
        XCTAssertEqual(try lims("sample", "add", "--code", "O1", "--plot", "C1", env: ["USER": ""]).exitCode, 0)
        XCTAssertEqual(try lims("sample", "add", "--code", "O2", "--plot", "C1", env: ["USER": "", "LIMS_OPERATOR": "lab-tech"]).exitCode, 0)
        XCTAssertEqual(try lims("sample", "add", "--code", "O3", "--plot", "C1", "--operator", "wang", env: ["LIMS_OPERATOR": "lab-tech"]).exitCode, 0)
        let account = LabStore.accountName()
        XCTAssertNotNil(account)
        let operators = try Database(path: db, mode: .readOnly)
            .rows("SELECT operator FROM audit_log WHERE summary LIKE 'sample O_ registered' ORDER BY id").compactMap { $0.string("operator") }
        XCTAssertEqual(operators, [account ?? "?", "lab-tech", "wang"])
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log WHERE operator = 'unknown'"), 0)

        // An account without a name (a uid missing from /etc/passwd) and no $USER: refused, nothing written.
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), getpwuid(4242) == nil else {
            throw XCTSkip("needs root, setpriv and a free uid 4242 to run lims as an account without a name")
        }
        chmod(dir.path, 0o777)
        for suffix in ["", "-wal", "-shm"] { chmod(db + suffix, 0o666) }
        let before = try count("SELECT count(*) FROM sample")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", "4242", "--regid", "4242", "--clear-groups", TestSupport.limsExecutable.path,
                             "--db", db, "sample", "add", "--code", "NOBODY", "--plot", "C1"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/"]
        process.currentDirectoryURL = dir
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.hasPrefix("Error: operator: \"\" is not valid; expected the name of who makes the change"), stderr)
        XCTAssertTrue(stderr.contains("give --operator NAME or set $LIMS_OPERATOR"), stderr)
        XCTAssertEqual(try count("SELECT count(*) FROM sample"), before, "nothing was written")
    }

    // MARK: 6. A dry run fails when the import would

    func testDryRunExitsNonZeroWhenTheRealImportWouldStop() throws {
        try makeLab()
        let file = try write("unmatched.csv", "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on\n"
                             + "C1-S,La,12.5,mg/kg,,0.01,ICP-MS,2019-03-14\nNO-SUCH-1,La,3.5,mg/kg,,0.01,ICP-MS,2019-03-14\n")
        let dry = try lims("import", "results", file, "--format", "long", "--dry-run")
        XCTAssertEqual(dry.exitCode, 1, dry.stdout + dry.stderr)
        XCTAssertTrue(dry.stderr.hasPrefix("Error: the real import would stop: 1 names match no registered sample"), dry.stderr)
        let real = try lims("import", "results", file, "--format", "long")
        XCTAssertEqual(real.exitCode, 1, "the real import stops too")
        XCTAssertEqual(try lims("import", "results", file, "--format", "long", "--dry-run", "--allow-unmatched").exitCode, 0)
        XCTAssertEqual(try count("SELECT count(*) FROM measurement") + (try count("SELECT count(*) FROM import_batch")), 0)
        // Sheet imports: the dry run runs the real import's code and rolls back, so it fails alike.
        let sheet = try write("bad-samples.csv", "code,plot,type\nD1,NO-PLOT,bulk\n")
        XCTAssertEqual(try lims("import", "samples", sheet, "--dry-run").exitCode, 1)
        XCTAssertEqual(try lims("import", "samples", sheet).exitCode, 1)
    }

    // MARK: 7. Tests clean up

    func testRunningLimsLeavesNoFolderInTheTemporaryDirectory() throws {
        if ProcessInfo.processInfo.environment["LIMS_TEST_KEEP_TEMP"] == "1" {
            throw XCTSkip("LIMS_TEST_KEEP_TEMP=1 keeps the temporary folders on purpose")
        }
        // A $TMPDIR of this test's own: other test runs on the machine share /tmp.
        let privateTemporary = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: privateTemporary, withIntermediateDirectories: true)
        let saved = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", privateTemporary.path, 1)
        defer { if let saved { setenv("TMPDIR", saved, 1) } else { unsetenv("TMPDIR") } }
        let temporary = FileManager.default.temporaryDirectory
        XCTAssertEqual(temporary.standardizedFileURL.path, privateTemporary.standardizedFileURL.path)
        XCTAssertEqual(try TestSupport.runLIMS(["--version"]).exitCode, 0)
        XCTAssertEqual(try TestSupport.runLIMS(["status"]).exitCode, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary.path), [],
                       "runLIMS removed its scratch and working folders")
        // What the end of the run does, on a list of its own (the shared one still serves other tests).
        let janitor = TemporaryDirectories()
        let kept = temporary.appendingPathComponent("lims-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: kept.appendingPathComponent("inner"), withIntermediateDirectories: true)
        janitor.register(kept)
        janitor.testBundleDidFinish(Bundle.main)
        XCTAssertFalse(FileManager.default.fileExists(atPath: kept.path), "registered folders are removed at the end of the run")
    }
}
