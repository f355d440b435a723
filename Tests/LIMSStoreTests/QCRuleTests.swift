import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// QC rows told by name and by type, from rules stored in the database (`qc_name_rule`).
final class QCRuleTests: XCTestCase {
    func testBuiltinFallbackIsTheMigrationSeed() throws {
        let store = try TestSupport.makeStore()
        let seeded = try store.qcNameRules(includeDisabled: true)
        XCTAssertEqual(seeded.count, QCClassifier.builtinRules.count)
        for (stored, builtin) in zip(seeded, QCClassifier.builtinRules.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }) {
            XCTAssertEqual([stored.pattern, stored.matchKind.rawValue, stored.appliesTo.rawValue, stored.qcType, String(stored.priority)],
                           [builtin.pattern, builtin.matchKind.rawValue, builtin.appliesTo.rawValue, builtin.qcType, String(builtin.priority)])
            XCTAssertTrue(stored.builtin)
            XCTAssertEqual(stored.id, builtin.id)
        }
        // A store without the table (not migrated) falls back to the same rules.
        XCTAssertEqual(try QCClassifier(store: store).rules, QCClassifier.builtin.rules.map { var rule = $0; rule.note = seeded.first { $0.id == rule.id }?.note; return rule })
    }

    func testNamesOfTheIssueAreQC() {
        let classify = { (label: String, type: String?) in QCClassifier.classify(label: label, type: type)?.type }
        XCTAssertEqual(classify("STD 2", nil), "cal_std")
        XCTAssertEqual(classify("CalStd 5", nil), "cal_std")
        XCTAssertEqual(classify("ICV", nil), "ccv")
        XCTAssertEqual(classify("CCV-3", nil), "ccv")
        XCTAssertEqual(classify("CCB 1", nil), "ccb")
        XCTAssertEqual(classify("LRB", nil), "blank")
        XCTAssertEqual(classify("LFB 2", nil), "spike")
        XCTAssertEqual(classify("T-01 spike", nil), "spike")
        XCTAssertEqual(classify("T-01 DUP", nil), "duplicate")
        XCTAssertEqual(QCClassifier.classify(label: "T-01 DUP", type: nil)?.duplicateOf, "T-01")
        XCTAssertEqual(QCClassifier.classify(label: "GBW07405", type: nil), .init(type: "crm", crmName: "GBW07405"))
        XCTAssertEqual(QCClassifier.classify(label: "NIST SRM 2711a", type: nil)?.crmName, "NIST SRM 2711a")
        XCTAssertEqual(QCClassifier.classify(label: "BCR-2", type: nil)?.type, "crm")
        XCTAssertEqual(QCClassifier.classify(label: "ORREAS-DPL 600", type: nil)?.crmName, "OREAS 600")
        XCTAssertEqual(classify("OREAS 45d - DNU", nil), "dnu", "do not use wins over a CRM")
        XCTAssertEqual(classify("Sample 1", "LFB"), "spike", "by type")
        XCTAssertNil(classify("STDEV", nil), "STD is a prefix with a space, not any word starting STD")
        XCTAssertNil(classify("T-01", "Sample"))
        XCTAssertNil(classify("GA02D", nil), "a bare trailing D is a name")
    }

    func testTheLabExtendsDisablesAndRestoresRules() throws {
        let store = try TestSupport.makeStore(operatorName: "li.wei")
        XCTAssertNil(try QCClassifier(store: store).classify(label: "QC-Low 1", type: "Sample"))
        let added = try store.addQCNameRule(QCNameRule(pattern: "qc-", matchKind: .prefix, qcType: "ccv", note: "lab check standards"))
        XCTAssertFalse(added.builtin)
        XCTAssertEqual(try QCClassifier(store: store).classify(label: "QC-Low 1", type: "Sample")?.type, "ccv")
        let crm = try store.addQCNameRule(QCNameRule(pattern: "JSd", matchKind: .prefix, qcType: "crm"))
        XCTAssertEqual(try QCClassifier(store: store).classify(label: "JSd-2", type: nil), .init(type: "crm", crmName: "JSd-2"))
        XCTAssertEqual(try store.db.scalar("SELECT crm FROM qc_name_rule WHERE id = ?", [crm.id])?.int, 1)
        // A lab word rule of two words matches them in order only.
        try store.addQCNameRule(QCNameRule(pattern: "Lab Blank", matchKind: .word, qcType: "blank"))
        XCTAssertEqual(try QCClassifier(store: store).classify(label: "Lab-blank 3", type: nil)?.type, "blank")
        XCTAssertThrowsError(try store.addQCNameRule(QCNameRule(pattern: "QC-", matchKind: .prefix, qcType: "blank"))) {
            XCTAssertTrue("\($0)".hasPrefix("QC rule \"label prefix \"QC-\" → blank (rule \(added.id))\" already exists"), "\($0)")
        }
        XCTAssertThrowsError(try store.addQCNameRule(QCNameRule(pattern: "X", matchKind: .exact, qcType: "istd"))) {
            XCTAssertEqual("\($0)", "type: \"istd\" is not valid; expected one of " + QCNameRule.qcTypes.joined(separator: ", "))
        }
        // Built-in: disabled, not deleted; enable brings it back.
        let blank = try XCTUnwrap(try store.qcNameRules().first { $0.pattern == "BLANK" && $0.matchKind == .word })
        XCTAssertEqual(try store.removeQCNameRule(id: blank.id), .disabled({ var r = blank; r.enabled = false; return r }()))
        XCTAssertNil(try QCClassifier(store: store).classify(label: "Blank 2", type: nil))
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM qc_name_rule WHERE id = ?", [blank.id])?.int, 1)
        try store.enableQCNameRule(id: blank.id)
        XCTAssertEqual(try QCClassifier(store: store).classify(label: "Blank 2", type: nil)?.type, "blank")
        // A lab rule is deleted.
        XCTAssertEqual(try store.removeQCNameRule(id: added.id), .deleted(added))
        XCTAssertNil(try QCClassifier(store: store).classify(label: "QC-Low 1", type: nil))
        XCTAssertThrowsError(try store.removeQCNameRule(id: 9999)) { XCTAssertEqual("\($0)", "QC rule \"9999\" does not exist") }
        let actions = try store.auditEntries().filter { $0.tableName == "qc_name_rule" }.map(\.action)
        XCTAssertEqual(actions, ["insert", "insert", "insert", "update", "update", "delete"])
    }

    /// An import builds its classifier from the store: a lab rule changes what becomes QC.
    func testImportUsesTheStoredRules() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let dir = TestSupport.temporaryDirectory("lims-qcrule")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("run.csv")
        try "sample,analyte,value,unit\nC1-S,La,30,mg/kg\nKaolin ref,La,12,mg/kg\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResultsImport(store: store, url: file).run(), "Kaolin ref is an unknown sample")
        try store.addQCNameRule(QCNameRule(pattern: "ref", matchKind: .word, qcType: "ccv"))
        let summary = try ResultsImport(store: store, url: file).run()
        XCTAssertEqual(summary.qcRows, ["ccv": 1])
        XCTAssertEqual(summary.sampleValues, 1)
    }
}
