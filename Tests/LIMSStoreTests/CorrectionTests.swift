import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// Corrections keep what was there before (superseded rows, audit old/new values and reason),
/// and a change and its audit row land together or not at all.
final class CorrectionTests: XCTestCase {
    var lab: FixtureLab!
    var store: LabStore { lab.store }

    override func setUpWithError() throws {
        lab = try FixtureLab.build(try TestSupport.makeStore(operatorName: "ana"))
    }

    func counts() throws -> [Int] {
        try ["measurement", "audit_log", "sample"].map { try store.db.scalar("SELECT count(*) FROM \($0)")!.int! }
    }

    func testCorrectingAValueSupersedesItAndAuditsBothVersions() throws {
        let oldID = try lab.resultID("R1-S", "Ce")
        let new = try store.correctResult(id: oldID, value: "7.7", reason: "decimal slip: 77 typed for 7.7")
        XCTAssertNotEqual(new.id, oldID)
        XCTAssertEqual(new.value, 7.7)
        XCTAssertEqual(new.unit, "mg/kg")
        XCTAssertEqual(new.status, "valid")
        let old = try store.requireResult(id: oldID)
        XCTAssertEqual(old.status, "superseded")
        XCTAssertEqual(old.supersededBy, new.id)
        XCTAssertEqual(old.value, 77)
        // Provenance copied: same batch, method, matrix, measured date.
        let row = try store.db.firstRow("SELECT batch_id, method, matrix, measured_at, original_value, original_unit FROM measurement WHERE id = ?", [new.id])!
        XCTAssertEqual(row.int64("batch_id"), lab.icpmsBatch)
        XCTAssertEqual(row.string("method"), "ICP-MS")
        XCTAssertEqual(row.string("measured_at"), "2018-09-14")
        XCTAssertEqual(row.double("original_value"), 7.7)
        let entry = try store.auditEntries().last!
        XCTAssertEqual(entry.action, "correct")
        XCTAssertEqual(entry.operatorName, "ana")
        XCTAssertEqual(entry.reason, "decimal slip: 77 typed for 7.7")
        XCTAssertEqual(entry.recordID, new.id)
        XCTAssertEqual(entry.sampleID, try store.requireSample(code: "R1-S").id)
        XCTAssertEqual(entry.summary, "result \(oldID) (Ce of R1-S) corrected: 77 mg/kg → 7.7 mg/kg; new result \(new.id)")
        let oldJSON = try JSONSerialization.jsonObject(with: Data(entry.oldValue!.utf8)) as! [String: Any]
        let newJSON = try JSONSerialization.jsonObject(with: Data(entry.newValue!.utf8)) as! [String: Any]
        XCTAssertEqual(oldJSON["value"] as? Double, 77)
        XCTAssertEqual(newJSON["value"] as? Double, 7.7)
        // Queries show the current value; --all-versions the history.
        var filter = QueryFilter()
        filter.samples = ["R1-S"]
        filter.analytes = ["Ce"]
        XCTAssertEqual(try store.queryResults(filter).collect().rows.map { $0[6].display }, ["7.7"])
        filter.allVersions = true
        XCTAssertEqual(try store.queryResults(filter).collect().rows.map { $0[6].display }, ["77", "7.7"])
        XCTAssertEqual(try store.resultHistory(id: new.id).map(\.id), [oldID, new.id])
        XCTAssertEqual(try store.resultHistory(id: oldID).map(\.id), [oldID, new.id])
    }

    func testCensoredCorrectionsAndUnitConversion() throws {
        let id = try lab.resultID("R1-S-E", "Ce")
        let censored = try store.correctResult(id: id, value: "<0.001", reason: "below DL on re-reading the run")
        XCTAssertEqual(censored.qualifier, "<")
        XCTAssertNil(censored.value)                    // never a zero
        XCTAssertEqual(censored.detectionLimit, 0.001)
        XCTAssertEqual(censored.reported, "<0.001 mg/L")
        // 4.5 ppb in a solution = 0.0045 mg/L; the typed number and unit are kept as original.
        let ppb = try store.correctResult(id: censored.id, value: "4.5", unit: "ppb", reason: "value re-read in ppb")
        XCTAssertEqual(ppb.value!, 0.0045, accuracy: 1e-15)
        XCTAssertEqual(ppb.unit, "mg/L")
        let original = try store.db.firstRow("SELECT original_value, original_unit FROM measurement WHERE id = ?", [ppb.id])!
        XCTAssertEqual(original.double("original_value"), 4.5)
        XCTAssertEqual(original.string("original_unit"), "ppb")
        XCTAssertEqual(try store.resultHistory(id: id).map(\.reported), ["0.004 mg/L", "<0.001 mg/L", "0.0045 mg/L"])
    }

    func testRefusedCorrectionsChangeNothing() throws {
        let id = try lab.resultID("C1-S", "La")
        let before = try counts()
        let cases: [(() throws -> Void, String)] = [
            ({ try self.store.correctResult(id: id, value: "60.5", reason: "  ") }, "reason"),
            ({ try self.store.correctResult(id: id, value: "sixty", reason: "r") }, "\"sixty\" is not valid; expected a number"),
            ({ try self.store.correctResult(id: id, value: "60", unit: "furlong", reason: "r") }, "unit: \"furlong\""),
            ({ try self.store.correctResult(id: id, value: "60", unit: "mg/L", reason: "r") }, "mg/kg or a unit convertible"),
            ({ try self.store.correctResult(id: id, value: "<", reason: "r") }, "a detection limit"),
            ({ try self.store.correctResult(id: 999_999, value: "1", reason: "r") }, "result \"999999\" does not exist"),
            ({ try self.store.retireResult(id: id, reason: "") }, "reason"),
        ]
        for (action, fragment) in cases {
            XCTAssertThrowsError(try action()) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
        XCTAssertEqual(try counts(), before)
        // A superseded value cannot be corrected again; the error names its current version.
        let new = try store.correctResult(id: id, value: "61", reason: "recalculated")
        XCTAssertThrowsError(try store.correctResult(id: id, value: "62", reason: "again")) { error in
            XCTAssertTrue("\(error)".contains("its current version is result \(new.id)"), "\(error)")
        }
    }

    func testRetiringAResultHidesItFromQueriesButKeepsIt() throws {
        let id = try lab.resultID("C1-S", "Ce")
        try store.retireResult(id: id, reason: "digest contaminated")
        XCTAssertEqual(try store.requireResult(id: id).status, "retired")
        var filter = QueryFilter()
        filter.samples = ["C1-S"]
        filter.analytes = ["Ce"]
        XCTAssertEqual(try store.queryResults(filter).collect().rows.count, 0)
        filter.allVersions = true
        XCTAssertEqual(try store.queryResults(filter).collect().rows.count, 1)
        XCTAssertEqual(try store.auditEntries().last?.action, "retire")
        XCTAssertThrowsError(try store.retireResult(id: id, reason: "twice")) { error in
            XCTAssertTrue("\(error)".contains("retired"), "\(error)")
        }
    }

    func testSampleEditAndRetireAreAudited() throws {
        let edited = try store.editSample(code: "C1-S", SampleEdit(depth: try DepthRange(top: 0, bottom: 15), massG: 900),
                                          reason: "field sheet says 0-15 cm")
        XCTAssertEqual(edited.depthBottomCm, 15)
        XCTAssertEqual(edited.massG, 900)
        let entry = try store.auditEntries(sampleID: edited.id).last!
        XCTAssertEqual(entry.action, "update")
        XCTAssertEqual(entry.summary, "sample C1-S edited: depth_bottom_cm 10 → 15, mass_g 850 → 900")
        XCTAssertEqual(entry.oldValue, "{\"depth_bottom_cm\":10,\"mass_g\":850}")
        XCTAssertEqual(entry.newValue, "{\"depth_bottom_cm\":15,\"mass_g\":900}")
        XCTAssertEqual(entry.reason, "field sheet says 0-15 cm")

        // Moving a field sample to another plot moves its sub-samples, fractions and extracts too.
        try store.editSample(code: "C1-S", SampleEdit(plotCode: "C3"), reason: "plot labels swapped")
        XCTAssertEqual(try store.requireSample(code: "C1-S-F2").plotCode, "C3")
        XCTAssertEqual(try store.requireSample(code: "C1-S-E").plotCode, "C3")
        XCTAssertEqual(try store.requireSample(code: "C1-B").plotCode, "C1")
        XCTAssertEqual(try store.auditEntries(sampleID: try store.requireSample(code: "C1-S-E").id).last?.summary,
                       "sample C1-S-E edited: plot C1 → C3 (with its ancestor C1-S)")
        try store.editSample(code: "C1-S", SampleEdit(plotCode: "C1"), reason: "no, they were right")

        let moved = try store.editSample(code: "C1-S-G", SampleEdit(parentCode: "C2-S", description: ""), reason: "labels swapped")
        XCTAssertEqual(moved.parentCode, "C2-S")
        XCTAssertNil(moved.description)

        let before = try counts()
        XCTAssertThrowsError(try store.editSample(code: "C1-S", SampleEdit(parentCode: "C1-S-F1"), reason: "r")) { error in
            XCTAssertTrue("\(error)".contains("not C1-S itself or one of its sub-samples"), "\(error)")
        }
        XCTAssertThrowsError(try store.editSample(code: "C1-S", SampleEdit(massG: 900), reason: "r")) { error in
            XCTAssertTrue("\(error)".contains("no change"), "\(error)")
        }
        XCTAssertThrowsError(try store.editSample(code: "C1-S", SampleEdit(plotCode: "C9"), reason: "r")) { error in
            XCTAssertTrue("\(error)".contains("plot \"C9\" does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try store.editSample(code: "C1-S", SampleEdit(collectedOn: "2018-02-30"), reason: "r"))
        XCTAssertEqual(try counts(), before)

        try store.retireSample(code: "C2-S", reason: "jar broken")
        XCTAssertNotNil(try store.requireSample(code: "C2-S").retiredAt)
        var filter = QueryFilter()
        filter.treatments = ["control"]
        filter.types = ["bulk"]
        XCTAssertEqual(try store.querySamples(filter).collect().rows.map { $0[0].display }, ["C1-S", "C3-S"])
        filter.includeRetired = true
        XCTAssertEqual(try store.querySamples(filter).collect().rows.map { $0[0].display }, ["C1-S", "C2-S", "C3-S"])
        XCTAssertThrowsError(try store.retireSample(code: "C2-S", reason: "again"))
    }

    func testAuditLogRefusesTampering() throws {
        let id = try lab.resultID("C1-S", "La")
        try store.correctResult(id: id, value: "61", reason: "recalculated")
        let count = try store.db.scalar("SELECT count(*) FROM audit_log")!.int!
        XCTAssertThrowsError(try store.db.execute("UPDATE audit_log SET reason = 'nothing happened' WHERE action = 'correct'")) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertThrowsError(try store.db.execute("DELETE FROM audit_log WHERE action = 'correct'")) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM audit_log")!.int!, count)
        XCTAssertEqual(try store.auditEntries().last?.reason, "recalculated")
    }
}
