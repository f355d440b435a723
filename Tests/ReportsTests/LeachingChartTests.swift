import XCTest
@testable import Reports

/// The SVG figures of the leaching and seepage reports.
final class LeachingChartTests: XCTestCase {
    func testLogAxisHasDecadeTicksAndDropsNonPositivePoints() {
        var chart = ExperimentChart(title: "SWCC <A&B>", xLabel: "ψ (kPa)", yLabel: "θ", xLog: true)
        chart.series = [.init(name: "measured", points: [(0, 0.4), (1, 0.39), (10, 0.3), (1000, 0.05)], style: .markers)]
        let svg = chart.svg()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(svg.contains("SWCC &lt;A&amp;B&gt;"))
        for tick in [">1</text>", ">10</text>", ">100</text>", ">1000</text>"] { XCTAssertTrue(svg.contains(tick), tick) }
        // ψ = 0 cannot be drawn on a log axis: three data markers (r 3.5), not four.
        XCTAssertEqual(svg.components(separatedBy: "r=\"3.5\" fill=").count - 1, 3)
        // The markers span the plot frame: ψ = 1 on its left edge, ψ = 1000 on its right edge.
        let frame = svg.components(separatedBy: "\n").first { $0.hasPrefix("<rect x=") && $0.contains("fill=\"none\"") }!
        func number(_ key: String, in line: String) -> Double {
            Double(line.components(separatedBy: "\(key)=\"")[1].prefix { $0 != "\"" })!
        }
        let left = number("x", in: frame), width = number("width", in: frame)
        let markers = svg.components(separatedBy: "\n").filter { $0.contains("r=\"3.5\" fill=") }.map { number("cx", in: $0) }
        XCTAssertEqual(markers.min()!, left, accuracy: 0.01)
        XCTAssertEqual(markers.max()!, left + width, accuracy: 0.01)
        // One writer for every figure: physical size in mm and the Okabe–Ito palette.
        XCTAssertTrue(svg.contains("width=\"217.0mm\""), svg)
        XCTAssertTrue(svg.contains(SVGChart.palette[0]))
    }

    func testManyDecadesAreThinnedAndEmptyChartSaysSo() {
        var chart = ExperimentChart(title: "k_u", xLabel: "ψ", yLabel: "k", xLog: true, yLog: true)
        chart.series = [.init(name: "k", points: [(0.1, 1e-3), (1e4, 1e-17)], style: .line)]
        let svg = chart.svg()
        XCTAssertTrue(svg.contains(">1e-17</text>") && svg.contains(">1e-15</text>") && !svg.contains(">1e-16</text>"), svg)
        XCTAssertTrue(ExperimentChart(title: "t", xLabel: "x", yLabel: "y").svg().contains("no data to plot"))
    }
}
