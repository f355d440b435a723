import XCTest
@testable import LIMSStore
import LIMSTestSupport

/// The query layer on the fixture lab (Tests/LIMSTestSupport/FixtureLab.swift).
/// Expected concentrations are the fixture's `base × factor` (e.g. Ce 110 mg/kg × 0.7 for R1-S = 77).
final class QueryTests: XCTestCase {
    var lab: FixtureLab!
    var store: LabStore { lab.store }

    override func setUpWithError() throws {
        lab = try FixtureLab.build(try TestSupport.makeStore())
    }

    func column(_ table: ResultTable, _ name: String) -> [String] {
        let index = table.columns.firstIndex(of: name)!
        return table.rows.map { $0[index].display }
    }

    func filter(_ configure: (inout QueryFilter) -> Void) -> QueryFilter {
        var filter = QueryFilter()
        configure(&filter)
        return filter
    }

    func testAnalyteGroupsExpandAndUnknownNamesGetSuggestionsFromTheDatabase() throws {
        XCTAssertEqual(try store.resolveAnalytes(["REE"]), Analytes.ree)
        XCTAssertEqual(try store.resolveAnalytes(["LREE"]), ["La", "Ce", "Pr", "Nd", "Sm", "Eu"])
        XCTAssertEqual(try store.resolveAnalytes(["hree"]), ["Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"])
        XCTAssertEqual(try store.resolveAnalytes(["REY"]).count, 15)
        XCTAssertEqual(try store.resolveAnalytes(["REY"]).last, "Y")
        XCTAssertEqual(try store.resolveAnalytes(["la,Ce", "Fe", "La"]), ["La", "Ce", "Fe"])
        // A valid element with no values yet is not an error (the answer is just empty).
        XCTAssertEqual(try store.resolveAnalytes(["Th"]), ["Th"])
        XCTAssertEqual(try store.knownAnalytes(), ["Al", "Ce", "Dy", "Er", "Eu", "Fe", "Gd", "Ho", "La", "Lu", "Nd",
                                                   "Pr", "Sm", "Tb", "Tm", "Y", "Yb"])
        XCTAssertThrowsError(try store.resolveAnalytes(["Cer"])) { error in
            XCTAssertEqual("\(error)", "analyte \"Cer\" does not exist; did you mean \"Ce\", \"Er\", \"Eu\"?")
        }
        XCTAssertThrowsError(try store.queryResults(filter { $0.treatments = ["rami"] })) { error in
            XCTAssertEqual("\(error)", "treatment \"rami\" does not exist; did you mean \"ramie\"?")
        }
    }

    func testTreatmentAndAnalyteGiveTheRamieCeriumValuesInSampleOrder() throws {
        // Samples in the order they were registered (sample id): the bulk samples, then R1's
        // block, then the extracts (FixtureLab registers them in that order).
        let table = try store.queryResults(filter { $0.treatments = ["ramie"]; $0.analytes = ["Ce"] }).collect()
        XCTAssertEqual(column(table, "sample"), ["R1-S", "R2-S", "R3-S", "R1-B", "R1-S-E", "R2-S-E"])
        // 110 × 0.7, 110 × 0.75, 110 × 0.85, 110 × 0.9, extracts 0.004 and 0.005 mg/L
        XCTAssertEqual(column(table, "value"), ["77", "82.5", "93.5", "99", "0.004", "0.005"])
        XCTAssertEqual(column(table, "unit"), ["mg/kg", "mg/kg", "mg/kg", "mg/kg", "mg/L", "mg/L"])
        XCTAssertEqual(column(table, "depth_cm"), ["0-10", "0-10", "0-10", "30-40", "0-10", "0-10"])
        XCTAssertEqual(Set(column(table, "file")), ["icpms_totals_2018-09.csv", "icpms_cacl2_2018-08.csv"])
        // Two treatments: "any of".
        let two = try store.queryResults(filter { $0.treatments = ["ramie", "miscanthus"]; $0.analytes = ["La"]; $0.types = ["bulk"] }).collect()
        XCTAssertEqual(column(two, "sample"), ["M1-S", "M2-S", "R1-S", "R2-S", "R3-S"])
    }

    func testEveryFilterNarrowsTheAnswer() throws {
        func samples(_ configure: (inout QueryFilter) -> Void) throws -> [String] {
            var filter = QueryFilter()
            configure(&filter)
            return Array(Set(column(try store.queryResults(filter).collect(), "sample"))).sorted()
        }
        XCTAssertEqual(try samples { $0.site = "DN"; $0.plots = ["M2"] }, ["M2-S"])
        XCTAssertEqual(try samples { $0.samples = ["C1-S-F2"] }, ["C1-S-F2"])
        XCTAssertEqual(try samples { $0.types = ["block"] }, ["C1-B", "R1-B"])
        // Overlapping depth intervals: 15-25 cm meets C1-B (20-30); 10-20 only touches 0-10 and 20-30.
        XCTAssertEqual(try samples { $0.depth = try! DepthRange(top: 15, bottom: 25) }, ["C1-B"])
        XCTAssertEqual(try samples { $0.depth = try! DepthRange(top: 10, bottom: 20) }, [])
        XCTAssertEqual(try samples { $0.depth = try! DepthRange(top: 25, bottom: 35) }, ["C1-B", "R1-B"])
        XCTAssertEqual(try samples { $0.matrix = "solution" }, ["C1-S-E", "C2-S-E", "R1-S-E", "R2-S-E"])
        XCTAssertEqual(try samples { $0.batches = ["icpms_fractions_2019-01.csv"] }, ["C1-S-F1", "C1-S-F2", "C1-S-F3"])
        XCTAssertEqual(try samples { $0.batches = [String(lab.fractionBatch)] }, ["C1-S-F1", "C1-S-F2", "C1-S-F3"])
        XCTAssertEqual(try samples { $0.method = "icp-oes" }.count, 9)
        // Measured dates: extracts 2018-08-05, totals 09-14, majors 09-20, fractions 2019-01-10.
        XCTAssertEqual(try samples { $0.until = "2018-08-31" }, ["C1-S-E", "C2-S-E", "R1-S-E", "R2-S-E"])
        XCTAssertEqual(try samples { $0.since = "2019-01-01" }, ["C1-S-F1", "C1-S-F2", "C1-S-F3"])
        XCTAssertEqual(try samples { $0.since = "2018-09-15"; $0.until = "2018-09-30"; $0.plots = ["M3"] }, ["M3-S"])
        // Censored: R3-S Tm and Lu (<0.05), C2-S-E Ce and R2-S-E Nd (<0.001).
        let censored = try store.queryResults(filter { $0.censored = true }).collect()
        // In sample order: R3-S (registered with the bulk samples) before the extracts.
        XCTAssertEqual(column(censored, "sample"), ["R3-S", "R3-S", "C2-S-E", "R2-S-E"])
        XCTAssertEqual(column(censored, "value"), ["<0.05", "<0.05", "<0.001", "<0.001"])
        let total = try store.db.scalar("SELECT count(*) FROM measurement")!.int!
        XCTAssertEqual(try store.queryResults(filter { $0.censored = false }).collect().rows.count, total - 4)
        XCTAssertThrowsError(try store.queryResults(filter { $0.batches = ["icpms_total_2018-09.csv"] })) { error in
            XCTAssertTrue("\(error)".contains("did you mean \"icpms_totals_2018-09.csv\""), "\(error)")
        }
    }

    func testWidePivotsSamplesByAnalytesWithUnitsAndCensoredText() throws {
        let (table, duplicates) = try store.wideResults(filter { $0.treatments = ["ramie"]; $0.analytes = ["HREE"]; $0.matrix = "solid" })
        XCTAssertEqual(duplicates, 0)
        XCTAssertEqual(table.columns, ["sample", "treatment", "plot", "depth_cm", "Gd (mg/kg)", "Tb (mg/kg)", "Dy (mg/kg)",
                                       "Ho (mg/kg)", "Er (mg/kg)", "Tm (mg/kg)", "Yb (mg/kg)", "Lu (mg/kg)"])
        XCTAssertEqual(column(table, "sample"), ["R1-S", "R2-S", "R3-S", "R1-B"])   // sample (registration) order
        XCTAssertEqual(table.rows[2].map(\.display),
                       ["R3-S", "ramie", "R3", "0-10", "6.8", "1.02", "5.95", "1.19", "3.4", "<0.05", "3.4", "<0.05"])
        // Mixed matrices get one column per analyte and unit.
        let mixed = try store.wideResults(filter { $0.plots = ["R1"]; $0.analytes = ["Ce"] }).table
        XCTAssertEqual(mixed.columns.suffix(2), ["Ce (mg/L)", "Ce (mg/kg)"])
    }

    func testSamplesWithoutICPMSTotals() throws {
        let missing = try store.querySamples(filter { $0.plots = ["M3"]; $0.method = "ICP-MS"; $0.matrix = "solid"; $0.withResults = false }).collect()
        XCTAssertEqual(column(missing, "sample"), ["M3-S"])
        let withTotals = try store.querySamples(filter { $0.treatments = ["miscanthus"]; $0.method = "ICP-MS" }).collect()
        XCTAssertEqual(column(withTotals, "sample"), ["M1-S", "M2-S"])
        XCTAssertEqual(column(withTotals, "results"), ["15", "15"])
        let collected = try store.querySamples(filter { $0.since = "2018-07-11"; $0.until = "2018-07-11" }).collect()
        XCTAssertEqual(column(collected, "sample"), ["M1-S", "M2-S", "M3-S"])
    }

    func testExtractionsGiveExtractableAmountAndExtractability() throws {
        let table = try store.queryExtractions(filter { $0.treatments = ["ramie"]; $0.analytes = ["Ce", "Nd"] }).collect()
        XCTAssertEqual(column(table, "extract"), ["R1-S-E", "R1-S-E", "R2-S-E", "R2-S-E"])
        // Independently (python3): extractable = C × V_mL / m_g; R1 Ce 0.004 × 20 / 10 = 0.008 mg/kg,
        // 0.008 / 77 × 100 = 0.0103896 %; R1 Nd 0.04 × 20 / 10 = 0.08, / 35 = 0.228571 %;
        // R2 (25 mL measured) Ce 0.005 × 25 / 10 = 0.0125, / 82.5 = 0.0151515 %; R2 Nd <0.001 → <0.0025.
        XCTAssertEqual(column(table, "extractable_mg_kg"), ["0.008", "0.08", "0.0125", "<0.0025"])
        XCTAssertEqual(column(table, "extractability_pct"), ["0.0103896", "0.228571", "0.0151515", ""])
        XCTAssertEqual(column(table, "total_mg_kg"), ["77", "35", "82.5", "37.5"])
        let index = table.columns.firstIndex(of: "extractability_pct")!
        guard case .number(let value, _) = table.rows[0][index] else { return XCTFail("not a number") }
        XCTAssertEqual(value, 0.008 / 77 * 100, accuracy: 1e-12)
        // Without result filters: the extractions themselves.
        let plain = try store.queryExtractions(filter { $0.treatments = ["control"] }).collect()
        XCTAssertEqual(column(plain, "extract"), ["C1-S-E", "C2-S-E"])
        XCTAssertFalse(plain.columns.contains("analyte"))
    }

    func testFractionsWithMassPercentAndValues() throws {
        let table = try store.queryFractions(filter { $0.samples = ["C1-S"] }).collect()
        // Replicate 2 masses 28.6, 12.1, 9.4 g (python3: m / 50.1 × 100 → 57.09, 24.15, 18.76).
        XCTAssertEqual(column(table, "mass_pct"), ["58.10", "23.40", "18.50", "57.09", "24.15", "18.76"])
        XCTAssertEqual(column(table, "fraction"), ["C1-S-F1", "C1-S-F2", "C1-S-F3", "", "", ""])
        let values = try store.queryFractions(filter { $0.samples = ["C1-S"]; $0.analytes = ["La"] }).collect()
        XCTAssertEqual(column(values, "value"), ["40", "70", "120"])
        XCTAssertEqual(column(values, "class"), ["250-2000 um", "50-250 um", "<50 um"])
    }

    func testPropertiesAndPOIs() throws {
        let ph = try store.queryProperties(filter { $0.treatments = ["control"]; $0.properties = ["pH_H2O"] }).collect()
        XCTAssertEqual(column(ph, "value"), ["4.2", "4.3", "4.4"])
        let toc = try store.queryProperties(filter { $0.censored = true }).collect()
        XCTAssertEqual(column(toc, "sample"), ["C3-S"])
        XCTAssertEqual(column(toc, "value"), ["<0.05"])
        XCTAssertThrowsError(try store.queryProperties(filter { $0.properties = ["ph_h2o"] })) { error in
            XCTAssertTrue("\(error)".contains("did you mean \"pH_H2O\""), "\(error)")
        }
        let ce = try store.queryPOIs(filter { $0.edge = "Ce" }).collect()
        XCTAssertEqual(column(ce, "poi"), ["P1", "P2"])
        XCTAssertEqual(column(ce, "lcf"), ["Fe K goethite 0.62 + ferrihydrite 0.38 (R 0.012)", ""])
        XCTAssertEqual(column(try store.queryPOIs(filter { $0.oxidationState = "Ce(IV)" }).collect(), "poi"), ["P2"])
        XCTAssertEqual(column(try store.queryPOIs(filter { $0.phase = "ROOT" }).collect(), "poi"), ["P3"])
        XCTAssertEqual(try store.queryPOIs(filter { $0.treatments = ["ramie"] }).collect().rows.count, 0)
        XCTAssertEqual(try store.queryPOIs(filter { $0.depth = try! DepthRange(top: 0, bottom: 10) }).collect().rows.count, 0)
    }

    /// The results query must walk the samples in id order and seek each one's values: no scan of
    /// the measurement table and no sort (a sort makes the first row wait for every row).
    func testResultQueriesUseTheIndexes() throws {
        let cases: [(String, QueryFilter)] = [
            ("no filter", filter { _ in }),
            ("treatment", filter { $0.treatments = ["ramie"] }),
            ("two treatments", filter { $0.treatments = ["ramie", "control"] }),
            ("treatment + analyte", filter { $0.treatments = ["ramie"]; $0.analytes = ["Ce"] }),
            ("treatments + REE", filter { $0.treatments = ["control", "ramie"]; $0.analytes = ["REE"] }),
            ("analyte", filter { $0.analytes = ["Ce"] }),
            ("REE", filter { $0.analytes = ["REE"] }),
            ("type", filter { $0.types = ["bulk"] }),
            ("depth", filter { $0.depth = try! DepthRange(top: 0, bottom: 10) }),
            ("plot + analyte", filter { $0.plots = ["M3"]; $0.analytes = ["La"] }),
            ("sample", filter { $0.samples = ["R3-S"] }),
        ]
        for (name, query) in cases {
            let plan = try store.resultQueryPlan(query).joined(separator: "\n")
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "\(name): rows must come out in order, unsorted\n\(plan)")
            XCTAssertFalse(plan.contains("SCAN m"), "\(name): no scan of the values\n\(plan)")
            XCTAssertTrue(plan.contains("SEARCH m USING INDEX measurement_") && plan.contains("sample_id=?"),
                          "\(name): a seek per sample\n\(plan)")
            XCTAssertTrue(plan.hasPrefix("SCAN s") || plan.hasPrefix("SEARCH s"), "\(name): samples in the outer loop\n\(plan)")
        }
        XCTAssertTrue(try store.resultQueryPlan(filter { $0.plots = ["M3"] }).joined().contains("sample_plot (plot_id=?)"))
        XCTAssertTrue(try store.resultQueryPlan(filter { $0.types = ["bulk"] }).joined().contains("sample_type_idx (type=?)"))
    }

    /// The documented order: sample id, then analyte in atomic order (AnalyteOrder), then value id — on every filter.
    func testResultsComeInSampleThenAnalyteOrder() throws {
        let ids = try store.db.rows("SELECT id, code FROM sample").reduce(into: [String: Int64]()) { $0[$1.string("code")!] = $1.int64("id")! }
        for query in [filter { _ in }, filter { $0.treatments = ["ramie", "control"] }, filter { $0.analytes = ["REE"] },
                      filter { $0.allVersions = true }] {
            var keys: [(Int64, String, Int64)] = []
            try store.forEachResult(query) { keys.append((ids[$0.sample!]!, $0.analyte, $0.id)) }
            XCTAssertGreaterThan(keys.count, 10)
            let z = { (analyte: String) in PeriodicTable.atomicNumber(analyte)! }  // the fixture's analytes are elements
            for (a, b) in zip(keys, keys.dropFirst()) {
                XCTAssertTrue(a.0 < b.0 || (a.0 == b.0 && (z(a.1) < z(b.1) || (a.1 == b.1 && a.2 < b.2))), "\(a) before \(b)")
            }
        }
    }

    /// Pages of --limit/--offset follow the same (atomic) order: put together they are the full
    /// listing, with no row twice or missing, even where a page ends inside a sample.
    func testPagesPutTogetherAreTheFullListingInOrder() throws {
        var all: [Int64] = []
        try store.forEachResult(filter { _ in }) { all.append($0.id) }
        XCTAssertGreaterThan(all.count, 20)
        var paged: [Int64] = []
        for offset in stride(from: 0, to: all.count + 7, by: 7) {
            try store.forEachResult(filter { $0.limit = 7; $0.offset = offset }) { paged.append($0.id) }
        }
        XCTAssertEqual(paged, all)
    }

    func testTidyRowsNeverGiveANumberForACensoredValue() throws {
        let table = try store.tidyResults(filter { $0.samples = ["R3-S"]; $0.analytes = ["Tm", "Yb"] }).collect()
        XCTAssertEqual(column(table, "analyte"), ["Tm", "Yb"])
        XCTAssertEqual(column(table, "value"), ["", "3.4"])
        XCTAssertEqual(column(table, "qualifier"), ["<", "="])
        XCTAssertEqual(column(table, "censored"), ["TRUE", "FALSE"])
        XCTAssertEqual(column(table, "detection_limit"), ["0.05", "0.01"])
        XCTAssertEqual(column(table, "reported"), ["<0.05", "3.4"])
        XCTAssertEqual(column(table, "file"), ["icpms_totals_2018-09.csv", "icpms_totals_2018-09.csv"])
    }

    func testReadOnlySQLRefusesWrites() throws {
        let rows = try store.readOnlyQuery("SELECT count(*) AS n FROM measurement WHERE qualifier = '<'").collect()
        XCTAssertEqual(rows.rows.first?.first?.display, "4")
        for sql in ["DELETE FROM audit_log", "UPDATE measurement SET value = 0", "DROP TABLE sample",
                    "INSERT INTO site (code) VALUES ('X')", "ATTACH DATABASE '/tmp/x.sqlite' AS x", "PRAGMA user_version = 3"] {
            XCTAssertThrowsError(try store.readOnlyQuery(sql), sql) { error in
                XCTAssertTrue(error is ReadOnlySQLError, "\(sql): \(error)")
            }
        }
        XCTAssertThrowsError(try store.readOnlyQuery("SELECT 1; DELETE FROM sample")) { error in
            XCTAssertEqual(error as? ReadOnlySQLError, .notOneStatement("a prepared statement must hold exactly one SQL statement"))
        }
    }
}
