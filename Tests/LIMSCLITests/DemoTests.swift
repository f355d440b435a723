import XCTest
import LIMSTestSupport

/// `lims demo` end to end: the binary builds the example study through the import commands and
/// writes the reports; the report's key numbers are compared with `expected_key_numbers.json`,
/// which `make_demo_study.py` computed independently (Python, scipy) by re-reading the bundled files.
final class DemoTests: XCTestCase {
    static let studyFolder = TestSupport.packageRoot.appendingPathComponent("Sources/LIMSCLI/DemoStudy")

    func runDemo() throws -> (dir: URL, result: TestSupport.RunResult) {
        let dir = TestSupport.temporaryDirectory("lims-demo").appendingPathComponent("demo")
        let result = try TestSupport.runLIMS(["demo", "--dir", dir.path])
        return (dir, result)
    }

    func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func testDemoWritesTheStudyDatabaseAndEveryReport() throws {
        let (dir, result) = try runDemo()
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "the demo data are complete: no warnings")
        XCTAssertTrue(result.stdout.hasPrefix("Tailings LIMS demo — an example study with INVENTED data"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Imported icpms_totals_masshunter.csv as batch 14."), result.stdout)
        XCTAssertTrue(result.stdout.contains("lims --db \(dir.path)/demo.sqlite query results --treatment control"), result.stdout)
        for file in ["demo.sqlite", "study/MANIFEST.txt", "study/README.txt", "study/icpms_totals_masshunter.csv",
                     "report/report.md", "report/report.json", "report/report-ree-pattern-treatments.svg",
                     "report/report-ree-pattern-samples.svg", "report/report-extractability-pattern.svg",
                     "report/report-fraction-enrichment-C-COMP.svg", "report/leaching.md", "report/seepage.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), file)
        }
        let markdown = try String(contentsOf: dir.appendingPathComponent("report/report.md"), encoding: .utf8)
        for heading in ["## REE patterns and anomalies", "## CaCl₂ extractability", "## Size fractions",
                        "## Treatment comparison", "## Thin sections"] {
            XCTAssertTrue(markdown.contains(heading), heading)
        }
        XCTAssertTrue(markdown.contains("(report-ree-pattern-treatments.svg)"))
        // Issue 13: a QC section with a verdict per batch; the totals run's 60 check-standard lines all
        // within 90–110 % of "CCV 10 ppb" (the demo's OREAS 45d has no stored certificate: not judged).
        XCTAssertTrue(markdown.contains("## Quality control"), "QC section")
        XCTAssertTrue(markdown.contains("| icpms_totals_masshunter.csv | warning | 0/0 | 0/0 | 60/60 |"), "QC verdict of the totals run")
        // Issue 14: the censored-data default, measured totals with methods and depths, pattern shape, Peto–Peto.
        for part in ["- Values below detection: rule `km`", "- Depths (cm): 0–10", "- Methods: ICP-MS: Y, La, Ce", "; XRF: Na, Mg, Al, Si, P, K, Ca, Ti, Mn, Fe",
                     "### Measured totals (mg/kg), detection limits and methods", "### Pattern shape per sample",
                     "### Censored-data estimates (Kaplan–Meier and robust ROS)", "### Pairwise Peto–Peto tests",
                     "| Ce/Ce* (arithmetic) | – |", "[1 < DL]", "| Peto–Peto |", "Multiple testing:"] {
            XCTAssertTrue(markdown.contains(part), part)
        }
        XCTAssertFalse(markdown.contains("†"), "the default substitutes nothing")
        // Every import went through a batch: 16 study files + 9 leaching/seepage sheets.
        let batches = try TestSupport.runLIMS(["--db", dir.appendingPathComponent("demo.sqlite").path, "batch", "list", "--format", "csv"])
        XCTAssertEqual(batches.stdout.split(separator: "\n").count, 1 + 25, batches.stdout)
        // Real imports (ppb → mg/L, wt% oxides → mg/kg element) pass the audit-chain and value checks.
        let check = try TestSupport.runLIMS(["--db", dir.appendingPathComponent("demo.sqlite").path, "check"])
        XCTAssertEqual(check.exitCode, 0, check.stdout)
    }

    func testReportNumbersMatchTheIndependentlyComputedOnes() throws {
        let (dir, result) = try runDemo()
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let expected = try json(Self.studyFolder.appendingPathComponent("expected_key_numbers.json"))
        let report = try json(dir.appendingPathComponent("report/report.json"))
        let sections = try XCTUnwrap(report["sections"] as? [String: Any])
        let tolerance = 1e-6   // relative; the files carry 10 significant digits

        func close(_ a: Double?, _ b: Double?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
            guard let a, let b else { return XCTFail("missing \(what)", file: file, line: line) }
            XCTAssertEqual(a, b, accuracy: max(abs(b), 1e-12) * tolerance, what, file: file, line: line)
        }

        // Per-sample REE metrics of the 15 field replicates.
        let anomalies = try XCTUnwrap(sections["anomalies"] as? [String: Any])
        let samples = try XCTUnwrap(anomalies["samples"] as? [[String: Any]])
        let perSample = try XCTUnwrap(expected["per_sample"] as? [String: [String: Any]])
        XCTAssertEqual(samples.count, 15)
        for sample in samples {
            let code = sample["sample"] as! String
            let e = try XCTUnwrap(perSample[code], code)
            close(sample["sum_ree"] as? Double, e["sum_ree_mg_kg"] as? Double, "\(code) ΣREE")
            close(sample["sum_rey"] as? Double, e["sum_rey_mg_kg"] as? Double, "\(code) ΣREY")
            close(sample["ce_anomaly"] as? Double, e["ce_anomaly"] as? Double, "\(code) Ce*")
            close(sample["eu_anomaly"] as? Double, e["eu_anomaly"] as? Double, "\(code) Eu*")
            close(sample["lree_hree_normalized"] as? Double, e["lree_hree_ucc"] as? Double, "\(code) LREE/HREE")
            // The ranges the issue asks the example study to show.
            let sum = sample["sum_ree"] as! Double
            XCTAssertTrue((250...1600).contains(sum), "\(code) ΣREE \(sum)")
            XCTAssertLessThan(sample["eu_anomaly"] as! Double, 1, code)
            XCTAssertLessThan(sample["lree_hree_normalized"] as! Double, 1, code)
            if code.hasPrefix("C") { XCTAssertGreaterThan(sample["ce_anomaly"] as! Double, 1, code) }
        }
        XCTAssertTrue(samples.contains { ($0["sample"] as! String).hasPrefix("R") && ($0["ce_anomaly"] as! Double) < 1 })

        // Treatment comparison of ΣREE and Ce*: mean, SD, median, Kruskal–Wallis.
        let treatments = try XCTUnwrap((sections["treatments"] as? [String: Any])?["parameters"] as? [[String: Any]])
        let byTreatment = try XCTUnwrap(expected["by_treatment"] as? [String: [String: Any]])
        let kruskal = try XCTUnwrap(expected["kruskal_wallis"] as? [String: [String: Double]])
        for (parameter, key) in [("ΣREE", "sum_ree_mg_kg"), ("Ce/Ce* (arithmetic)", "ce_anomaly")] {
            let row = try XCTUnwrap(treatments.first { $0["parameter"] as? String == parameter }, parameter)
            for group in row["groups"] as! [[String: Any]] {
                let name = group["treatment"] as! String
                let e = try XCTUnwrap(byTreatment[name]?[key] as? [String: Double])
                XCTAssertEqual(group["n"] as? Int, 5)
                close(group["mean"] as? Double, e["mean"], "\(parameter) \(name) mean")
                close(group["sd"] as? Double, e["sd"], "\(parameter) \(name) SD")
                close(group["median"] as? Double, e["median"], "\(parameter) \(name) median")
            }
            let kw = try XCTUnwrap(row["kruskal_wallis"] as? [String: Any])
            close(kw["h"] as? Double, kruskal[key]?["H"], "\(parameter) H")
            close(kw["p"] as? Double, kruskal[key]?["p"], "\(parameter) p")
        }

        // CaCl2 extractability per extraction and element (censored cells are left out here:
        // the report refuses to substitute `<0.000`, which has no detection limit).
        let extractability = try XCTUnwrap(sections["extractability"] as? [String: Any])
        let extractions = try XCTUnwrap(extractability["extractions"] as? [[String: Any]])
        let expectedExtraction = try XCTUnwrap(expected["extractability"] as? [String: [String: Any]])
        XCTAssertEqual(extractions.count, 15)
        var compared = 0
        for extraction in extractions {
            let code = extraction["sample"] as! String
            let e = try XCTUnwrap(expectedExtraction[code]?["elements"] as? [String: [String: Any]], code)
            for (element, values) in extraction["elements"] as! [String: [String: Any]] {
                guard let ee = e[element], ee["censored"] as? Bool == false else { continue }
                close(values["percent_of_total"] as? Double, ee["percent_of_total"] as? Double, "\(code) \(element) %")
                close(values["extractable_mg_kg"] as? Double, ee["extractable_mg_kg"] as? Double, "\(code) \(element) mg/kg")
                compared += 1
                if code.hasPrefix("C") {
                    let percent = values["percent_of_total"] as! Double
                    if element == "Ce" { XCTAssertTrue((0.1...0.2).contains(percent), "\(code) Ce \(percent) %") }
                    else if element != "Y" { XCTAssertTrue((0.7...1.7).contains(percent), "\(code) \(element) \(percent) %") }
                }
            }
        }
        XCTAssertEqual(compared, 15 * 15 - 3, "15 REY per extraction, 3 censored cells in R5-0010-CA")

        // Size fractions of the control composite: mass %, enrichment factors, recovery.
        let fractionSample = try XCTUnwrap(((sections["fractions"] as? [String: Any])?["samples"] as? [[String: Any]])?.first)
        let expectedFractions = try XCTUnwrap(expected["size_fractions"] as? [String: Any])
        let classes = try XCTUnwrap(expectedFractions["classes"] as? [String: [String: Any]])
        for entry in fractionSample["classes"] as! [[String: Any]] {
            let label = entry["class"] as! String
            let mass = try XCTUnwrap(classes[label]?["mass_percent"] as? [String: Double], label)
            close(entry["mass_percent_mean"] as? Double, mass["mean"], "\(label) mass %")
            close(entry["mass_percent_sd"] as? Double, mass["sd"], "\(label) mass % SD")
        }
        let recoveries = try XCTUnwrap(expectedFractions["mass_balance_recovery_percent"] as? [String: Double])
        for quantity in fractionSample["quantities"] as! [[String: Any]] {
            let name = quantity["quantity"] as! String
            let key = name == "ΣREE" ? "sum_ree" : name
            if let recovery = recoveries[key] { close(quantity["recovery_percent"] as? Double, recovery, "\(name) recovery") }
            for entry in quantity["classes"] as! [[String: Any]] {
                if let ef = (classes[entry["class"] as! String]?["enrichment_factor"] as? [String: Double])?[key] {
                    close(entry["enrichment_factor"] as? Double, ef, "\(name) EF \(entry["class"]!)")
                }
            }
        }
    }

    func testDemoRefusesToOverwriteWithoutForceAndNeverEmptiesAForeignFolder() throws {
        let (dir, first) = try runDemo()
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        let again = try TestSupport.runLIMS(["demo", "--dir", dir.path])
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertTrue(again.stderr.contains("expected a folder without an earlier demo; add --force to replace it"), again.stderr)
        let forced = try TestSupport.runLIMS(["demo", "--dir", dir.path, "--force"])
        XCTAssertEqual(forced.exitCode, 0, forced.stderr)

        let foreign = TestSupport.temporaryDirectory("not-a-demo")
        try Data("precious".utf8).write(to: foreign.appendingPathComponent("thesis.txt"))
        let refused = try TestSupport.runLIMS(["demo", "--dir", foreign.path, "--force"])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("holds files that lims demo did not write"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: foreign.appendingPathComponent("thesis.txt"), encoding: .utf8), "precious")
    }

    func testEmbeddedStudyFilesEqualTheSourceFiles() throws {
        let (dir, result) = try runDemo()
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let manager = FileManager.default
        var sources = try manager.contentsOfDirectory(atPath: Self.studyFolder.path)
            .filter { $0.hasSuffix(".csv") || $0 == "MANIFEST.txt" }
            .map { Self.studyFolder.appendingPathComponent($0) }
        let leaching = Self.studyFolder.appendingPathComponent("leaching")
        sources += try manager.contentsOfDirectory(atPath: leaching.path).filter { $0.hasSuffix(".csv") }
            .map { leaching.appendingPathComponent($0) }
        let written = try manager.contentsOfDirectory(atPath: dir.appendingPathComponent("study").path)
        XCTAssertEqual(Set(written), Set(sources.map(\.lastPathComponent) + ["README.txt"]))
        for source in sources {
            XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("study/\(source.lastPathComponent)")),
                           try Data(contentsOf: source), source.lastPathComponent)
        }
    }
}
