import Foundation

/// A small self-contained SVG chart (lines and/or markers, linear or log10 axes) for the
/// leaching and seepage reports: cumulative REE curves, SWCCs on a log ψ axis, k_u(ψ).
public struct ExperimentChart: Sendable {
    public enum Style: Sendable { case line, markers, lineAndMarkers }

    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var style: Style
        public init(name: String, points: [(x: Double, y: Double)], style: Style) {
            self.name = name; self.points = points; self.style = style
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog = false
    public var yLog = false
    public var series: [Series] = []

    public init(title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xLog = xLog; self.yLog = yLog
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG text. Points that cannot be drawn on a log axis (≤ 0) are left out.
    public func svg(width: Double = 640, height: Double = 420) -> String {
        let left = 80.0, right = 170.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let drawable = series.map { s in s.points.filter { (!xLog || $0.x > 0) && (!yLog || $0.y > 0) && $0.x.isFinite && $0.y.isFinite } }
        let xs = drawable.flatMap { $0.map(\.x) }, ys = drawable.flatMap { $0.map(\.y) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left + plotW / 2))" y="22" text-anchor="middle" font-size="14">\(Self.escape(title))</text>

            """
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            out += "<text x=\"\(f(left))\" y=\"\(f(top + 20))\">no data to plot</text>\n</svg>\n"
            return out
        }
        let xAxis = Axis(min: xMin, max: xMax, log: xLog), yAxis = Axis(min: yMin, max: yMax, log: yLog)
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * plotW }
        func py(_ y: Double) -> Double { top + plotH - yAxis.fraction(y) * plotH }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
        for tick in xAxis.ticks {
            out += "<line x1=\"\(f(px(tick)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(tick)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>"
            out += "<text x=\"\(f(px(tick)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Self.label(tick))</text>\n"
        }
        for tick in yAxis.ticks {
            out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(py(tick)))\" x2=\"\(f(left))\" y2=\"\(f(py(tick)))\" stroke=\"black\"/>"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(Self.label(tick))</text>\n"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>\n"
        for (index, (s, points)) in zip(series, drawable).enumerated() {
            let color = Self.palette[index % Self.palette.count]
            if s.style != .markers, points.count > 1 {
                let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(path)\"/>\n"
            }
            if s.style != .line {
                for p in points {
                    out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"\(color)\"/>"
                }
                out += "\n"
            }
            let ly = top + 14 + Double(index) * 18
            out += "<line x1=\"\(f(left + plotW + 12))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotW + 32))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(f(left + plotW + 36))\" y=\"\(f(ly))\">\(Self.escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    struct Axis {
        let low: Double, high: Double, log: Bool
        let ticks: [Double]

        init(min: Double, max: Double, log: Bool) {
            self.log = log
            if log {
                let lo = Foundation.floor(log10(min)), hi = Swift.max(Foundation.ceil(log10(max)), lo + 1)
                low = lo; high = hi
                // At most about 8 labelled decades, so labels never overlap.
                let every = Foundation.ceil((hi - lo) / 8)
                ticks = stride(from: lo, through: hi, by: every).map { pow(10, $0) }
            } else {
                var lo = Swift.min(min, 0), hi = max
                if hi <= lo { hi = lo + 1 }
                let raw = (hi - lo) / 5
                let magnitude = pow(10, Foundation.floor(log10(raw)))
                let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
                lo = Foundation.floor(lo / step) * step
                hi = Foundation.ceil(hi / step) * step
                low = lo; high = hi
                ticks = stride(from: lo, through: hi + step / 2, by: step).map { $0 }
            }
        }

        func fraction(_ value: Double) -> Double {
            log ? (log10(value) - low) / (high - low) : (value - low) / (high - low)
        }
    }

    static func label(_ value: Double) -> String {
        if value != 0, abs(value) < 1e-3 || abs(value) >= 1e5 {
            let exponent = Int(Foundation.floor(log10(abs(value))))
            let mantissa = value / pow(10, Double(exponent))
            return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%.1fe%d", mantissa, exponent)
        }
        return String(format: "%g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
