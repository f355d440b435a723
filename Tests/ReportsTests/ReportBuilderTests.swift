import XCTest
import LIMSStore
import LIMSTestSupport
@testable import Reports

/// Whole reports through the store: anomalies, the treatment table, POIs, bad input, and `writeAll`.
final class ReportBuilderTests: XCTestCase {
    /// Worked case 1 (shared/reference/worked-cases.md) as CEC of 5 samples per treatment:
    /// Control → control, T1 → miscanthus, T2 → ramie.
    static let case1: [(String, String, [Double])] = [
        ("control", "C", [10.2, 11.5, 12.1, 12.1, 14.0]), ("miscanthus", "M", [13.3, 14.0, 15.8, 16.4, 17.9]),
        ("ramie", "R", [16.4, 18.5, 19.2, 20.1, 21.7]),
    ]

    func makeCase1Lab() throws -> ReportTestLab {
        let lab = try ReportTestLab.make()
        for (treatment, prefix, values) in Self.case1 {
            for replicate in 4...5 {
                try lab.store.addPlot(Plot(treatmentCode: treatment, code: "\(prefix)\(replicate)", replicate: replicate))
                try lab.store.addSample(Sample(code: "\(prefix)\(replicate)-S", plotCode: "\(prefix)\(replicate)"))
            }
            for (i, v) in values.enumerated() { try lab.property("\(prefix)\(i + 1)-S", "CEC", v, unit: "cmol+/kg") }
        }
        return lab
    }

    func testTreatmentTableReproducesWorkedCase1() throws {
        let lab = try makeCase1Lab()
        var options = ReportOptions()
        options.parameters = ["CEC"]
        let document = try ReportBuilder(store: lab.store, options: options).build([.treatments])
        let parameter = try ReportTestLab.json(document).object("sections").object("treatments").array("parameters")[0]
        XCTAssertEqual(parameter["parameter"] as? String, "CEC")
        let kw = parameter.object("kruskal_wallis")
        XCTAssertEqual(kw.double("h")!, 11.1044883303, accuracy: 1e-9)
        XCTAssertEqual(kw.double("p")!, 0.003878742929, accuracy: 1e-11)
        XCTAssertEqual(kw["df"] as? Int, 2)
        let groups = parameter.array("groups")
        XCTAssertEqual(groups.map { $0["letters"] as? String }, ["a", "ab", "b"])
        XCTAssertEqual(groups.map { $0.double("mean_rank")! }, [3.3, 8.0, 12.7].map { $0 }, "mean ranks")
        let pairs = parameter.object("comparisons").array("pairs")
        XCTAssertEqual(pairs.map { $0["difference"] as? Bool }, [false, true, false])
        XCTAssertEqual(pairs[0].double("critical_dif")!, 6.771197, accuracy: 1e-6)
        let md = document.markdown()
        XCTAssertTrue(md.contains("| CEC | cmol+/kg | 12.0 ± 1.4 (12.1) a | 15.5 ± 1.9 (15.8) ab | 19.2 ± 2.0 (19.2) b | KW | 11.104 | 2 | 0.004 |"), md)
        XCTAssertTrue(md.contains("| control (n = 5) | miscanthus (n = 5) | ramie (n = 5) |"), md)
        XCTAssertTrue(md.contains("| CEC | control – ramie | 9.400 | 6.771 | yes |"), md)
    }

    func testSingleTreatmentAndSmallGroupsSayWhatIsMissing() throws {
        let lab = try makeCase1Lab()
        var options = ReportOptions()
        options.treatments = ["control"]
        let single = try ReportBuilder(store: lab.store, options: options).build([.treatments])
        XCTAssertTrue(single.hasContent)
        XCTAssertTrue(single.warnings.contains("only one treatment (control) selected: descriptive statistics only, no comparison"),
                      "\(single.warnings)")
        XCTAssertTrue(single.markdown().contains("| CEC | cmol+/kg | 12.0 ± 1.4 (12.1) | – | – | – |"), single.markdown())

        try lab.store.db.execute("DELETE FROM soil_property WHERE sample_id IN (SELECT id FROM sample WHERE code LIKE 'M%' AND code <> 'M1-S')")
        let small = try ReportBuilder(store: lab.store).build([.treatments])
        XCTAssertTrue(small.warnings.contains("CEC: miscanthus: n = 1, fewer than 2 values; left out of the test"), "\(small.warnings)")
        XCTAssertTrue(small.markdown().contains("13.3 (n = 1)"))
        XCTAssertThrowsError(try ReportBuilder(store: lab.store, options: { var o = ReportOptions(); o.treatments = ["rami"]; return o }())) {
            XCTAssertEqual("\($0)", "treatment \"rami\" does not exist; did you mean \"ramie\"?")
        }
    }

    func testCellsSayWhenAGroupHasFewerValuesThanItsColumn() throws {
        let lab = try makeCase1Lab()
        for (_, prefix, _) in Self.case1 {
            for replicate in 1...5 { try lab.property("\(prefix)\(replicate)-S", "pH_H2O", 4.0 + 0.1 * Double(replicate), unit: "pH") }
        }
        try lab.store.db.execute("DELETE FROM soil_property WHERE property = 'CEC' AND sample_id = ?", [try lab.id("R5-S")])
        let md = try ReportBuilder(store: lab.store).build([.treatments]).markdown()
        XCTAssertTrue(md.contains("| control (n = 5) | miscanthus (n = 5) | ramie (n = 5) |"), md)
        // Ramie CEC without R5 (21.7): 16.4, 18.5, 19.2, 20.1 → mean 18.55 (printed 18.5: the double sum is 18.549999…),
        // SD 1.58, median 18.85; still differs from control.
        XCTAssertTrue(md.contains("| CEC | cmol+/kg | 12.0 ± 1.4 (12.1) a | 15.5 ± 1.9 (15.8) ab | 18.5 ± 1.6 (18.9) b [n = 4] |"), md)
        XCTAssertTrue(md.contains("no value for R5-S"), md)
    }

    func testAnomaliesFromTheStoreWithReplicatesCensoringAndReferenceChoice() throws {
        let lab = try ReportTestLab.make()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        try lab.measureAll("R1-S", ReportTestLab.s2)
        // A replicate run of La on C1-S: the report uses the mean (45.2 + 45.2)/2 and says so.
        try lab.measure("C1-S", "La", 45.2)
        // M1-S: Pr below detection → Ce* not computed, pattern uses DL/2.
        var m1 = ReportTestLab.s1
        m1["Pr"] = nil
        try lab.measureAll("M1-S", m1)
        try lab.measure("M1-S", "Pr", nil, qualifier: "<", dl: 0.5)
        // C2-S has a pH but no REE totals; C3-S … have no data at all and are not counted.
        try lab.property("C2-S", "pH_H2O", 4.6, unit: "pH")
        for reference in ["CI-MS1995", "PAAS-TM1985", "UCC-TM1995"] {
            var options = ReportOptions()
            options.censoring = .halfDL
            options.referenceCode = reference
            let document = try ReportBuilder(store: lab.store, options: options).build([.anomalies])
            let samples = try ReportTestLab.json(document).object("sections").object("anomalies").array("samples")
            let c1 = samples.first { $0["sample"] as? String == "C1-S" }!, r1 = samples.first { $0["sample"] as? String == "R1-S" }!
            let expected: [String: (Double, Double, Double, Double)] = [   // S1 Ce*, S1 Eu*, S2 Ce*, S2 Eu* (worked-cases.md)
                "UCC-TM1995": (1.013971, 0.905808, 0.559816, 2.344007),
                "CI-MS1995": (1.044938, 0.574768, 0.578326, 1.519815),
                "PAAS-TM1985": (1.024724, 0.898962, 0.565709, 2.325629),
            ]
            let e = expected[reference]!
            XCTAssertEqual(c1.double("ce_anomaly")!, e.0, accuracy: 1e-6, reference)
            XCTAssertEqual(c1.double("eu_anomaly")!, e.1, accuracy: 1e-6, reference)
            XCTAssertEqual(r1.double("ce_anomaly")!, e.2, accuracy: 1e-6, reference)
            XCTAssertEqual(r1.double("eu_anomaly")!, e.3, accuracy: 1e-6, reference)
            XCTAssertEqual(c1.double("sum_ree")!, 227.96, accuracy: 1e-9)
            let m1json = samples.first { $0["sample"] as? String == "M1-S" }!
            XCTAssertTrue(m1json["ce_anomaly"] is NSNull)
            XCTAssertEqual(m1json["ce_anomaly_note"] as? String, "Pr < DL")
            XCTAssertEqual(m1json["substituted"] as? [String], ["Pr"])
            XCTAssertTrue(document.markdown().contains("Normalized to **\(reference)**"))
        }
        var halfDL = ReportOptions()
        halfDL.censoring = .halfDL
        let document = try ReportBuilder(store: lab.store, options: halfDL).build([.anomalies])
        let md = document.markdown()
        XCTAssertTrue(md.contains("Replicate runs averaged (mean of the valid values): C1-S La (n = 2)"), md)
        XCTAssertTrue(md.contains("‡ not computed: M1-S Ce/Ce*: Pr < DL"), md)
        XCTAssertTrue(md.contains("| M1-S | miscanthus | 217 † |"), md)   // ΣREE 227.96 − 10.9 + 0.25 (Pr = DL/2), marked
        XCTAssertTrue(md.contains("n.c. ‡"))
        XCTAssertTrue(md.contains("- no REE totals (mg/kg) for sample(s) C2-S; left out of the REE tables\n"), md)
        XCTAssertTrue(md.contains("- Treatments: control (n = 2), miscanthus (n = 1), ramie (n = 1); samples n = 4 (field replicates: sample types bulk, pit_layer)\n"), md)
        XCTAssertEqual(document.figures.map(\.fileName), ["ree-pattern-treatments.svg", "ree-pattern-samples.svg"])
        let svg = document.figures[0].svg
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("(log scale)"))
        for e in Elements.ree { XCTAssertTrue(svg.contains(">\(e)</text>"), e) }
        XCTAssertTrue(svg.contains("control (n = 1)"))
        XCTAssertTrue(document.figures[1].svg.contains("dashed: uses DL substitutes"))

        // The default rule `km`: nothing substituted; Pr stays < 0.5, so ΣREE is an upper limit
        // (227.96 − 10.9 + 0.5 = 217.56 → "< 218"), LREE_N/HREE_N is not computed, the figure uses an open marker.
        let km = try ReportBuilder(store: lab.store).build([.anomalies])
        let kmMarkdown = km.markdown()
        XCTAssertTrue(kmMarkdown.contains("| M1-S | miscanthus | < 218 | < 249 | < 195 | 22.6 | n.c. ‡ | n.c. ‡ |"), kmMarkdown)
        let kmM1 = try ReportTestLab.json(km).object("sections").object("anomalies").array("samples").first { $0["sample"] as? String == "M1-S" }!
        XCTAssertEqual(kmM1["substituted"] as? [String], [])
        XCTAssertEqual(kmM1["upper_limits"] as? [String], ["Pr"])
        XCTAssertEqual(kmM1.double("sum_ree")!, 217.56, accuracy: 1e-9)
        XCTAssertTrue(km.figures[1].svg.contains("open marker: &lt; DL (upper limit)"))
        XCTAssertFalse(kmMarkdown.contains("†"))

        // The treatment table explains a smaller n for Ce*: which sample, and why.
        var options = ReportOptions()
        options.parameters = ["ce-anomaly"]
        let treatments = try ReportBuilder(store: lab.store, options: options).build([.treatments])
        let ce = try ReportTestLab.json(treatments).object("sections").object("treatments").array("parameters")[0]
        XCTAssertEqual(ce["parameter"] as? String, "Ce/Ce* (arithmetic)")
        XCTAssertEqual((ce["notes"] as? [String])?.first,
                       "no value for C2-S (no REE totals), M1-S (Pr < DL)")
    }

    /// Built-in references (values from pyrolite's tables) and the La, Gd, Y/Ho anomalies, against
    /// Tests/Fixtures/reports/censored_check.py (pyrolite UCC_RG2014, PAAS_Pourmand2012; tolerance 1e-9).
    func testBuiltinReferencesAndFurtherAnomalies() throws {
        let lab = try ReportTestLab.make()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        let expected: [(String, AnomalyForm, [Double])] = [
            ("UCC-RG2014", .arithmetic, [1.0467907269, 0.8358564115, 0.9428922134, 1.2281445312]),
            ("PAAS-P2012", .arithmetic, [1.0711469451, 1.0234921833, 1.0059285338, 0.9655176708]),
            ("UCC-RG2014", .geometric, [.nan, .nan, 0.9428549128, 1.2266665188]),
            ("PAAS-P2012", .geometric, [.nan, .nan, 1.0030641730, 0.9643353409]),
        ]
        for (code, form, e) in expected {
            var options = ReportOptions()
            options.referenceCode = code
            options.anomalyForm = form
            let document = try ReportBuilder(store: lab.store, options: options).build([.anomalies])
            let c1 = try ReportTestLab.json(document).object("sections").object("anomalies").array("samples")[0]
            let got = ["ce_anomaly", "eu_anomaly", "la_anomaly", "gd_anomaly"].map { c1.double($0)! }
            for (g, w) in zip(got, e) where !w.isNaN { XCTAssertEqual(g, w, accuracy: 1e-9, "\(code) \(form)") }
            XCTAssertEqual(c1.double("y_ho")!, 26.4705882353, accuracy: 1e-9)
            XCTAssertTrue(document.markdown().contains("Normalized to **\(code)**"))
        }
    }

    /// QC of the run behind the totals: blanks counted (one < DL), CRM recovery = 47.5 / 50 × 100 = 95 % and
    /// 52 / 50 × 100 = 104 %; a CRM without a certified value is not judged.
    func testQualityControlOfTheRuns() throws {
        let lab = try ReportTestLab.make()
        let db = lab.store.db
        try db.execute("""
            INSERT INTO import_batch (id, kind, file_name, sha256, file_size, format, operator, matrix)
            VALUES (7, 'results', 'run1.csv', ?, 10, 'agilent', 'tester', 'solid')
            """, [String(repeating: "a", count: 64)])
        for (e, v) in ReportTestLab.s1 {
            try db.execute("INSERT INTO measurement (sample_id, batch_id, analyte, value, raw_text, unit) VALUES (?, 7, ?, ?, 'x', 'mg/kg')",
                           [try lab.id("C1-S"), e, v])
        }
        let qc: [(Int, String, String, String?)] = [(1, "BLANK", "blank", nil), (2, "CCB", "ccb", nil), (3, "OREAS 45d a", "crm", "OREAS 45d"),
                                                   (4, "OREAS 45d b", "crm", "OREAS 45d"), (5, "GBW07404", "crm", "GBW07404")]
        for (id, label, type, crm) in qc {
            try db.execute("INSERT INTO qc_sample (id, batch_id, label, qc_type, crm_name) VALUES (?, 7, ?, ?, ?)", [id, label, type, crm])
        }
        try db.execute("""
            INSERT INTO qc_measurement (qc_sample_id, analyte, value, raw_text, unit, qualifier, detection_limit) VALUES
            (1, 'La', 0.02, '0.02', 'mg/kg', '=', NULL), (2, 'La', NULL, '<0.01', 'mg/kg', '<', 0.01),
            (3, 'La', 47.5, '47.5', 'mg/kg', '=', NULL), (4, 'La', 52, '52', 'mg/kg', '=', NULL), (5, 'La', 40, '40', 'mg/kg', '=', NULL)
            """)
        try db.execute("INSERT INTO crm_certified_value (crm_name, analyte, value, unit) VALUES ('OREAS 45d', 'La', 50, 'mg/kg')")
        let document = try ReportBuilder(store: lab.store).build([.qc])
        let md = document.markdown()
        // The QC section (the figures of `lims qc batch`): 47.5 / 50 = 95 %, 52 / 50 = 104 %; GBW07404 has no value.
        XCTAssertTrue(md.contains("| 7 | OREAS 45d a | OREAS 45d | La | 47.5 | 50.0 mg/kg (certified) | 95.0 | pass |"), md)
        XCTAssertTrue(md.contains("| 7 | OREAS 45d b | OREAS 45d | La | 52.0 | 50.0 mg/kg (certified) | 104.0 | pass |"), md)
        XCTAssertTrue(md.contains("| 7 | run1.csv | warning | 2/2 | 0/0 | 0/0 | 0 |"), md)
        let csv = document.csvFiles().first { $0.fileName.hasSuffix("qc-verdicts.csv") }!.text
        XCTAssertTrue(csv.contains("7,run1.csv,warning,2,2,0,0,0,0,0,"), csv)
    }

    func testReferenceWithoutAnElementIsNamed() throws {
        let lab = try ReportTestLab.make()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        try ReferenceStore.save([ReferenceComposition(code: "MY-REF", name: "partial", citation: "lab",
                                                      values: ["La": 30, "Ce": 64, "Nd": 26])], in: lab.store, replace: false, source: "test")
        var options = ReportOptions()
        options.referenceCode = "my-ref"
        let document = try ReportBuilder(store: lab.store, options: options).build([.anomalies])
        XCTAssertTrue(document.warnings.contains { $0.hasPrefix("reference MY-REF has no value for Pr, Sm, Eu, Gd") }, "\(document.warnings)")
        XCTAssertTrue(document.markdown().contains("C1-S Ce/Ce*: Pr not in MY-REF"))
        options.referenceCode = "UCC"
        XCTAssertThrowsError(try ReportBuilder(store: lab.store, options: options).build([.anomalies])) {
            XCTAssertTrue("\($0)".hasPrefix("reference composition \"UCC\" does not exist; did you mean \"UCC-TM1995\""), "\($0)")
        }
    }

    func insertThinSection(_ lab: ReportTestLab) throws {
        let db = lab.store.db
        try db.execute("INSERT INTO thin_section (code, sample_id, thickness_um) VALUES ('TS-C1', ?, 30)", [try lab.id("C1-S")])
        try db.execute("INSERT INTO xrf_map (thin_section_id, label, beamline, energy_ev, pixel_um) VALUES (1, 'map1', 'I18', 7200, 3)")
        for (label, phase) in [("P1", "Fe-rich matrix"), ("P2", "Fe-rich matrix"), ("P3", "organic debris"), ("P4", "Ce particle")] {
            try db.execute("INSERT INTO poi (xrf_map_id, label, phase) VALUES (1, ?, ?)", [label, phase])
        }
        try db.execute("INSERT INTO xanes_result (poi_id, edge, oxidation_state, ce4_fraction) VALUES (1, 'Ce L3', 'Ce(III)', 0.1), (2, 'Ce L3', 'mixed', 0.45), (4, 'Ce L3', 'Ce(IV)', 0.92)")
        try db.execute("INSERT INTO lcf_fit (poi_id, edge, r_factor, range_low_ev, range_high_ev) VALUES (1, 'Fe K', 0.0012, 7080, 7250)")
        try db.execute("INSERT INTO lcf_component (lcf_fit_id, phase, fraction, uncertainty) VALUES (1, 'goethite', 0.62, 0.03), (1, 'ferrihydrite', 0.38, 0.03)")
        try db.execute("INSERT INTO map_correlation (xrf_map_id, element_a, element_b, r_squared, n_pixels) VALUES (1, 'La', 'Nd', 0.85, 40000), (1, 'La', 'Ce', 0.0004, 40000)")
    }

    func testPOISummary() throws {
        let lab = try ReportTestLab.make()
        try insertThinSection(lab)
        let document = try ReportBuilder(store: lab.store).build([.pois])
        let md = document.markdown()
        XCTAssertTrue(md.contains("| TS-C1 | C1-S | control | 1 | 4 | Ce particle 1; Fe-rich matrix 2; organic debris 1 |"), md)
        XCTAssertTrue(md.contains("| TS-C1 | control | Fe-rich matrix | 2 | 1 | 0 | 1 | 0 |"), md)
        XCTAssertTrue(md.contains("| TS-C1 | control | organic debris | 1 | 0 | 0 | 0 | 1 |"), md)
        XCTAssertTrue(md.contains("| TS-C1 | map1 | P1 | Fe K | goethite 0.62 ± 0.03; ferrihydrite 0.38 ± 0.03 | 1.00 | 0.00120 | – | 7080–7250 |"), md)
        XCTAssertTrue(md.contains("| TS-C1 | control | map1 | La–Ce | 0.0004 | 40000 |"), md)
        let json = try ReportTestLab.json(document).object("sections").object("pois")
        XCTAssertEqual(json.array("xanes").count, 3)
        XCTAssertEqual(json.array("map_correlations").first { $0["element_b"] as? String == "Nd" }?.double("r_squared"), 0.85)
        var options = ReportOptions()
        options.treatments = ["ramie"]
        let none = try ReportBuilder(store: lab.store, options: options).build([.pois])
        XCTAssertFalse(none.hasContent)
    }

    func testWriteAllWritesMarkdownJSONAndFigures() throws {
        let lab = try makeCase1Lab()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        try lab.measureAll("C2-S", ReportTestLab.s1, scale: 1.1)
        try lab.measureAll("R1-S", ReportTestLab.s2)
        try lab.measureAll("R2-S", ReportTestLab.s2, scale: 0.9)
        try insertThinSection(lab)
        let directory = TestSupport.temporaryDirectory("report-all").appendingPathComponent("out")
        let summary = try ReportBuilder(store: lab.store).writeAll(to: directory)
        XCTAssertTrue(summary.hasContent)
        XCTAssertEqual(summary.files.map(\.lastPathComponent),
                       ["report.md", "report.json", "ree-pattern-treatments.svg", "ree-pattern-samples.svg"])
        for file in summary.files { XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), file.path) }
        let md = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("![UCC-TM1995-normalized REE+Y patterns (Y between Dy and Ho), treatment means ± SD (log scale)](ree-pattern-treatments.svg)"), md)
        for title in ReportKind.allCases.map(\.title) { XCTAssertTrue(md.contains("## \(title)"), title) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("report.json"))) as! [String: Any]
        XCTAssertEqual((json["rules"] as! [String: Any])["censored"] as? String, "km")   // the default: censored-data methods
        XCTAssertTrue((json["sections"] as! [String: Any])["fractions"] is NSNull)
        XCTAssertEqual(json["warnings"] as? [String], summary.warnings)
        XCTAssertTrue(summary.warnings.contains("no size fractions logged for the selected treatments: nothing to report on fractions"))
    }
}

final class CensoredWithoutLimitTests: XCTestCase {
    /// `<0.000` carries no usable detection limit: no rule may turn it into a number (least of all 0).
    func testCensoredValueWithoutDetectionLimitStaysMissing() {
        for rule in [CensoringRule.halfDL, .dl, .zero] {
            let resolved = ResolvedValue.resolve([RawValue(value: nil, qualifier: "<", detectionLimit: nil)], rule: rule)
            XCTAssertNil(resolved.value, "\(rule)")
            XCTAssertTrue(resolved.censored)
            XCTAssertFalse(resolved.substituted)
            let zeroDL = ResolvedValue.resolve([RawValue(value: nil, qualifier: "<", detectionLimit: 0)], rule: rule)
            XCTAssertNil(zeroDL.value, "\(rule)")
        }
        let half = ResolvedValue.resolve([RawValue(value: nil, qualifier: "<", detectionLimit: 0.05)], rule: .halfDL)
        XCTAssertEqual(half.value!, 0.025, accuracy: 1e-12)
    }
}
