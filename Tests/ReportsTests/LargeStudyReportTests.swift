import Foundation
import LIMSStore
import LIMSTestSupport
import XCTest
@testable import Reports

/// A study above the per-sample limit (lowered here to 4 samples): the Markdown gives per-treatment
/// summaries instead of per-sample tables, the full tables are written as tidy CSV beside it, and the
/// per-sample figure shows median and quartiles per treatment. Nothing a researcher had is lost.
final class LargeStudyReportTests: XCTestCase {
    /// Factors on S1 (control, ramie) or S2 (miscanthus) per "<plot>-S"; R3-S has Eu < 0.05.
    static let factors: [(String, [Double])] = [("C", [1.0, 1.2, 0.9]), ("M", [1.0, 1.5, 0.8]), ("R", [2.0, 2.5, 1.7])]

    func makeLab() throws -> ReportTestLab {
        let lab = try ReportTestLab.make()
        for (prefix, factors) in Self.factors {
            for (i, factor) in factors.enumerated() {
                let code = "\(prefix)\(i + 1)-S"
                var values = prefix == "M" ? ReportTestLab.s2 : ReportTestLab.s1
                if prefix == "R" && i == 2 {
                    values["Eu"] = nil
                    try lab.measure(code, "Eu", nil, qualifier: "<", dl: 0.05)
                }
                try lab.measureAll(code, values, scale: factor)
            }
        }
        return lab
    }

    func options(limit: Int) -> ReportOptions {
        var options = ReportOptions()
        options.perSampleLimit = limit
        options.generatedAt = Date(timeIntervalSince1970: 1_700_000_000)
        return options
    }

    /// A large study's comparisons do not hold every group's values (60 MB at 10⁵ samples); its JSON
    /// reads them again and must give exactly what the small study's JSON gives, censored flags and the
    /// `all < DL` cells included (R3-S's Eu is < 0.05). Markdown tables of the comparison are equal too.
    func testLargeStudyTreatmentJSONHasTheSameValuesAsTheSmallOne() throws {
        let lab = try makeLab()
        let large = try ReportBuilder(store: lab.store, options: options(limit: 4)).build([.treatments])
        let small = try ReportBuilder(store: lab.store, options: options(limit: 200)).build([.treatments])
        XCTAssertEqual(large.sections[0].json.rendered(), small.sections[0].json.rendered())
        let parsed = try JSONSerialization.jsonObject(with: Data(large.sections[0].json.rendered().utf8)) as! [String: Any]
        let groups = (parsed["parameters"] as! [[String: Any]]).flatMap { $0["groups"] as! [[String: Any]] }
        XCTAssertFalse(groups.isEmpty)
        for group in groups { XCTAssertEqual((group["values"] as! [Any]).count, group["n"] as? Int) }
        XCTAssertEqual(large.sections[0].markdown, small.sections[0].markdown)
    }

    func testLargeStudySummarizesPerSampleTablesAndWritesTheirCSV() throws {
        let lab = try makeLab()
        let large = try ReportBuilder(store: lab.store, options: options(limit: 4)).build()
        let small = try ReportBuilder(store: lab.store, options: options(limit: 200)).build()
        let md = large.markdown()

        // Summary cells: Tests/Fixtures/reports/large_study_check.py (numpy.percentile, linear; 3 significant figures).
        let rows = md.split(separator: "\n").map(String.init)
        func row(_ start: String) -> String { rows.first { $0.hasPrefix(start) } ?? "(no row \(start))" }
        XCTAssertTrue(row("| control | 3 |").hasPrefix("| control | 3 | 228 (217–251) |"), row("| control | 3 |"))
        XCTAssertTrue(row("| miscanthus | 3 |").hasPrefix("| miscanthus | 3 | 56.8 (51.1–71.0) |"), row("| miscanthus | 3 |"))
        XCTAssertTrue(row("| ramie | 3 |").hasPrefix("| ramie | 3 | 456 (421–513) |"), row("| ramie | 3 |"))
        XCTAssertTrue(row("| control | 3 |").hasSuffix("| 26.5 (26.5–26.5) |"), "Y/Ho last: \(row("| control | 3 |"))")
        XCTAssertTrue(row("| miscanthus | 3 |").hasSuffix("| 28.5 (28.5–28.5) |"), row("| miscanthus | 3 |"))
        XCTAssertTrue(row("| ramie | 3 |").contains("[n = 2]"), "Eu/Eu* of R3-S is not computed (Eu < DL)")
        XCTAssertTrue(row("| Eu | 9 | 1 |").hasPrefix("| Eu | 9 | 1 | 1.56 (1.33–2.23) |"), row("| Eu | 9 | 1 |"))
        XCTAssertTrue(md.contains("1 sample(s) have values below detection kept at their DL"), md)
        // No per-sample rows, and the Markdown names the files that hold them.
        XCTAssertFalse(md.contains("| C1-S |"), "no per-sample table in the Markdown")
        XCTAssertTrue(small.markdown().contains("| C1-S |"), "the small path still has them")
        for file in ["anomalies-measured-totals.csv", "anomalies-samples.csv", "anomalies-normalized.csv"] {
            XCTAssertTrue(md.contains("`\(file)`"), "Markdown points to \(file)")
        }
        XCTAssertEqual(large.attachments.map(\.fileName), ["anomalies-measured-totals.csv", "anomalies-samples.csv", "anomalies-normalized.csv"])
        XCTAssertTrue(small.attachments.isEmpty)

        // The attached CSVs are the small study's tidy tables, byte for byte; the JSON is the same.
        let smallCSV = Dictionary(uniqueKeysWithValues: small.csvFiles().map { ($0.fileName, $0.text) })
        let directory = TestSupport.temporaryDirectory("lims-large-report")
        defer { try? FileManager.default.removeItem(at: directory) }
        let builder = try ReportBuilder(store: lab.store, options: options(limit: 4))
        let summary = try builder.writeAll(to: directory)
        for (fileName, _) in large.attachments {
            let written = try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
            XCTAssertEqual(written, smallCSV[fileName], fileName)
            XCTAssertTrue(summary.files.map(\.lastPathComponent).contains(fileName))
        }
        XCTAssertGreaterThan(smallCSV["anomalies-normalized.csv"]?.split(separator: "\n").count ?? 0, 9 * 15, "a row per sample and element")
        XCTAssertEqual(large.json().rendered(), small.json().rendered())
        // `--format csv` streams each table to its file: the same text as the rendered one.
        let csvFolder = directory.appendingPathComponent("csv")
        try FileManager.default.createDirectory(at: csvFolder, withIntermediateDirectories: true)
        let names = try large.writeCSVFiles(to: csvFolder)
        XCTAssertEqual(names, large.csvFiles().map(\.fileName))
        for file in large.csvFiles() {
            XCTAssertEqual(try String(contentsOf: csvFolder.appendingPathComponent(file.fileName), encoding: .utf8), file.text, file.fileName)
        }

        // The per-sample figure: per treatment a median and two quartile lines, no line per sample.
        let figure = try XCTUnwrap(large.figures.first { $0.fileName == "ree-pattern-samples.svg" })
        XCTAssertFalse(figure.svg.contains("C1-S"))
        XCTAssertEqual(figure.svg.components(separatedBy: "<polyline").count - 1, 9, "3 treatments × (median, 25 %, 75 %)")
        XCTAssertTrue(figure.caption.contains("25th and 75th percentiles") && figure.caption.contains("`anomalies-normalized.csv`"), figure.caption)
        let perSample = try XCTUnwrap(small.figures.first { $0.fileName == "ree-pattern-samples.svg" })
        XCTAssertEqual(perSample.svg.components(separatedBy: "<polyline").count - 1, 9, "the small path: one line per sample")
    }
}
