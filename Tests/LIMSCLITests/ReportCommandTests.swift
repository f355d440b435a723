import Foundation
import LIMSStore
import LIMSTestSupport
import XCTest

/// End-to-end: `lims report …` and `lims reference …` through the built binary (exit codes, stdout, stderr, files).
/// Data are inserted straight into the database (the importers are tested elsewhere).
final class ReportCommandTests: XCTestCase {
    var dir: URL!
    var dbPath: String { dir.appendingPathComponent("lab.sqlite").path }

    static let s1 = [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49, 3.22, 0.47, 31.5]
    static let s2 = [12.4, 15.1, 3.05, 12.8, 2.61, 1.35, 2.77, 0.41, 2.46, 0.52, 1.49, 0.22, 1.41, 0.21, 14.8]
    static let rey = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y"]
    /// Worked case 1 of shared/reference/worked-cases.md as CEC (cmol+/kg).
    static let case1: [(String, String, [Double])] = [
        ("control", "C", [10.2, 11.5, 12.1, 12.1, 14.0]), ("miscanthus", "M", [13.3, 14.0, 15.8, 16.4, 17.9]),
        ("ramie", "R", [16.4, 18.5, 19.2, 20.1, 21.7]),
    ]

    override func setUpWithError() throws {
        dir = TestSupport.temporaryDirectory("lims-report")
        let store = try LabStore.create(path: dbPath, operatorName: "tester")
        try store.addSite(Site(code: "DN"))
        for (treatment, prefix, cec) in Self.case1 {
            try store.addTreatment(Treatment(siteCode: "DN", code: treatment))
            for replicate in 1...5 {
                let plot = "\(prefix)\(replicate)"
                try store.addPlot(Plot(treatmentCode: treatment, code: plot, replicate: replicate))
                let sample = try store.addSample(Sample(code: "\(plot)-S", plotCode: plot))
                try store.db.execute("INSERT INTO soil_property (sample_id, property, value, raw_text, unit) VALUES (?, 'CEC', ?, ?, 'cmol+/kg')",
                                     [sample.id, cec[replicate - 1], "\(cec[replicate - 1])"])
                // S1 on control plots, S2 on the others, scaled a little per replicate.
                let values = prefix == "C" ? Self.s1 : Self.s2
                for (element, value) in zip(Self.rey, values) {
                    try store.db.execute("INSERT INTO measurement (sample_id, analyte, value, raw_text, unit) VALUES (?, ?, ?, ?, 'mg/kg')",
                                         [sample.id, element, value * (1 + 0.01 * Double(replicate - 1)), "x"])
                }
            }
        }
    }

    @discardableResult
    func lims(_ arguments: String...) throws -> TestSupport.RunResult {
        try TestSupport.runLIMS(["--db", dbPath] + arguments, in: dir)
    }

    func testReportAllWritesMarkdownAndFiguresWithWarningsOnStderr() throws {
        let result = try lims("report", "all", "--out", "out/report.md")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(result.stdout, """
            Wrote \(out.path)/report.md and 2 figure(s):
              \(out.path)/report-ree-pattern-treatments.svg
              \(out.path)/report-ree-pattern-samples.svg

            """)
        XCTAssertTrue(result.stderr.contains("warning: no CaCl₂ extraction logged for the selected treatments: nothing to report on extractability\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: no thin sections for the selected treatments"), result.stderr)
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("# Geochemistry report\n\n- Database: `\(dbPath)`\n"), md)
        XCTAssertTrue(md.contains("- Reference: **UCC-TM1995**"))
        XCTAssertTrue(md.contains("- Treatments: control (n = 5), miscanthus (n = 5), ramie (n = 5); samples n = 15"))
        XCTAssertTrue(md.contains("](report-ree-pattern-treatments.svg)"))
        // The study's table shape: treatment columns, mean ± SD (median) cells with letters (worked case 1).
        XCTAssertTrue(md.contains("| CEC | cmol+/kg | 12.0 ± 1.4 (12.1) a | 15.5 ± 1.9 (15.8) ab | 19.2 ± 2.0 (19.2) b | KW | 11.104 | 2 | 0.004 |"), md)
        let svg = try String(contentsOf: out.appendingPathComponent("report-ree-pattern-treatments.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(svg.contains("control (n = 5)") && svg.contains("ramie (n = 5)"))
    }

    /// Above `--per-sample-limit` the Markdown summarizes and the per-sample tables are written beside it
    /// as the same tidy CSV that `--format csv` writes (15 samples here, the limit lowered to 10).
    func testLargeStudyWritesPerSampleTablesAsCSVBesideTheMarkdown() throws {
        let result = try lims("report", "all", "--per-sample-limit", "10", "--out", "out/report.md")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let out = dir.appendingPathComponent("out")
        let tables = ["measured-totals", "samples", "normalized"].map { "report-anomalies-\($0).csv" }
        XCTAssertEqual(result.stdout, """
            Wrote \(out.path)/report.md and 2 figure(s) and 3 CSV table(s):
              \(out.path)/report-ree-pattern-treatments.svg
              \(out.path)/report-ree-pattern-samples.svg

            """ + tables.map { "  \(out.path)/\($0)\n" }.joined())
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("(median and quartiles of 15 samples)"), md)
        XCTAssertFalse(md.contains("| C1-S |"), "no per-sample rows in the Markdown")
        for table in tables { XCTAssertTrue(md.contains("`\(table)`"), "the Markdown names \(table)") }
        let csv = try lims("report", "all", "--format", "csv", "--out", "csv")
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        for table in tables {
            let beside = try String(contentsOf: out.appendingPathComponent(table), encoding: .utf8)
            let tidy = try String(contentsOf: dir.appendingPathComponent("csv/" + table.dropFirst("report-".count)), encoding: .utf8)
            XCTAssertEqual(beside, tidy, table)
        }
        let svg = try String(contentsOf: out.appendingPathComponent("report-ree-pattern-samples.svg"), encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 9, "3 treatments × median and quartile lines")
        let bad = try lims("report", "all", "--per-sample-limit", "many")
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.contains("The value 'many' is invalid for '--per-sample-limit <n>'; expected a whole number ≥ 0."), bad.stderr)
    }

    func testAllSectionsWithExtractionFractionsAndThinSectionsEndToEnd() throws {
        let store = try LabStore.open(path: dbPath, operatorName: "tester")
        let db = store.db
        func id(_ code: String) throws -> Int64 { try store.requireSample(code: code).id }
        try store.addSample(Sample(code: "C1-X", parentCode: "C1-S", type: "extract"))
        try db.execute("INSERT INTO cacl2_extraction (sample_id, extract_sample_id, soil_mass_g, solution_mass_g) VALUES (?, ?, 10, 20)",
                       [try id("C1-S"), try id("C1-X")])
        for element in Self.rey {
            try db.execute("INSERT INTO measurement (sample_id, analyte, value, raw_text, unit) VALUES (?, ?, 0.15, '0.15', 'mg/L')",
                           [try id("C1-X"), element])
        }
        for (index, (label, mass)) in [("coarse", 60.0), ("fine", 40.0)].enumerated() {
            try store.addSample(Sample(code: "C1-F\(index)", parentCode: "C1-S", type: "size_fraction"))
            try db.execute("INSERT INTO size_fraction (parent_sample_id, fraction_sample_id, class_label, replicate, mass_g) VALUES (?, ?, ?, 1, ?)",
                           [try id("C1-S"), try id("C1-F\(index)"), label, mass])
            try db.execute("INSERT INTO measurement (sample_id, analyte, value, raw_text, unit) VALUES (?, 'La', ?, 'x', 'mg/kg')",
                           [try id("C1-F\(index)"), index == 0 ? 30.0 : 67.0])
        }
        try db.execute("INSERT INTO thin_section (code, sample_id) VALUES ('TS1', ?)", [try id("C1-S")])
        try db.execute("INSERT INTO xrf_map (thin_section_id, label) VALUES (1, 'm1')")
        try db.execute("INSERT INTO poi (xrf_map_id, label, phase) VALUES (1, 'P1', 'Mn oxide')")
        try db.execute("INSERT INTO xanes_result (poi_id, edge, oxidation_state) VALUES (1, 'Ce L3', 'Ce(IV)')")

        let result = try lims("report", "all", "--out", "all/")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let out = dir.appendingPathComponent("all")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(files, ["report-extractability-pattern.svg", "report-fraction-enrichment-C1-S.svg",
                               "report-ree-pattern-samples.svg", "report-ree-pattern-treatments.svg", "report.md"])
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        // C1-S: 0.15 mg/L × 0.020 L / 0.010 kg = 0.300 mg/kg; Y total 31.5 → 0.952 %, La total 45.2 → 0.664 %
        // (columns in atomic order: Y, then La …).
        XCTAssertTrue(md.contains("| C1-S | control | C1-X | 10.0 | 20.0 | 0.300 |"), md)
        XCTAssertTrue(md.contains("| C1-S | control | C1-X | 0.952 | 0.664 |"), md)
        // Fractions: w = 0.6, 0.4; recovery La = (0.6·30 + 0.4·67) / 45.2 × 100 = 99.1 %.
        XCTAssertTrue(md.contains("| La | mg/kg | 45.2 | 30.0 (0.66) | 67.0 (1.48) | 99.1 |  |"), md)
        XCTAssertTrue(md.contains("| TS1 | control | Mn oxide | 1 | 0 | 1 | 0 | 0 |"), md)

        let json = try lims("report", "all", "--format", "json")
        let sections = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any])["sections"] as! [String: Any]
        for key in ["anomalies", "extractability", "fractions", "treatments", "pois"] {
            XCTAssertTrue(sections[key] is [String: Any], key)
        }
    }

    func testJSONAndCSVFormats() throws {
        let json = try lims("report", "anomalies", "--format", "json", "--anomaly", "geometric", "--treatment", "control")
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((object["rules"] as! [String: Any])["anomaly_form"] as? String, "geometric")
        let samples = ((object["sections"] as! [String: Any])["anomalies"] as! [String: Any])["samples"] as! [[String: Any]]
        XCTAssertEqual(samples.map { $0["sample"] as? String }, ["C1-S", "C2-S", "C3-S", "C4-S", "C5-S"])
        // S1 geometric Ce* and Eu* against UCC (worked-cases.md); replicate scaling does not change ratios.
        XCTAssertEqual(samples[0]["ce_anomaly"] as! Double, 1.014015, accuracy: 1e-6)
        XCTAssertEqual(samples[3]["eu_anomaly"] as! Double, 0.906003, accuracy: 1e-6)

        // CSV: one tidy file per table into the --out folder, numbers in numeric columns (worked case 1).
        let csv = try lims("report", "treatments", "--parameter", "CEC", "--format", "csv", "--out", "csv")
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        XCTAssertEqual(csv.stdout, """
            Wrote 3 CSV file(s) and datapackage.json into \(dir.path)/csv/:
              treatments-parameters-by-treatment.csv
              treatments-tests.csv
              treatments-pairwise-comparisons.csv
              datapackage.json

            """)
        XCTAssertEqual(csv.stderr, "")
        let groups = try String(contentsOf: dir.appendingPathComponent("csv/treatments-parameters-by-treatment.csv"), encoding: .utf8)
        XCTAssertTrue(groups.hasPrefix("parameter,unit,treatment,n,n_censored,method,mean,sd,median,median_qualifier,ros_mean,ros_sd,ros_median,letters\n"
                                       + "CEC,cmol+/kg,control,5,0,ordinary,11.98,"), groups)
        XCTAssertTrue(groups.contains(",ab\n"), groups)
        let tests = try String(contentsOf: dir.appendingPathComponent("csv/treatments-tests.csv"), encoding: .utf8)
        XCTAssertTrue(tests.hasPrefix("parameter,unit,test,statistic,df,p,q_bh_across_parameters,letters_disagree_with_p\nCEC,cmol+/kg,Kruskal–Wallis,11.104488"), tests)
        try assertEveryCSVNumeric(in: dir.appendingPathComponent("csv"))
        let noFolder = try lims("report", "treatments", "--format", "csv")
        XCTAssertEqual(noFolder.exitCode, 64)
        XCTAssertTrue(noFolder.stderr.hasPrefix("Error: '--format csv' writes one CSV file per table; give the folder with '--out FOLDER'."), noFolder.stderr)
    }

    func testMarkdownOnStdoutAndOutIntoADirectory() throws {
        let stdout = try lims("report", "anomalies", "--censored", "omit")
        XCTAssertEqual(stdout.exitCode, 0)
        XCTAssertTrue(stdout.stdout.hasPrefix("# REE patterns and anomalies\n"))
        XCTAssertTrue(stdout.stdout.contains("rule `omit`"))
        XCTAssertEqual(stdout.stderr, "note: 2 figure(s) not written; use --out PATH to write the SVG files beside the Markdown.\n")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        let into = try lims("report", "treatments", "--format", "json", "--out", "reports")
        XCTAssertEqual(into.exitCode, 0, into.stderr)
        XCTAssertEqual(into.stdout, "Wrote \(dir.path)/reports/report.json.\n")
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("reports/report.json"))))
    }

    func testNothingToReportExitsOneAndWritesNothing() throws {
        let result = try lims("report", "fractions", "--out", "out/f.md")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
            warning: no size fractions logged for the selected treatments: nothing to report on fractions
            Error: nothing to report for 'lims report fractions'; see the warnings above. Nothing was written.

            """)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testBadOptionsAndUnknownNames() throws {
        let alpha = try lims("report", "treatments", "--alpha", "2")
        XCTAssertEqual(alpha.exitCode, 64)
        XCTAssertTrue(alpha.stderr.hasPrefix("Error: The value '2' is invalid for '--alpha'; expected a probability between 0 and 1"), alpha.stderr)
        let rule = try lims("report", "anomalies", "--censored", "half")
        XCTAssertEqual(rule.exitCode, 64)
        XCTAssertTrue(rule.stderr.contains("expected one of: km, half-dl, dl, zero, omit"), rule.stderr)
        let range = try lims("report", "fractions", "--recovery-range", "120-80")
        XCTAssertEqual(range.exitCode, 64)
        let reference = try lims("report", "anomalies", "--reference", "UCC")
        XCTAssertEqual(reference.exitCode, 1)
        XCTAssertEqual(reference.stderr, "Error: reference composition \"UCC\" does not exist; did you mean \"UCC-TM1995\", \"UCC-RG2014\"?\n")
        let treatment = try lims("report", "all", "--treatment", "rami")
        XCTAssertEqual(treatment.exitCode, 1)
        XCTAssertEqual(treatment.stderr, "Error: treatment \"rami\" does not exist; did you mean \"ramie\"?\n")
        let help = try lims("report", "--help")
        XCTAssertEqual(help.exitCode, 0)
        for name in ["anomalies", "extractability", "fractions", "treatments", "pois", "all"] {
            XCTAssertTrue(help.stdout.contains("  \(name) "), name)
        }
    }

    func testReferenceListShowImport() throws {
        let list = try lims("reference", "list", "--format", "csv")
        XCTAssertEqual(list.exitCode, 0)
        XCTAssertTrue(list.stdout.hasPrefix("code,name,default,elements,citation\nUCC-TM1995,Upper continental crust (Taylor & McLennan 1995),yes,15,"), list.stdout)
        let show = try lims("reference", "show", "CI-MS1995", "--format", "csv")
        XCTAssertEqual(show.exitCode, 0)
        // Atomic order: Y (39) before La (57); CI chondrite Y 1.57 mg/kg (McDonough & Sun 1995).
        XCTAssertTrue(show.stdout.hasPrefix("element,value,unit\nY,1.57,mg/kg\nLa,0.237,mg/kg\nCe,0.613,mg/kg\n"), show.stdout)

        let good = dir.appendingPathComponent("shale.csv")
        try "reference,element,value,unit,citation,name\nSHALE-1,La,40,mg/kg,\"Our lab (2024), internal\",Lab shale\nSHALE-1,Ce,82000,ppb,,\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let imported = try lims("reference", "import", "shale.csv")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        XCTAssertEqual(imported.stdout, "Imported reference SHALE-1 (2 elements).\n")
        XCTAssertTrue(imported.stderr.hasPrefix("warning: SHALE-1 has no value for Pr, Nd"), imported.stderr)
        let shown = try lims("reference", "show", "SHALE-1", "--format", "csv")
        XCTAssertEqual(shown.stdout, "element,value,unit\nLa,40,mg/kg\nCe,82,mg/kg\n")
        let again = try lims("reference", "import", "shale.csv")
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertEqual(again.stderr, "Error: reference composition \"SHALE-1\" already exists\n")

        let bad = dir.appendingPathComponent("bad.csv")
        try "reference,element,value,unit,citation\nBAD,La,1,mg/kg,c\nBAD,Ce,-3,mg/kg,\n".write(to: bad, atomically: true, encoding: .utf8)
        let before = try lims("reference", "list", "--format", "csv").stdout
        let failed = try lims("reference", "import", "bad.csv")
        XCTAssertEqual(failed.exitCode, 1)
        XCTAssertEqual(failed.stderr, "bad.csv:3:8: error: value \"-3\" for BAD Ce is not valid; expected a number > 0\n")
        XCTAssertEqual(try lims("reference", "list", "--format", "csv").stdout, before)

        // The imported reference normalizes a report, which names what it lacks.
        let report = try lims("report", "anomalies", "--reference", "SHALE-1", "--format", "json")
        XCTAssertEqual(report.exitCode, 0)
        XCTAssertTrue(report.stderr.contains("warning: reference SHALE-1 has no value for Pr, Nd, Sm"), report.stderr)
    }

    /// Reads every CSV of a `--format csv` folder with the project's CSVReader (RFC 4180, as Python's csv
    /// module) and checks that each column datapackage.json declares `number` parses as a number (or is
    /// empty), and that every row has the header's width. Tests/Fixtures/reports/check_csv_numeric.py does
    /// the same with Python's csv module, by hand.
    func assertEveryCSVNumeric(in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let package = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("datapackage.json"))) as! [String: Any]
        let resources = package["resources"] as! [[String: Any]]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        XCTAssertEqual(Set(files), Set(resources.map { $0["path"] as! String }), "every CSV is described", file: file, line: line)
        var numericCells = 0
        for resource in resources {
            let path = resource["path"] as! String
            let fields = ((resource["schema"] as! [String: Any])["fields"] as! [[String: Any]])
            let records = try CSVReader(url: folder.appendingPathComponent(path), delimiter: ",").readAll()
            XCTAssertEqual(records.first?.fields, fields.map { $0["name"] as! String }, path, file: file, line: line)
            for record in records.dropFirst() {
                XCTAssertEqual(record.fields.count, fields.count, "\(path):\(record.line)", file: file, line: line)
                for (value, field) in zip(record.fields, fields) where field["type"] as? String == "number" && !value.isEmpty {
                    XCTAssertNotNil(Double(value), "\(path):\(record.line) column \(field["name"]!): \"\(value)\" is not a number", file: file, line: line)
                    numericCells += 1
                }
            }
        }
        XCTAssertGreaterThan(numericCells, 0, file: file, line: line)
    }

    func testEveryCSVOfReportAllHasNumericColumnsAndCensoredQualifiers() throws {
        // La of C1-S below detection (< 50): ΣREE of C1-S becomes an upper limit and the La comparison uses KM and Peto–Peto.
        let store = try LabStore.open(path: dbPath, operatorName: "tester")
        try store.db.execute("UPDATE measurement SET value = NULL, qualifier = '<', detection_limit = 50 WHERE analyte = 'La' AND sample_id = ?",
                             [try store.requireSample(code: "C1-S").id])
        let result = try lims("report", "all", "--format", "csv", "--out", "all-csv")
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let folder = dir.appendingPathComponent("all-csv")
        try assertEveryCSVNumeric(in: folder)
        let sums = try String(contentsOf: folder.appendingPathComponent("anomalies-samples.csv"), encoding: .utf8)
        XCTAssertTrue(sums.hasPrefix("sample,treatment,sum_ree_mg_kg,sum_ree_qualifier,"), sums)
        // ΣREE of C1-S with La kept at its DL: 227.96 − 45.2 + 50 = 232.76 (full precision), an upper limit.
        let c1 = try XCTUnwrap(sums.split(separator: "\n").first { $0.hasPrefix("C1-S,") }).split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(Double(c1[2])!, 232.76, accuracy: 1e-9)
        XCTAssertEqual(c1[3], "<")
        let groups = try String(contentsOf: folder.appendingPathComponent("treatments-parameters-by-treatment.csv"), encoding: .utf8)
        XCTAssertTrue(groups.contains("\nLa,mg/kg,control,5,1,kaplan-meier,"), groups)
        let md = try lims("report", "treatments", "--parameter", "La")
        XCTAssertTrue(md.stdout.contains("[1 < DL]"), md.stdout)
        XCTAssertTrue(md.stdout.contains("| Peto–Peto |"), md.stdout)
    }
}
