import XCTest
import LIMSStore
@testable import Reports

/// The one chart writer: physical size, Okabe–Ito colours fixed per treatment, Y between Dy and Ho,
/// legends and labels inside the figure.
final class SVGChartTests: XCTestCase {
    /// The viewBox width and the right-most extent of the legend texts (estimated as the writer does).
    func legendFits(_ svg: String) -> Bool {
        let width = Double(svg.components(separatedBy: "viewBox=\"0 0 ")[1].prefix { $0 != " " })!
        for line in svg.split(separator: "\n") where line.hasPrefix("<text x=") && !line.contains("text-anchor") {
            let x = Double(line.components(separatedBy: "x=\"")[1].prefix { $0 != "\"" })!
            let text = line.components(separatedBy: ">")[1].components(separatedBy: "<")[0]
            if x + SVGChart.textWidth(text) > width { return false }
        }
        return true
    }

    func testLongLegendWidensTheFigureAndCrowdedLabelsRotate() {
        let long = SVGChart.Series(name: String(repeating: "very long treatment name ", count: 3), values: [1, 2, 3])
        let svg = SVGChart.logPattern(title: "t", subtitle: nil, categories: ["La", "Ce", "Pr"], series: [long],
                                      xLabel: "element", yLabel: "x")
        XCTAssertTrue(legendFits(svg), svg)
        XCTAssertTrue(svg.contains("mm\" height=\""), "physical size in mm")
        let many = (1...30).map { "quantity \($0)" }
        let bars = SVGChart.groupedBars(title: "EF", subtitle: nil, categories: many,
                                        series: [SVGChart.Series(name: "fine", values: many.map { _ in 1.5 })],
                                        xLabel: "quantity", yLabel: "EF", referenceLine: 1)
        XCTAssertTrue(bars.contains("rotate(-45"), "crowded category labels are rotated")
        XCTAssertTrue(legendFits(bars))
        // Okabe–Ito only: no red/green pair of the old palette.
        XCTAssertFalse(bars.contains("#d62728") || bars.contains("#2ca02c"))
    }

    func testTreatmentKeepsItsColourAcrossReportsAndYSitsBetweenDyAndHo() throws {
        let lab = try ReportTestLab.make()
        try lab.measureAll("C1-S", ReportTestLab.s1)
        try lab.measureAll("R1-S", ReportTestLab.s2)
        try lab.measureAll("R2-S", ReportTestLab.s2, scale: 1.2)
        let all = try ReportBuilder(store: lab.store).build([.anomalies])
        var options = ReportOptions()
        options.treatments = ["ramie"]
        let ramieOnly = try ReportBuilder(store: lab.store, options: options).build([.anomalies])
        // ramie is the third treatment of the database: palette[2] in both reports, though it is the only one in the second.
        let ramie = SVGChart.palette[2]
        for document in [all, ramieOnly] {
            let svg = document.figures[0].svg
            XCTAssertTrue(svg.contains("stroke=\"\(ramie)\""), svg)
            let dy = svg.range(of: ">Dy</text>")!, y = svg.range(of: ">Y</text>")!, ho = svg.range(of: ">Ho</text>")!
            XCTAssertTrue(dy.lowerBound < y.lowerBound && y.lowerBound < ho.lowerBound, "Y between Dy and Ho")
        }
        XCTAssertFalse(ramieOnly.figures[0].svg.contains("stroke=\"\(SVGChart.palette[0])\""), "control's colour is not reused for ramie")
    }

    /// The fast number printing gives printf's text (ties included) and the chart coordinates 2 decimals.
    func testFixedMatchesPrintfAndCoordinates() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -6...7, using: &generator)
            let value = (Bool.random(using: &generator) ? 1 : -1) * pow(10, magnitude)
            let decimals = Int.random(in: 0...6, using: &generator)
            XCTAssertEqual(NumberFormat.fixed(value, decimals), String(format: "%.\(decimals)f", value), "\(value) \(decimals)")
        }
        for (value, decimals) in [(0.125, 2), (0.285, 2), (2.5, 0), (18.85, 1), (18.55, 1), (-0.001, 2), (1234.5, 0), (0.0, 3)] {
            XCTAssertEqual(NumberFormat.fixed(value, decimals), String(format: "%.\(decimals)f", value), "\(value)")
        }
        XCTAssertEqual(SVGChart.f(80), "80.00")
        XCTAssertEqual(SVGChart.f(-3.456), "-3.46")
        XCTAssertEqual(SVGChart.f(0.05), "0.05")
    }
}

/// Report CSVs follow the export rule against formula injection (issue #16): text cells a
/// spreadsheet would run get an apostrophe; numbers, a lone qualifier and ordinary text stay as they are.
final class TidyTableCSVTests: XCTestCase {
    func testFormulaLeadingTextIsNeutralisedAndNumbersAreNot() {
        let table = TidyTable(columns: [.text("sample"), .number("value"), .text("qualifier")],
                              rows: [[.text("=HYPERLINK(\"x\")"), .number(-0.5), .text("=")],
                                     [.text("C1-S"), .number(12), .text("<")],
                                     [.text("@SUM(A1)"), .number(nil), .text("")]])
        XCTAssertEqual(table.renderCSV(), "sample,value,qualifier\n\"'=HYPERLINK(\"\"x\"\")\",-0.5,=\nC1-S,12,<\n'@SUM(A1),,\n")
    }
}
