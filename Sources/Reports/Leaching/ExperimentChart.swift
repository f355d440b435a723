/// An x–y figure of the leaching and seepage reports (cumulative REE curves, SWCCs on a log ψ axis,
/// k_u(ψ)); drawn by the one chart writer, `SVGChart.xy`, in the same style as every report figure.
public struct ExperimentChart: Sendable {
    public typealias Style = SVGChart.XYStyle
    public typealias Series = SVGChart.XYSeries

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog = false
    public var yLog = false
    public var series: [Series] = []

    public init(title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xLog = xLog; self.yLog = yLog
    }

    /// The SVG text. Points that cannot be drawn on a log axis (≤ 0) are left out.
    public func svg() -> String {
        SVGChart.xy(title: title, xLabel: xLabel, yLabel: yLabel, xLog: xLog, yLog: yLog, series: series)
    }
}
