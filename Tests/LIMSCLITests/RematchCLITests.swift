import XCTest
import LIMSTestSupport

/// `lims import results --allow-unmatched`, then `lims sample alias` / `lims sample add` and
/// `lims batch rematch N` through the built binary.
final class RematchCLITests: XCTestCase {
    var dir: URL!

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(arguments, in: dir, environment: ["LIMS_OPERATOR": "li.wei"])
    }

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-rematch-cli")
        XCTAssertEqual(try lims("init").exitCode, 0)
        try lims("site", "add", "--code", "DN")
        try lims("treatment", "add", "--site", "DN", "--code", "control")
        try lims("plot", "add", "--treatment", "control", "--code", "C1")
        try lims("sample", "add", "--code", "C1-S", "--plot", "C1")
        for code in ["T-01", "T-04"] {
            try lims("sample", "add", "--code", code, "--parent", "C1-S", "--plot", "C1", "--type", "extract")
        }
        let profile = try lims("import-profile", "add", "horiba", "--from", TestSupport.fixture("profiles/horiba_ultima.profile.csv").path)
        XCTAssertEqual(profile.exitCode, 0, profile.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testRematchLinksNamesRegisteredAndAliasedSince() throws {
        let export = TestSupport.fixture("profiles/horiba_ultima_ree.csv").path
        let refused = try lims("import", "results", export, "--profile", "horiba")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("sample \"T-02 x10\" is not registered"), refused.stderr)
        let imported = try lims("import", "results", export, "--profile", "horiba", "--allow-unmatched")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("samples:     5 (2 registered, 3 unmatched), 15 values"), imported.stdout)

        let none = try lims("batch", "rematch", "1")
        XCTAssertEqual(none.exitCode, 0, none.stderr)
        XCTAssertEqual(none.stdout, """
            Batch 1 (horiba_ultima_ree.csv): linked 0 names (0 values).
            Still unmatched: 3 names (9 values):
              "T-02 x10", 3 values
              "Tail 03", 3 values
              "T-05", 3 values
            Register them (lims sample add) or add aliases (lims sample alias add CODE NAME), then run lims batch rematch 1 again.

            """)

        for code in ["T-02", "T-03"] { try lims("sample", "add", "--code", code, "--parent", "C1-S", "--plot", "C1", "--type", "extract") }
        XCTAssertEqual(try lims("sample", "alias", "add", "T-03", "Tail 03", "--note", "run sheet").exitCode, 0)
        let aliases = try lims("sample", "alias", "list", "--format", "csv")
        XCTAssertTrue(aliases.stdout.hasPrefix("alias,sample,note,operator,created_at\nTail 03,T-03,run sheet,li.wei,"), aliases.stdout)

        let before = try lims("status", "--format", "csv").stdout
        let dry = try lims("batch", "rematch", "1", "--dry-run")
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.hasPrefix("Dry run: nothing was written. Batch 1 (horiba_ultima_ree.csv): would link 2 names (6 values):"), dry.stdout)
        XCTAssertEqual(try lims("status", "--format", "csv").stdout, before)

        let done = try lims("batch", "rematch", "1")
        XCTAssertEqual(done.exitCode, 0, done.stderr)
        XCTAssertEqual(done.stdout, """
            Batch 1 (horiba_ultima_ree.csv): linked 2 names (6 values):
              "T-02 x10" → T-02 (dilution suffix x10 ×10, flagged, not multiplied), 3 values
              "Tail 03" → T-03 (alias "Tail 03"), 3 values
            Still unmatched: 1 names (3 values):
              "T-05", 3 values
            Register them (lims sample add) or add aliases (lims sample alias add CODE NAME), then run lims batch rematch 1 again.

            """)
        let show = try lims("batch", "show", "1")
        XCTAssertTrue(show.stdout.contains("  unmatched:   1 names: \"T-05\""), show.stdout)
        let list = try lims("batch", "list", "--format", "csv").stdout
        // rows 10, values 30 (15 sample + 15 QC), samples 5 (T-01 T-02 T-03 T-04 + "T-05"), QC 5, censored 3, unmatched 1.
        XCTAssertTrue(list.contains(",10,30,5,5,3,1,active,"), list)
        let linked = try lims("sql", "SELECT s.code, m.value, m.flags FROM measurement m JOIN sample s ON s.id = m.sample_id WHERE s.code = 'T-02' ORDER BY m.id", "--format", "csv")
        XCTAssertEqual(linked.stdout, """
            code,value,flags
            T-02,0.0431,"name dilution ×10 (""x10"") not applied"
            T-02,0.1122,"name dilution ×10 (""x10"") not applied"
            T-02,0.03875,"name dilution ×10 (""x10"") not applied"

            """)
        let log = try lims("log", "--action", "rematch", "--format", "csv")
        XCTAssertTrue(log.stdout.contains("linked 2 unmatched names (6 values) of batch 1 (horiba_ultima_ree.csv) to samples: \"\"T-02 x10\"\" → T-02, \"\"Tail 03\"\" → T-03; 1 names stay unmatched"), log.stdout)

        // Removing the alias keeps the link; rematching again finds nothing new.
        XCTAssertEqual(try lims("sample", "alias", "remove", "tail 03").stdout, "Removed alias \"Tail 03\" of sample T-03.\n")
        XCTAssertTrue(try lims("batch", "rematch", "1").stdout.hasPrefix("Batch 1 (horiba_ultima_ree.csv): linked 0 names (0 values)."))
        XCTAssertEqual(try lims("batch", "rematch", "x").exitCode, 64)
        XCTAssertEqual(try lims("batch", "rematch", "7").exitCode, 1)
    }
}
