import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// Sample aliases, the matcher's order (code, alias, loose, dilution suffix) and rematching a batch.
final class SampleAliasTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = TestSupport.temporaryDirectory("lims-alias") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testDilutionSuffixesOfInstrumentNames() {
        func split(_ label: String) -> String? {
            SampleMatcher.splitDilutionSuffix(label).map { "\($0.0) ×\(Validate.format($0.1.factor)) [\($0.1.suffix)]" }
        }
        XCTAssertEqual(split("T-01 x10"), "T-01 ×10 [x10]")
        XCTAssertEqual(split("T-01 10x"), "T-01 ×10 [10x]")
        XCTAssertEqual(split("T-01_10X"), "T-01 ×10 [_10X]")
        XCTAssertEqual(split("T-01 DF10"), "T-01 ×10 [DF10]")
        XCTAssertEqual(split("T-01 DF 20"), "T-01 ×20 [DF 20]")
        XCTAssertEqual(split("T-01 (1:10)"), "T-01 ×10 [(1:10)]")
        XCTAssertEqual(split("T-01 (x2.5)"), "T-01 ×2.5 [(x2.5)]")
        XCTAssertEqual(split("T-01-x50"), "T-01 ×50 [-x50]")
        XCTAssertNil(split("T-01"))
        XCTAssertNil(split("ZK5-1-H01"))
        XCTAssertNil(split("T-01 x1"), "a factor of 1 is no dilution")
        XCTAssertNil(split("x10"), "nothing left to match")
        XCTAssertNil(split("Box 12"))
    }

    func testMatcherOrderCodeAliasLooseThenSuffix() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        try store.addSampleAlias(code: "C1-S", alias: "Tail C1 surf", note: "run sheet 2019-03")
        try store.addSampleAlias(code: "M1-S", alias: "M1 top")
        let matcher = try SampleMatcher(store: store)
        XCTAssertEqual(matcher.match("C1-S")?.code, "C1-S")
        XCTAssertNil(matcher.match("C1-S")?.alias)
        XCTAssertEqual(matcher.match("tail  c1 SURF")?.code, "C1-S", "aliases ignore case and runs of spaces")
        XCTAssertEqual(matcher.match("tail  c1 SURF")?.alias, "Tail C1 surf")
        XCTAssertEqual(matcher.match("m1 TOP")?.code, "M1-S")
        XCTAssertEqual(matcher.match("c2-s")?.code, "C2-S", "a code loosely (an alias may not be spelled like a code)")
        let diluted = try XCTUnwrap(matcher.match("Tail C1 surf x10"))
        XCTAssertEqual(diluted.code, "C1-S")
        XCTAssertEqual(diluted.nameDilution, .init(suffix: "x10", factor: 10))
        XCTAssertNil(matcher.match("R9-S"))

        XCTAssertThrowsError(try store.addSampleAlias(code: "C2-S", alias: "TAIL C1 SURF")) {
            XCTAssertEqual("\($0)", "alias \"Tail C1 surf\" of sample \"C1-S\" already exists")
        }
        XCTAssertThrowsError(try store.addSampleAlias(code: "C2-S", alias: "r1-s")) {
            XCTAssertEqual("\($0)", "alias: \"r1-s\" is not valid; expected a name that is not another sample's code (it is the code of sample R1-S)")
        }
        XCTAssertThrowsError(try store.addSampleAlias(code: "C9-S", alias: "x")) { XCTAssertTrue("\($0)".hasPrefix("sample \"C9-S\" does not exist"), "\($0)") }
        XCTAssertEqual(try store.sampleAliases(code: "C1-S").map(\.alias), ["Tail C1 surf"])
        XCTAssertEqual(try store.sampleAliases().map(\.sampleCode), ["C1-S", "M1-S"])
        try store.removeSampleAlias("tail c1 surf")
        XCTAssertNil(try SampleMatcher(store: store).match("Tail C1 surf"))
        XCTAssertThrowsError(try store.removeSampleAlias("Tail C1 surf")) { XCTAssertTrue("\($0)".hasPrefix("alias \"Tail C1 surf\" does not exist"), "\($0)") }
    }

    /// `--apply-name-dilution` multiplies by the suffix; without it the value is kept and flagged.
    func testNameDilutionIsFlaggedOrApplied() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let file = dir.appendingPathComponent("run.csv")
        try "sample,analyte,value,unit,detection_limit\nC1-S x10,La,3.25,mg/kg,0.02\n".write(to: file, atomically: true, encoding: .utf8)
        let flagged = try ResultsImport(store: store, url: file).run()
        XCTAssertTrue(flagged.warnings.contains { $0.contains("values NOT multiplied") }, "\(flagged.warnings)")
        var row = try XCTUnwrap(try store.db.firstRow("SELECT value, detection_limit, dilution_factor, flags FROM measurement"))
        XCTAssertEqual(row.double("value"), 3.25)
        XCTAssertNil(row.double("dilution_factor"))
        XCTAssertEqual(row.string("flags"), "name dilution ×10 (\"x10\") not applied")
        var options = ResultsImportOptions(replace: true)
        options.applyNameDilution = true
        try ResultsImport(store: store, url: file, options: options).run()
        row = try XCTUnwrap(try store.db.firstRow("SELECT value, detection_limit, dilution_factor, flags FROM measurement WHERE status = 'valid'"))
        XCTAssertEqual(row.double("value") ?? 0, 32.5, accuracy: 1e-12)  // 3.25 × 10
        XCTAssertEqual(row.double("detection_limit") ?? 0, 0.2, accuracy: 1e-12)  // 0.02 × 10
        XCTAssertEqual(row.double("dilution_factor"), 10)
        XCTAssertEqual(row.string("flags"), "name dilution ×10 (\"x10\") applied")
    }

    func testRematchLinksNamesRegisteredSinceInOneTransaction() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let file = dir.appendingPathComponent("run.csv")
        try """
            sample,analyte,value,unit
            C1-S,La,30,mg/kg
            Pit 7 top,La,41,mg/kg
            Pit 7 top,Ce,60,mg/kg
            NEW-1 DF5,La,12,mg/kg
            Ghost,La,1,mg/kg
            """.write(to: file, atomically: true, encoding: .utf8)
        let summary = try ResultsImport(store: store, url: file, options: ResultsImportOptions(allowUnmatched: true)).run()
        let batch = try XCTUnwrap(summary.batchID)
        XCTAssertEqual(summary.unmatchedNames, ["Pit 7 top", "NEW-1 DF5", "Ghost"])

        let nothing = try store.rematchBatch(id: batch)
        XCTAssertEqual(nothing.linked, [])
        XCTAssertEqual(nothing.unmatched.map(\.name), ["Pit 7 top", "NEW-1 DF5", "Ghost"])
        XCTAssertEqual(try store.auditEntries().filter { $0.action == "rematch" }.count, 0, "nothing linked, nothing audited")

        try store.addSampleAlias(code: "C2-S", alias: "Pit 7 top")
        try store.addSample(Sample(code: "NEW-1", plotCode: "C3", type: "bulk"))
        let dry = try store.rematchBatch(id: batch, dryRun: true)
        XCTAssertEqual(dry.linked.map(\.code), ["C2-S", "NEW-1"])
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM measurement WHERE sample_id IS NULL")?.int, 4, "a dry run writes nothing")

        let done = try store.rematchBatch(id: batch)
        XCTAssertEqual(done.linked, [.init(name: "Pit 7 top", code: "C2-S", values: 2, how: "alias \"Pit 7 top\""),
                                     .init(name: "NEW-1 DF5", code: "NEW-1", values: 1, how: "dilution suffix DF5 ×5, flagged, not multiplied")])
        XCTAssertEqual(done.unmatched, [.init(name: "Ghost", values: 1, reason: nil)])
        let linked = try store.db.rows("""
            SELECT s.code, m.unmatched_name, m.value, m.flags FROM measurement m JOIN sample s ON s.id = m.sample_id
            WHERE m.unmatched_name IS NOT NULL ORDER BY m.id
            """).map { "\($0.string("code") ?? "") \($0.string("unmatched_name") ?? "") \($0.double("value") ?? -1) \($0.string("flags") ?? "-")" }
        XCTAssertEqual(linked, ["C2-S Pit 7 top 41.0 -", "C2-S Pit 7 top 60.0 -", "NEW-1 NEW-1 DF5 12.0 name dilution ×5 (\"DF5\") not applied"])
        let counts = try XCTUnwrap(try store.batch(id: batch))
        XCTAssertEqual(counts.unmatchedCount, 1)
        XCTAssertEqual(counts.sampleCount, 4)  // C1-S, C2-S, NEW-1 + Ghost
        let audit = try XCTUnwrap(try store.auditEntries().last)
        XCTAssertEqual(audit.action, "rematch")
        XCTAssertEqual(audit.batchID, batch)
        XCTAssertTrue(audit.summary.hasPrefix("linked 2 unmatched names (3 values) of batch \(batch) (run.csv) to samples: \"Pit 7 top\" → C2-S, \"NEW-1 DF5\" → NEW-1; 1 names stay unmatched"), audit.summary)
    }

    func testRematchRefusesAMatrixTheValuesWereNotImportedAs() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let file = dir.appendingPathComponent("run.csv")
        try "sample,analyte,value,unit\nC1-S,La,30,mg/kg\nE-9,La,0.02,mg/L\n".write(to: file, atomically: true, encoding: .utf8)
        let batch = try XCTUnwrap(try ResultsImport(store: store, url: file, options: ResultsImportOptions(allowUnmatched: true)).run().batchID)
        try store.addSample(Sample(code: "E-9", plotCode: "C1", type: "bulk"))
        let result = try store.rematchBatch(id: batch)
        XCTAssertEqual(result.linked, [])
        XCTAssertEqual(result.unmatched.first?.reason,
                       "matches sample E-9 (bulk, a solid) but its values were imported as a solution; re-import the file with --replace")
        XCTAssertThrowsError(try store.rematchBatch(id: 99)) { XCTAssertEqual("\($0)", "import batch \"99\" does not exist") }
    }
}
