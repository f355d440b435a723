import XCTest
@testable import LIMSStore
import LIMSTestSupport

final class RecordTests: XCTestCase {
    func testSmallLabIsRegisteredWithAudit() throws {
        let store = try TestSupport.makeStore()
        let samples = try TestSupport.seedSmallLab(store)
        XCTAssertEqual(samples.count, 9)
        XCTAssertEqual(try store.samples(SampleFilter(treatmentCodes: ["ramie"])).map(\.code), ["R1-S", "R2-S", "R3-S"])
        XCTAssertEqual(try store.samples(SampleFilter(treatmentCodes: ["ramie", "control"])).count, 6)
        XCTAssertEqual(try store.samples(SampleFilter(plotCode: "M2")).map(\.code), ["M2-S"])
        let entries = try store.auditEntries()
        XCTAssertEqual(entries.count, 1 + 3 + 9 + 9)
        XCTAssertEqual(entries.last?.operatorName, "tester")
        XCTAssertEqual(try store.auditEntries(sampleID: samples[0].id).map(\.action), ["insert"])
    }

    func testSubSampleInheritsPlotAndLineage() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let child = try store.addSample(Sample(code: "C1-S-F1", parentCode: "C1-S", type: "size_fraction"))
        XCTAssertEqual(child.plotCode, "C1")
        XCTAssertEqual(child.treatmentCode, "control")
        XCTAssertEqual(child.parentCode, "C1-S")
    }

    func testBadRecordsAreRefusedWithClearMessagesAndNothingWritten() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let count = { try store.db.scalar("SELECT count(*) FROM sample")?.int }
        let auditCount = { try store.db.scalar("SELECT count(*) FROM audit_log")?.int }
        let before = (try count(), try auditCount())

        func expect(_ sample: Sample, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try store.addSample(sample), file: file, line: line) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", file: file, line: line)
            }
        }
        expect(Sample(code: "X", plotCode: "C9"), "plot \"C9\" does not exist; did you mean")
        expect(Sample(code: "C1-S", plotCode: "C1"), "sample \"C1-S\" already exists")
        expect(Sample(code: "X", plotCode: "C1", depthTopCm: 10, depthBottomCm: 5), "expected a top shallower than the bottom")
        expect(Sample(code: "X", plotCode: "C1", depthTopCm: 10, depthBottomCm: 10), "10-10 cm")
        expect(Sample(code: "X", plotCode: "C1", massG: -3), "mass: \"-3\" is not valid")
        expect(Sample(code: "X", plotCode: "C1", type: "soup"), "sample type: \"soup\"")
        expect(Sample(code: "X", plotCode: "C1", collectedOn: "2018-02-30"), "expected a date that exists (2018-02 has 28 days)")
        expect(Sample(code: "X"), "no plot and no parent")
        expect(Sample(code: " X", plotCode: "C1"), "without leading or trailing spaces")
        XCTAssertEqual(try count(), before.0)
        XCTAssertEqual(try auditCount(), before.1)
    }

    func testSchemaChecksCatchWhatValidationMightMiss() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let plotID = try store.requirePlot(code: "C1").id
        let sampleID = try store.requireSample(code: "C1-S").id
        let bad: [(String, [any SQLValueConvertible])] = [
            ("INSERT INTO sample (code, plot_id, type, depth_top_cm, depth_bottom_cm) VALUES ('x', ?, 'bulk', 20, 10)", [plotID]),
            ("INSERT INTO sample (code, plot_id, type, mass_g) VALUES ('x', ?, 'bulk', -1)", [plotID]),
            ("INSERT INTO size_fraction (parent_sample_id, class_label, mass_g, mass_percent) VALUES (?, '<50', 1, 101)", [sampleID]),
            ("INSERT INTO measurement (sample_id, analyte, raw_text, qualifier) VALUES (?, 'La', '1', '?')", [sampleID]),
            ("INSERT INTO measurement (sample_id, analyte, raw_text, value, detection_limit) VALUES (?, 'La', '1', 1, -0.1)", [sampleID]),
            ("INSERT INTO soil_property (sample_id, property, raw_text, value, unit) VALUES (?, 'pH_H2O', '15', 15, '')", [sampleID]),
            ("INSERT INTO cacl2_extraction (sample_id, extract_sample_id, soil_mass_g, solution_mass_g) VALUES (?, ?, -5, 10)", [sampleID, sampleID]),
            ("INSERT INTO sample (code, plot_id, type, collected_on) VALUES ('x', ?, 'bulk', '10/07/2018')", [plotID]),
        ]
        for (sql, arguments) in bad {
            XCTAssertThrowsError(try store.db.execute(sql, arguments), sql) { error in
                XCTAssertTrue((error as? DatabaseError)?.isConstraintViolation ?? false, "\(sql): \(error)")
            }
        }
    }

    func testAuditLogIsAppendOnly() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        XCTAssertThrowsError(try store.db.execute("UPDATE audit_log SET operator = 'mallory'")) { error in
            XCTAssertTrue("\(error)".contains("append-only"))
        }
        XCTAssertThrowsError(try store.db.execute("DELETE FROM audit_log"))
        XCTAssertEqual(try store.db.scalar("SELECT count(DISTINCT operator) FROM audit_log")?.string, "1")
    }

    func testSuggestionsFindTheClosestCodes() {
        XCTAssertEqual(Suggestions.closest(to: "contrl", among: ["control", "ramie", "miscanthus"]), ["control"])
        XCTAssertEqual(Suggestions.closest(to: "zzz", among: ["control", "ramie"]), [])
    }
}
