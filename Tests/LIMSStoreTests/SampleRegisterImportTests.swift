import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The samples sheet at scale: rows checked before they write (no savepoint per row), one audit
/// row per registered sample, a bounded list of actions in the summary.
final class SampleRegisterImportTests: XCTestCase {
    static let header = "code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description"

    func write(_ text: String, name: String = "samples.csv") throws -> URL {
        let url = TestSupport.temporaryDirectory("samples").appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @discardableResult
    func importSamples(_ store: LabStore, _ url: URL, _ options: SheetImportOptions = SheetImportOptions()) throws -> SheetImportSummary {
        var options = options
        options.displayName = url.lastPathComponent
        return try SheetImport(store: store, importer: SamplesSheet(), url: url, options: options).run()
    }

    /// `count` rows on the plots of the small lab; every tenth row is a sub-sample of the row before.
    static func sheet(rows count: Int, replacing line: Int? = nil, with bad: String = "") -> String {
        var lines = [header]
        for index in 1...count {
            let code = String(format: "S-%05d", index)
            if index + 1 == line { lines.append(bad); continue }
            if index % 10 == 0 {
                lines.append("\(code),,\(String(format: "S-%05d", index - 1)),subsample,,,,12.5,ground <150 um,")
            } else {
                let plot = ["C1", "C2", "M1", "R3"][index % 4]
                lines.append("\(code),\(plot),,bulk,0,10,2018-07-10,\(300 + index % 500).5,air-dried; sieved <2 mm,composite")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testTwoThousandRowsWithOneBadRowInTheMiddleReportThatRowAndWriteNothing() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let before = try store.tableCounts().map(\.count)
        let url = try write(Self.sheet(rows: 2000, replacing: 1002, with: "S-01001,C1,,bulk,0,10,2018-07-10,heavy,air-dried,"))
        XCTAssertThrowsError(try importSamples(store, url)) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "samples.csv:1002:8: error: mass_g: \"heavy\" is not valid; expected a number in g",
            ])
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnosticLines.last, "1 error(s); nothing was written")
        }
        XCTAssertEqual(try store.tableCounts().map(\.count), before, "one transaction: the 1,999 good rows are not written either")

        // Every row is still checked and nothing of a refused row counts: its sub-sample on the next
        // row names an unknown parent, and a bad date further down is reported too.
        var text = Self.sheet(rows: 2000, replacing: 1010, with: "S-01009,C1,,bulk,0,10,2018-07-10,heavy,air-dried,")
        text = text.replacingOccurrences(of: "S-01801,C2,,bulk,0,10,2018-07-10,", with: "S-01801,C2,,bulk,0,10,2018-13-10,")
        XCTAssertThrowsError(try importSamples(store, try write(text))) { error in
            let lines = (error as? ImportDiagnostics)?.diagnostics.map(\.description) ?? []
            XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
            XCTAssertEqual(lines.first, "samples.csv:1010:8: error: mass_g: \"heavy\" is not valid; expected a number in g")
            XCTAssertTrue(lines.dropFirst().first?.hasPrefix("samples.csv:1011:3: error: parent: no sample \"S-01009\" is registered") == true,
                          lines.joined(separator: "\n"))
            XCTAssertEqual(lines.last, "samples.csv:1802:7: error: collected_on: \"2018-13-10\" is not valid; expected a date written YYYY-MM-DD with a month from 01 to 12")
        }
        XCTAssertEqual(try store.tableCounts().map(\.count), before)

        // The same file without the bad row imports whole, sub-samples on their parents' plots.
        let summary = try importSamples(store, try write(Self.sheet(rows: 2000)))
        XCTAssertEqual(summary.counts.samplesRegistered, 2000)
        XCTAssertEqual(try store.sample(code: "S-00010")?.parentCode, "S-00009")
        XCTAssertEqual(try store.sample(code: "S-00010")?.plotCode, try store.sample(code: "S-00009")?.plotCode)
        XCTAssertEqual(try AuditChain.verify(store.db), [])
    }

    func testOneAuditRowPerRegisteredSampleHoldsItsPreparation() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let url = try write("""
            \(Self.header)
            A-1,C1,,bulk,0,10,2018-07-10,850,air-dried; sieved <2 mm,"composite, 5 cores"
            A-1-G,,A-1,subsample,,,,50,,
            """ + "\n")
        let summary = try importSamples(store, url)
        let sample = try XCTUnwrap(store.sample(code: "A-1"))
        let plotID = try XCTUnwrap(store.db.scalar("SELECT id FROM plot WHERE code = 'C1'")?.int64)
        let history = try store.auditEntries(sampleID: sample.id)
        XCTAssertEqual(history.count, 1, "the registration is one row; the steps have no row of their own")
        let entry = try XCTUnwrap(history.first)
        XCTAssertEqual(entry.action, "insert")
        XCTAssertEqual(entry.tableName, "sample")
        XCTAssertEqual(entry.recordID, sample.id)
        XCTAssertEqual(entry.batchID, summary.batchID)
        XCTAssertEqual(entry.operatorName, "tester")
        XCTAssertEqual(entry.summary, "sample A-1 added from samples.csv line 2; preparation: air-dried; sieved <2 mm")
        XCTAssertEqual(entry.reason, "samples sheet samples.csv, batch \(summary.batchID)")
        XCTAssertNil(entry.oldValue)
        XCTAssertEqual(entry.newValue, #"{"code":"A-1","collected_on":"2018-07-10","depth_bottom_cm":10,"depth_top_cm":0,"#
                       + #""description":"composite, 5 cores","mass_g":850,"parent_id":null,"plot_id":\#(plotID),"#
                       + #""preparation":["air-dried","sieved <2 mm"],"type":"bulk"}"#)
        // A sample without steps: no "preparation" key, and the summary says nothing of it.
        let child = try XCTUnwrap(store.sample(code: "A-1-G"))
        let childEntry = try XCTUnwrap(store.auditEntries(sampleID: child.id).first)
        XCTAssertEqual(childEntry.summary, "sample A-1-G added from samples.csv line 3")
        XCTAssertEqual(childEntry.newValue, #"{"code":"A-1-G","collected_on":null,"depth_bottom_cm":null,"depth_top_cm":null,"#
                       + #""description":null,"mass_g":50,"parent_id":\#(sample.id),"plot_id":\#(plotID),"type":"subsample"}"#)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'preparation_step'")?.int, 0)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM preparation_step WHERE sample_id = ?", [sample.id])?.int, 2)
        XCTAssertEqual(try AuditChain.verify(store.db), [])
        // The audit rows of the inserts still find the batch's records for --replace: the child,
        // dropped from the sheet, is deleted as a left-over; A-1 is unchanged.
        let replaced = try importSamples(store, try write("""
            \(Self.header)
            A-1,C1,,bulk,0,10,2018-07-10,850,air-dried; sieved <2 mm,"composite, 5 cores"
            """ + "\n"), SheetImportOptions(replace: true))
        XCTAssertEqual(replaced.counts.unchanged, 1)
        XCTAssertEqual(replaced.counts.deleted, 1)
        XCTAssertNil(try store.sample(code: "A-1-G"))
        XCTAssertEqual(try AuditChain.verify(store.db), [])
    }

    func testTheSummaryKeepsCountsPerTableButListsOnlyTheFirstActions() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let summary = try importSamples(store, try write(Self.sheet(rows: 2000)), SheetImportOptions(dryRun: true))
        // 1,800 field samples with 2 steps, 200 sub-samples with 1.
        XCTAssertEqual(summary.tableCounts.map(\.table), ["sample", "preparation_step"])
        XCTAssertEqual(summary.tableCounts.map { $0.counts.map(\.verb) }, [["insert"], ["insert"]])
        XCTAssertEqual(summary.tableCounts.map { $0.counts.map(\.count) }, [[2000], [3800]])
        XCTAssertEqual(summary.changeCount, 5800)
        XCTAssertEqual(summary.actions.count, SheetImportSummary.listedActions, "not 5,800 labels in memory")
        XCTAssertEqual(summary.actions.first, SheetImportAction(verb: "insert", table: "sample", label: "sample S-00001", line: 2, detail: nil))
        XCTAssertEqual(summary.actions[1].label, "step 1 of S-00001: air-dried")
        let lines = summary.lines
        XCTAssertTrue(lines.contains("  sample: 2000 to insert"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("  preparation_step: 3800 to insert"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("  insert sample S-00001 (line 2)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("  … and \(5800 - SheetImportSummary.listedActions) more"), lines.joined(separator: "\n"))
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM sample")?.int, 9, "a dry run writes nothing")

        // Unchanged records are counted, not listed: a second import with --replace changes nothing.
        try importSamples(store, try write(Self.sheet(rows: 2000)))
        let again = try importSamples(store, try write(Self.sheet(rows: 2000)), SheetImportOptions(dryRun: true, replace: true))
        XCTAssertEqual(again.tableCounts.map { $0.table + ":" + $0.counts.map { "\($0.verb)=\($0.count)" }.joined(separator: ",") },
                       ["sample:unchanged=2000"])
        XCTAssertEqual(again.changeCount, 0)
        XCTAssertEqual(again.actions, [])
        XCTAssertTrue(again.lines.contains("  nothing (every record is already there)"), again.lines.joined(separator: "\n"))
    }

    func testCodesMatchIgnoringCaseAndParentsComeFromEarlierRows() throws {
        let store = try TestSupport.makeStore()
        try TestSupport.seedSmallLab(store)
        let url = try write("""
            \(Self.header)
            c1-s,C1,,bulk,0,10,,,,
            B-1,c2,,bulk,0,10,,,,
            B-1-A,,b-1,subsample,,,,,,
            B-1-A-X,,B-1-a,subsample,,,,,,
            """ + "\n")
        let summary = try importSamples(store, url, SheetImportOptions(replace: true))
        XCTAssertEqual(summary.counts.unchanged, 1, "c1-s is the registered C1-S")
        XCTAssertEqual(summary.counts.samplesRegistered, 3)
        XCTAssertNil(try store.db.scalar("SELECT id FROM sample WHERE code = 'c1-s'"))
        XCTAssertEqual(try store.sample(code: "B-1")?.plotCode, "C2")
        XCTAssertEqual(try store.sample(code: "B-1-A-X")?.parentCode, "B-1-A")
        XCTAssertEqual(try store.sample(code: "B-1-A-X")?.plotCode, "C2")
        // A second row of the same sample, in another case, is refused as a duplicate.
        XCTAssertThrowsError(try importSamples(store, try write("""
            \(Self.header)
            D-1,C1,,bulk,,,,,,
            d-1,C1,,bulk,,,,,,
            """ + "\n"))) { error in
            XCTAssertEqual((error as? ImportDiagnostics)?.diagnostics.map(\.description), [
                "samples.csv:3:1: error: code: sample D-1 appears twice in this file (first on line 2); expected one row per sample",
            ])
        }
    }

    func testAnAuditRowRolledBackWithItsSavepointLeavesTheChainWhole() throws {
        let store = try TestSupport.makeStore()
        struct Refused: Error {}
        try store.write {
            try store.audit(action: "note", table: "sample", recordID: nil, summary: "kept")
            XCTAssertThrowsError(try store.db.writeTransaction {
                try store.audit(action: "note", table: "sample", recordID: nil, summary: "rolled back")
                throw Refused()
            })
            try store.audit(action: "note", table: "sample", recordID: nil, summary: "after the rollback")
        }
        try store.audit(action: "note", table: "sample", recordID: nil, summary: "next transaction")
        XCTAssertEqual(Array(try store.auditEntries().map(\.summary).suffix(3)), ["kept", "after the rollback", "next transaction"])
        XCTAssertEqual(try AuditChain.verify(store.db), [])
    }

    func testAuditObjectsFromSQLValuesMatchTheDictionaryEncoding() {
        let columns: [(String, SQLValue)] = [
            ("mass_g", .real(378.7)), ("zero", .real(0)), ("minus_zero", .real(-0.0)), ("big", .real(1e15)),
            ("bigger", .real(1e16)), ("small", .real(1e-7)), ("whole", .real(-42)), ("count", .integer(7)),
            ("code", .text("C1/é \"x\"\\\n\u{1}")), ("nothing", .null), ("blob", .blob([1, 2, 3])), ("inf", .real(.infinity)),
        ]
        var dictionary: [String: Any] = [:]
        for (key, value) in columns { dictionary[key] = SheetImportContext.json(value) }
        dictionary["preparation"] = ["air-dried", "a/b"]
        XCTAssertEqual(JSONText.object(columns, lists: [("preparation", ["air-dried", "a/b"])]), JSONText.encode(dictionary))
        // Keys that are not plain, or repeat, go the Foundation way.
        XCTAssertEqual(JSONText.object([("Code", .text("x")), ("a", .integer(1))]), JSONText.encode(["Code": "x", "a": Int64(1)]))
        XCTAssertEqual(JSONText.object([("a", .integer(1)), ("a", .integer(2))]).hasPrefix(#"{"a":"#), true)
    }

    func testDatesAreDigitsOnly() {
        XCTAssertTrue(Validate.isISODate("2018-07-10"))
        XCTAssertTrue(Validate.isISODate("2020-02-29"))
        XCTAssertFalse(Validate.isISODate("2019-02-29"))
        XCTAssertFalse(Validate.isISODate("1900-02-29"))
        XCTAssertTrue(Validate.isISODate("2000-02-29"))
        XCTAssertFalse(Validate.isISODate("2018-04-31"))
        XCTAssertFalse(Validate.isISODate("+018-07-10"), "a sign is not a digit (SQLite's date() refuses it too)")
        XCTAssertFalse(Validate.isISODate("2018-+7-10"))
        XCTAssertFalse(Validate.isISODate("2018-7-10"))
        XCTAssertFalse(Validate.isISODate("2018-07-10 "))
        XCTAssertFalse(Validate.isISODate("٢٠١٨-07-10"))
        XCTAssertFalse(Validate.isISODate(""))
    }

    /// A refused date says what is wrong with it: the shape, the month, or a day the month lacks
    /// (days per month by the Gregorian rule, written out here independently of the code).
    func testARefusedDateSaysWhetherItsShapeMonthOrDayIsWrong() {
        XCTAssertEqual(Validate.expectedDate("2018-02-30"), "a date that exists (2018-02 has 28 days)")
        XCTAssertEqual(Validate.expectedDate("2020-02-30"), "a date that exists (2020-02 has 29 days)")
        XCTAssertEqual(Validate.expectedDate("1900-02-29"), "a date that exists (1900-02 has 28 days)")
        XCTAssertEqual(Validate.expectedDate("2018-04-31"), "a date that exists (2018-04 has 30 days)")
        XCTAssertEqual(Validate.expectedDate("2018-07-00"), "a date that exists (2018-07 has 31 days)")
        XCTAssertEqual(Validate.expectedDate("2018-13-10"), "a date written YYYY-MM-DD with a month from 01 to 12")
        XCTAssertEqual(Validate.expectedDate("2018-00-10"), "a date written YYYY-MM-DD with a month from 01 to 12")
        XCTAssertEqual(Validate.expectedDate("10/07/2018"), "a date written YYYY-MM-DD")
        XCTAssertEqual(Validate.expectedDate("2018-7-1"), "a date written YYYY-MM-DD")
        XCTAssertEqual(Validate.expectedDate("2018-+7-10"), "a date written YYYY-MM-DD")
        XCTAssertEqual(Validate.expectedDate("٢٠١٨-07-10"), "a date written YYYY-MM-DD")
    }
}
