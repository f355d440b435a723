import XCTest
import LIMSStore
import LIMSTestSupport
@testable import Reports

final class ReferenceImporterTests: XCTestCase {
    func testSharedCompositionsFileMatchesTheSeededReferences() throws {
        guard let shared = TestSupport.sharedDirectory else { throw XCTSkip("../shared is absent") }
        let text = try String(contentsOf: shared.appendingPathComponent("reference/compositions.csv"), encoding: .utf8)
        let parsed = try ReferenceImporter.parse(text: text, fileName: "compositions.csv")
        XCTAssertEqual(parsed.map(\.code), ["UCC-TM1995", "CI-MS1995", "PAAS-TM1985"])
        let store = try TestSupport.makeStore()
        let seeded = try ReferenceStore.all(store)
        for reference in parsed {
            let stored = seeded.first { $0.code == reference.code }!
            XCTAssertEqual(stored.values, reference.values, reference.code)
            XCTAssertEqual(stored.citation, reference.citation, reference.code)
            XCTAssertEqual(reference.values.count, 15)
        }
        XCTAssertEqual(try ReferenceStore.reference(store, code: nil).code, "UCC-TM1995")
    }

    func testUnitsAreConvertedAndSavedInOneTransactionWithAudit() throws {
        let text = "reference,element,value,unit,citation,name\r\nMY,La,30000,ppb,\"Lab, 2024\",Our shale\r\nMY,Ce,64,ppm,,\r\n"
        let parsed = try ReferenceImporter.parse(text: text, fileName: "my.csv")
        XCTAssertEqual(parsed, [ReferenceComposition(code: "MY", name: "Our shale", citation: "Lab, 2024", values: ["La": 30, "Ce": 64])])
        let store = try TestSupport.makeStore()
        try ReferenceStore.save(parsed, in: store, replace: false, source: "my.csv")
        XCTAssertThrowsError(try ReferenceStore.save(parsed, in: store, replace: false, source: "my.csv")) {
            XCTAssertEqual($0 as? StoreError, .duplicate(kind: "reference composition", key: "MY"))
        }
        XCTAssertEqual(try ReferenceStore.reference(store, code: "MY").values, ["La": 30, "Ce": 64])
        XCTAssertEqual(try store.auditEntries().last?.summary, "reference composition MY imported from my.csv")
    }

    func testErrorsNameLineColumnValueAndExpectation() {
        let cases: [(String, String)] = [
            ("reference,element,value,unit,citation\nX,La,abc,mg/kg,c\n",
             "f.csv:2:6: error: value \"abc\" for X La is not valid; expected a number > 0"),
            ("reference,element,value,unit,citation\nX,La,1,mg/kg,c\nX,Ce,2,wt%,\n",
             "f.csv:3:8: error: unit \"wt%\" for X Ce is not valid; expected mg/kg, ppm, µg/g, µg/kg, ppb or ng/g"),
            ("reference,element,value,unit,colour\n", "f.csv:1:30: error: unknown column \"colour\"; expected columns reference,element,value,unit,citation,name"),
            ("reference,element,value,unit,citation\nX,la1,1,mg/kg,c\n",
             "f.csv:2:3: error: element \"la1\" is not valid; expected an element symbol such as La"),
            ("reference,element,value,unit,citation\nX,La,1,mg/kg,\n",
             "f.csv:1:5: error: reference X has no citation; give it in the citation column of its first row"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ReferenceImporter.parse(text: text, fileName: "f.csv")) { XCTAssertEqual("\($0)", message) }
        }
    }
}
