import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The sheet reader's checks and the runner's contract for importers written elsewhere
/// (the leaching sheets implement only the short `importRow(_:store:batchID:)`).
final class SheetRunnerTests: XCTestCase {
    let columns = [SheetColumn("code", required: true, help: "code"), SheetColumn("value", help: "a number")]

    func sheet(_ text: String, delimiter: Character? = nil) throws -> Sheet {
        try Sheet(reader: CSVReader(text: text, fileName: "t.csv", delimiter: delimiter), columns: columns)
    }

    func testDecimalCommaOnlyWhenTheFileIsNotCommaDelimited() throws {
        let semicolon = try sheet("code;value\nA;4,52\n")
        XCTAssertEqual(try semicolon.rows[0].number("value"), 4.52)
        let comma = try sheet("code,value\nA,\"4,52\"\n")
        XCTAssertThrowsError(try comma.rows[0].number("value")) { error in
            XCTAssertEqual("\(error)", "t.csv:2:2: error: value: \"4,52\" is not valid; expected a number")
        }
        XCTAssertThrowsError(try semicolon.rows[0].number("code"))
    }

    func testTooFewFieldsIsAnErrorButAMissingTrailingDelimiterIsNot() throws {
        XCTAssertEqual(try sheet("code,value,\nA,1\nB,2,\n").rows.count, 2, "header with a trailing delimiter")
        XCTAssertThrowsError(try sheet("code,value\nA\n")) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description),
                           ["t.csv:2:2: error: this row has 1 field(s) but the header has 2; expected 2 (a truncated row, or a wrong delimiter?)"])
        }
        XCTAssertEqual(try sheet("code,value\nA,1,,\n").rows.count, 1, "empty extra fields are tolerated")
    }

    func testMissingRequiredAndDuplicateColumns() {
        XCTAssertThrowsError(try sheet("value,value\n1,2\n")) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "t.csv:1:2: error: column \"value\" appears twice",
                "t.csv:1:1: error: the required column \"code\" is missing (code)",
            ])
        }
    }

    /// An importer written the short way, as another engineer may add one.
    struct NotesSheet: SheetImporter {
        let kind = "notes-test"
        let summary = "test"
        let columns = [SheetColumn("sample", required: true, help: "sample"), SheetColumn("note", help: "text")]
        func importRow(_ row: SheetRow, store: LabStore, batchID: Int64) throws {
            let code = try row.requiredText("sample")
            guard let sample = try store.sample(code: code) else { throw row.error("sample", "no sample \"\(code)\"") }
            try store.audit(action: "note", table: "sample", recordID: sample.id, sampleID: sample.id, batchID: batchID,
                            summary: row.text("note") ?? "")
        }
    }

    func testAnImporterWithOnlyTheShortFormRunsInOneTransactionWithABatch() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let dir = TestSupport.temporaryDirectory()
        let good = dir.appendingPathComponent("notes.csv")
        try Data("sample,note\nC1-S,first\nC2-S,second\n".utf8).write(to: good)
        let summary = try SheetImport(store: store, importer: NotesSheet(), url: good).run()
        XCTAssertEqual(summary.counts.inserted, 2)
        XCTAssertEqual(try store.batch(id: summary.batchID)?.kind, "notes-test")
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM audit_log WHERE action = 'note' AND batch_id = ?", [summary.batchID])?.int, 2)

        let bad = dir.appendingPathComponent("bad-notes.csv")
        try Data("sample,note\nC3-S,ok\nC9-S,missing\n".utf8).write(to: bad)
        let before = try store.tableCounts().map(\.count)
        XCTAssertThrowsError(try SheetImport(store: store, importer: NotesSheet(), url: bad,
                                             options: SheetImportOptions(displayName: "bad-notes.csv")).run()) { error in
            XCTAssertEqual("\(error)", "bad-notes.csv:3:1: error: sample: no sample \"C9-S\"\n1 error(s); nothing was written")
        }
        XCTAssertEqual(try store.tableCounts().map(\.count), before, "row 2 was fine but the file is one transaction")
    }

    /// An importer that checks its rows before writing them (no savepoint per row).
    struct CheckedNotesSheet: SheetImporter {
        let kind = "checked-notes-test"
        let summary = "test"
        let columns = [SheetColumn("sample", required: true, help: "sample"), SheetColumn("note", help: "text")]
        var checksRowsBeforeWriting: Bool { true }
        func importRow(_ row: SheetRow, context: SheetImportContext) throws {
            let code = try row.requiredText("sample")
            guard let sample = try context.store.sample(code: code) else { throw row.error("sample", "no sample \"\(code)\"") }
            try context.store.audit(action: "note", table: "sample", recordID: sample.id, sampleID: sample.id,
                                    batchID: context.batchID, summary: row.text("note") ?? "")
            // A write the checks did not foresee fails after the row's first write.
            if row.text("note") == "refused" {
                try context.store.db.execute("INSERT INTO preparation_step (sample_id, step_no, action) VALUES (?, 0, 'x')", [sample.id])
            }
            context.counts.inserted += 1
        }
    }

    func testARowWithoutSavepointThatFailsAfterItsChecksEndsTheImportAndWritesNothing() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let url = TestSupport.temporaryDirectory().appendingPathComponent("notes.csv")
        try Data("sample,note\nC1-S,ok\nC9-S,unknown\nC2-S,refused\nC8-S,not reached\n".utf8).write(to: url)
        let before = try store.tableCounts().map(\.count)
        XCTAssertThrowsError(try SheetImport(store: store, importer: CheckedNotesSheet(), url: url,
                                             options: SheetImportOptions(displayName: "notes.csv")).run()) { error in
            let lines = (error as? ImportDiagnostics)?.diagnostics.map(\.description) ?? []
            XCTAssertEqual(lines.count, 2, "the rows after the half-written one are not checked against it: \(lines)")
            XCTAssertEqual(lines.first, "notes.csv:3:1: error: sample: no sample \"C9-S\"")
            XCTAssertTrue(lines.last?.hasPrefix("notes.csv:4:1: error: the database refused this row: ") == true, "\(lines)")
        }
        XCTAssertEqual(try store.tableCounts().map(\.count), before, "nothing written, not even row 2")
        XCTAssertEqual(try AuditChain.verify(store.db), [])
        // The same sheet with every row good: the audit rows follow one another.
        try Data("sample,note\nC1-S,a\nC2-S,b\nC3-S,c\n".utf8).write(to: url)
        let summary = try SheetImport(store: store, importer: CheckedNotesSheet(), url: url).run()
        XCTAssertEqual(summary.counts.inserted, 3)
        XCTAssertEqual(try AuditChain.verify(store.db), [])
    }

    func testASampleCannotBecomeItsOwnAncestor() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let dir = TestSupport.temporaryDirectory()
        let first = dir.appendingPathComponent("samples.csv")
        try Data("code,plot,parent,type\nA,C1,,bulk\nB,,A,subsample\n".utf8).write(to: first)
        try SheetImport(store: store, importer: SamplesSheet(), url: first).run()
        try Data("code,plot,parent,type\nA,,B,bulk\nB,,A,subsample\n".utf8).write(to: first)
        XCTAssertThrowsError(try SheetImport(store: store, importer: SamplesSheet(), url: first,
                                             options: SheetImportOptions(replace: true, displayName: "samples.csv")).run()) { error in
            XCTAssertEqual("\(error)", "samples.csv:2:3: error: parent: sample B descends from A; a sample cannot be its own ancestor\n1 error(s); nothing was written")
        }
        XCTAssertEqual(try store.sample(code: "A")?.plotCode, "C1")
    }
}
