import LIMSStore

/// A Levey–Jennings chart of one CRM line, drawn by the one chart writer (`SVGChart.xy`): the
/// measured values in run order, the target mean, ±2 SD (warning) and ±3 SD (action) lines, the
/// certified value when there is one, and the points that break a Westgard rule marked apart.
public enum ControlChartFigure {
    public static func svg(_ chart: ControlChart) -> String {
        let xs = chart.points.indices.map { Double($0 + 1) }
        let measured = zip(xs, chart.points).map { (x: $0, y: $1.value) }
        var series = [SVGChart.XYSeries(name: "\(chart.crmName) \(chart.line.name)", points: measured, style: .lineAndMarkers, colorIndex: 0)]
        let span = (x: xs.first ?? 1, end: max(xs.last ?? 1, (xs.first ?? 1) + 1))
        func level(_ name: String, _ y: Double, color: Int) -> SVGChart.XYSeries {
            SVGChart.XYSeries(name: name, points: [(span.x, y), (span.end, y)], style: .line, colorIndex: color)
        }
        if let mean = chart.mean, let sd = chart.sd {
            series.append(level("mean \(NumberFormat.significant(mean))", mean, color: 7))
            series.append(level("±2 SD (warning)", mean + 2 * sd, color: 3))
            series.append(SVGChart.XYSeries(name: "", points: [(span.x, mean - 2 * sd), (span.end, mean - 2 * sd)], style: .line, colorIndex: 3))
            series.append(level("±3 SD (reject)", mean + 3 * sd, color: 1))
            series.append(SVGChart.XYSeries(name: "", points: [(span.x, mean - 3 * sd), (span.end, mean - 3 * sd)], style: .line, colorIndex: 1))
        }
        if let certified = chart.certified, let value = CRMCatalog.milligramsPerKilogram(certified), chart.unit == "mg/kg" {
            series.append(level("\(certified.kind) \(NumberFormat.significant(value)) mg/kg", value, color: 2))
        }
        let broken = zip(xs, chart.points).filter { !$1.rules.isEmpty }.map { (x: $0, y: $1.value) }
        if !broken.isEmpty {
            series.append(SVGChart.XYSeries(name: "Westgard rule broken", points: broken, style: .markers, colorIndex: 4))
        }
        let subtitle = chart.mean == nil ? "fewer than 2 points: no target"
            : "target from \(chart.baselineCount) points; \(chart.points.count) runs"
        return SVGChart.xy(title: "Control chart: \(chart.crmName) \(chart.line.name)", subtitle: subtitle,
                           xLabel: "run (oldest first)", yLabel: "\(chart.line.element) (\(chart.unit))", xLog: false, yLog: false,
                           series: series)
    }
}
