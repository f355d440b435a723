import Foundation

/// The one SVG chart writer of every report figure: REE patterns (categories on x, log y), grouped
/// bars (enrichment factors) and x–y charts (leaching curves, SWCCs, k_u), all with the same frame,
/// fonts, Okabe–Ito colour-blind-safe palette and a legend sized to its text (nothing clipped).
/// Sizes are in px of the viewBox; the `width`/`height` attributes give the physical size in mm
/// (96 px per inch), so a figure keeps its size when placed in a document.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        /// ± error (SD) per point, drawn as bars.
        public var errors: [Double?]?
        public var dashed = false
        /// Colour by group (e.g. the sample's treatment) instead of by series.
        public var colorIndex: Int?
        /// Points that are upper limits (< DL): drawn as open markers.
        public var upperLimits: [Bool]?
        public init(name: String, values: [Double?], errors: [Double?]? = nil, dashed: Bool = false, colorIndex: Int? = nil,
                    upperLimits: [Bool]? = nil) {
            self.name = name; self.values = values; self.errors = errors; self.dashed = dashed; self.colorIndex = colorIndex
            self.upperLimits = upperLimits
        }
    }

    /// Okabe & Ito (2008) colour-blind-safe palette (black last); treatments take their colour by their
    /// position in the database, so a treatment keeps its colour in every report.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
    /// Grey for "other" (no treatment; a legend key for a line style).
    public static let otherColorIndex = -1
    static func color(_ i: Int) -> String { i < 0 ? "#666666" : palette[i % palette.count] }

    static let fontSize = 12.0
    /// Width of a text in px (Helvetica averages about 0.6 em; generous so nothing is clipped).
    static func textWidth(_ s: String, size: Double = fontSize) -> Double { Double(s.count) * size * 0.62 }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A coordinate with 2 decimals, by integer arithmetic: a figure of 10⁴ samples has 10⁵ of them and
    /// Foundation's String(format:) was a fifth of a large report.
    static func f(_ x: Double) -> String {
        let scaled = (x * 100).rounded()
        guard scaled.isFinite, abs(scaled) < 1e15 else { return String(format: "%.2f", x) }
        let i = Int(scaled), a = abs(i), fraction = a % 100
        return (i < 0 ? "-" : "") + String(a / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// A legend entry: its text, colour index, line style and marker.
    public struct LegendEntry: Sendable {
        public var name: String
        public var colorIndex: Int
        public var dashed: Bool
        public var openMarker: Bool
        public var line: Bool
        public init(name: String, colorIndex: Int, dashed: Bool = false, openMarker: Bool = false, line: Bool = true) {
            self.name = name; self.colorIndex = colorIndex; self.dashed = dashed; self.openMarker = openMarker; self.line = line
        }
    }

    /// The layout of one figure: margins grow to hold the legend, rotated x labels and tick labels.
    struct Frame {
        var width: Double, height: Double
        var left: Double, right: Double, top: Double, bottom: Double
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
        static let rowHeight = 18.0

        init(legend: [LegendEntry], xLabels: [String] = [], yTickWidth: Double = 40, subtitle: Bool = true) {
            width = 820; height = 460
            left = 36 + yTickWidth; top = subtitle ? 50 : 36; bottom = 60
            let legendWidth = legend.map { textWidth($0.name) }.max().map { $0 + 50 } ?? 20
            right = max(legendWidth, 20)
            // Plot at least 480 px wide: a long legend widens the figure instead of squeezing the plot.
            width = max(width, left + 480 + right)
            let legendHeight = Double(legend.count) * Self.rowHeight + 20
            // Category labels rotate when they would touch; the bottom margin holds them.
            let step = (width - left - right) / Double(max(xLabels.count, 1))
            let widest = xLabels.map { textWidth($0) }.max() ?? 0
            if widest + 6 > step { bottom = 40 + widest * 0.72 + 12 }
            height = max(height, top + bottom + max(300, legendHeight))
        }

        var rotateXLabels: Bool { bottom > 60 }

        func header(title: String, subtitle: String?) -> [String] {
            let mmW = width * 25.4 / 96, mmH = height * 25.4 / 96
            var lines = [
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(String(format: "%.1f", mmW))mm\" height=\"\(String(format: "%.1f", mmH))mm\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(Int(fontSize))\">",
                "<title>\(escape(title))</title>",
                "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>",
                "<text x=\"\(f(left + plotWidth / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>",
            ]
            if let subtitle {
                lines.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"38\" text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">\(escape(subtitle))</text>")
            }
            return lines
        }

        /// The legend right of the plot, every entry shown (the frame was sized for it).
        func legend(_ entries: [LegendEntry]) -> [String] {
            var lines: [String] = []
            let x = left + plotWidth + 16
            for (i, entry) in entries.enumerated() {
                let y = top + 10 + Double(i) * Self.rowHeight
                let c = color(entry.colorIndex)
                let dash = entry.dashed ? " stroke-dasharray=\"5,3\"" : ""
                if entry.line {
                    lines.append("<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(c)\" stroke-width=\"2\"\(dash)/>")
                }
                lines.append(marker(x + 11, y, c, open: entry.openMarker))
                lines.append("<text x=\"\(f(x + 28))\" y=\"\(f(y + 4))\">\(escape(entry.name))</text>")
            }
            return lines
        }

        func xAxis(_ categories: [String], xLabel: String) -> (lines: [String], position: (Int) -> Double) {
            let step = plotWidth / Double(max(categories.count, 1))
            let left = self.left, base = top + plotHeight
            let position = { (i: Int) in left + step * (Double(i) + 0.5) }
            var lines = ["<line x1=\"\(f(left))\" y1=\"\(f(base))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(base))\" stroke=\"black\"/>"]
            for (i, c) in categories.enumerated() {
                let x = position(i)
                lines.append("<line x1=\"\(f(x))\" y1=\"\(f(base))\" x2=\"\(f(x))\" y2=\"\(f(base + 5))\" stroke=\"black\"/>")
                if rotateXLabels {
                    lines.append("<text x=\"\(f(x))\" y=\"\(f(base + 16))\" text-anchor=\"end\" transform=\"rotate(-45 \(f(x)) \(f(base + 16)))\">\(escape(c))</text>")
                } else {
                    lines.append("<text x=\"\(f(x))\" y=\"\(f(base + 19))\" text-anchor=\"middle\">\(escape(c))</text>")
                }
            }
            lines.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">\(escape(xLabel))</text>")
            return (lines, position)
        }

        func yLabel(_ text: String) -> [String] {
            let cy = top + plotHeight / 2
            return ["<text x=\"18\" y=\"\(f(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(cy)))\">\(escape(text))</text>"]
        }
    }

    static func marker(_ x: Double, _ y: Double, _ color: String, open: Bool) -> String {
        open ? "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            : "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(color)\"/>"
    }

    /// Tick label: 0.001, 0.01 … 1000, 1e4 …
    static func tickLabel(_ v: Double) -> String {
        if v >= 1e5 || v < 1e-4 { return String(format: "%.0e", v) }
        if v >= 1 { return String(format: "%.0f", v) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// A pattern plot: categories on x (e.g. La … Lu with Y between Dy and Ho), a logarithmic y axis,
    /// one line per series, error bars when given, open markers for upper limits. Points without a
    /// value break the line.
    public static func logPattern(title: String, subtitle: String?, categories: [String], series: [Series],
                                  xLabel: String, yLabel: String, legend legendEntries: [LegendEntry]? = nil) -> String {
        var positives: [Double] = []
        for s in series {
            for (i, v) in s.values.enumerated() {
                guard let v, v > 0 else { continue }
                positives.append(v)
                if let e = s.errors?[i] { positives.append(v + e); if v - e > 0 { positives.append(v - e) } }
            }
        }
        let lo = floor(log10(positives.min() ?? 0.1)), hiRaw = ceil(log10(positives.max() ?? 10))
        let hi = hiRaw <= lo ? lo + 1 : hiRaw
        var entries = legendEntries ?? series.enumerated().map { LegendEntry(name: $1.name, colorIndex: $1.colorIndex ?? $0, dashed: $1.dashed) }
        if series.contains(where: { $0.upperLimits?.contains(true) ?? false }) && !entries.contains(where: \.openMarker) {
            entries.append(LegendEntry(name: "open marker: < DL (upper limit)", colorIndex: otherColorIndex, openMarker: true, line: false))
        }
        let ticks = stride(from: lo, through: hi, by: 1).map { tickLabel(pow(10, $0)) }
        let frame = Frame(legend: entries, xLabels: categories, yTickWidth: (ticks.map { textWidth($0) }.max() ?? 30) + 8,
                          subtitle: subtitle != nil)
        let top = frame.top, plotHeight = frame.plotHeight, left = frame.left, plotWidth = frame.plotWidth
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (log10(v) - lo) / (hi - lo)) }
        var lines = frame.header(title: title, subtitle: subtitle)
        // Grid and decade ticks; 2 and 5 between them when the range is small.
        var decade = lo
        while decade <= hi {
            let value = pow(10, decade)
            lines.append("<line x1=\"\(f(left))\" y1=\"\(f(y(value)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(value)))\" stroke=\"#ccc\"/>")
            lines.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(tickLabel(value))</text>")
            if hi - lo <= 3 && decade < hi {
                for m in [2.0, 5.0] {
                    let v = m * value
                    lines.append("<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(v)))\" stroke=\"#eee\"/>")
                    lines.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\" fill=\"#666\" font-size=\"10\">\(tickLabel(v))</text>")
                }
            }
            decade += 1
        }
        lines.append("<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>")
        let (axis, x) = frame.xAxis(categories, xLabel: xLabel)
        lines += axis
        lines += frame.yLabel(yLabel + " (log scale)")
        // Series with error bars are dodged a few px apart so their bars do not hide each other.
        let dodging = series.count > 1 && series.count <= 8 && series.contains { $0.errors != nil }
        for (si, s) in series.enumerated() {
            let c = color(s.colorIndex ?? si)
            let offset = dodging ? (Double(si) - Double(series.count - 1) / 2) * 5 : 0
            let x = { (i: Int) in x(i) + offset }
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    let dash = s.dashed ? " stroke-dasharray=\"5,3\"" : ""
                    lines.append("<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.8\"\(dash) points=\"\(segment.joined(separator: " "))\"/>")
                }
                segment = []
            }
            var markers: [String] = []
            for (i, v) in s.values.enumerated() {
                guard let v, v > 0 else { flush(); continue }
                segment.append("\(f(x(i))),\(f(y(v)))")
                if let e = s.errors?[i], e > 0 {
                    let upper = y(v + e), lower = y(max(v - e, pow(10, lo)))
                    lines.append("<line x1=\"\(f(x(i)))\" y1=\"\(f(upper))\" x2=\"\(f(x(i)))\" y2=\"\(f(lower))\" stroke=\"\(c)\"/>")
                    lines.append("<line x1=\"\(f(x(i) - 4))\" y1=\"\(f(upper))\" x2=\"\(f(x(i) + 4))\" y2=\"\(f(upper))\" stroke=\"\(c)\"/>")
                    lines.append("<line x1=\"\(f(x(i) - 4))\" y1=\"\(f(lower))\" x2=\"\(f(x(i) + 4))\" y2=\"\(f(lower))\" stroke=\"\(c)\"/>")
                }
                markers.append(marker(x(i), y(v), c, open: s.upperLimits?[i] ?? false))
            }
            flush()
            lines += markers
        }
        lines += frame.legend(entries)
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Grouped bars: one group per category, one bar per series, a linear y axis from 0,
    /// and an optional horizontal reference line (e.g. EF = 1).
    public static func groupedBars(title: String, subtitle: String?, categories: [String], series: [Series],
                                   xLabel: String, yLabel: String, referenceLine: Double?,
                                   referenceLabel: String? = nil) -> String {
        var top = 0.0
        for s in series { for (i, v) in s.values.enumerated() { if let v { top = max(top, v + ((s.errors?[i]).flatMap { $0 } ?? 0)) } } }
        if let r = referenceLine { top = max(top, r) }
        if top <= 0 { top = 1 }
        // A round axis maximum and step.
        let rawStep = top / 5, magnitude = pow(10, floor(log10(rawStep)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rawStep } ?? rawStep
        let yMax = ceil(top / step) * step
        let entries = series.enumerated().map { LegendEntry(name: $1.name, colorIndex: $1.colorIndex ?? $0, line: false) }
        let frame = Frame(legend: entries, xLabels: categories, yTickWidth: textWidth(NumberFormat.short(yMax)) + 8,
                          subtitle: subtitle != nil)
        let plotTop = frame.top, plotHeight = frame.plotHeight, left = frame.left, plotWidth = frame.plotWidth
        func y(_ v: Double) -> Double { plotTop + plotHeight * (1 - v / yMax) }
        var lines = frame.header(title: title, subtitle: subtitle)
        var tick = 0.0
        while tick <= yMax + step / 2 {
            lines.append("<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>")
            lines.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(NumberFormat.short(tick))</text>")
            tick += step
        }
        lines.append("<line x1=\"\(f(left))\" y1=\"\(f(plotTop))\" x2=\"\(f(left))\" y2=\"\(f(plotTop + plotHeight))\" stroke=\"black\"/>")
        let (axis, x) = frame.xAxis(categories, xLabel: xLabel)
        lines += axis
        lines += frame.yLabel(yLabel)
        let groupWidth = plotWidth / Double(max(categories.count, 1)) * 0.8
        let barWidth = groupWidth / Double(max(series.count, 1))
        for (si, s) in series.enumerated() {
            let c = color(s.colorIndex ?? si)
            for (i, v) in s.values.enumerated() {
                guard let v else { continue }
                let x0 = x(i) - groupWidth / 2 + barWidth * Double(si)
                lines.append("<rect x=\"\(f(x0))\" y=\"\(f(y(max(v, 0))))\" width=\"\(f(barWidth * 0.9))\" height=\"\(f(y(0) - y(max(v, 0))))\" fill=\"\(c)\"><title>\(escape(s.name)) \(escape(categories[i])): \(NumberFormat.short(v))</title></rect>")
                if let e = s.errors?[i], e > 0 {
                    let cx = x0 + barWidth * 0.45
                    lines.append("<line x1=\"\(f(cx))\" y1=\"\(f(y(v + e)))\" x2=\"\(f(cx))\" y2=\"\(f(y(max(v - e, 0))))\" stroke=\"black\"/>")
                }
            }
        }
        if let r = referenceLine {
            lines.append("<line x1=\"\(f(left))\" y1=\"\(f(y(r)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(r)))\" stroke=\"black\" stroke-dasharray=\"6,4\"/>")
            lines.append("<text x=\"\(f(left + 4))\" y=\"\(f(y(r) - 4))\" font-size=\"10\">\(escape(referenceLabel ?? NumberFormat.short(r)))</text>")
        }
        lines += frame.legend(entries)
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: x–y charts (leaching and seepage)

    public enum XYStyle: Sendable { case line, markers, lineAndMarkers }

    public struct XYSeries: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var style: XYStyle
        public var colorIndex: Int?
        public init(name: String, points: [(x: Double, y: Double)], style: XYStyle, colorIndex: Int? = nil) {
            self.name = name; self.points = points; self.style = style; self.colorIndex = colorIndex
        }
    }

    /// Lines and/or markers on linear or log10 axes. Points that cannot be drawn on a log axis (≤ 0)
    /// or are not finite are left out.
    public static func xy(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, xLog: Bool, yLog: Bool,
                          series: [XYSeries]) -> String {
        let drawable = series.map { s in s.points.filter { (!xLog || $0.x > 0) && (!yLog || $0.y > 0) && $0.x.isFinite && $0.y.isFinite } }
        let xs = drawable.flatMap { $0.map(\.x) }, ys = drawable.flatMap { $0.map(\.y) }
        // A series without a name (the second line of a ±2 SD pair) draws but takes no legend entry.
        let entries = series.enumerated().filter { !$0.element.name.isEmpty }.map { i, s in
            LegendEntry(name: s.name, colorIndex: s.colorIndex ?? i, line: s.style != .markers)
        }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            let frame = Frame(legend: entries, subtitle: subtitle != nil)
            return (frame.header(title: title, subtitle: subtitle)
                    + ["<text x=\"\(f(frame.left))\" y=\"\(f(frame.top + 20))\">no data to plot</text>", "</svg>"]).joined(separator: "\n") + "\n"
        }
        let xAxis = Axis(min: xMin, max: xMax, log: xLog), yAxis = Axis(min: yMin, max: yMax, log: yLog)
        let frame = Frame(legend: entries, yTickWidth: (yAxis.ticks.map { textWidth(Axis.label($0)) }.max() ?? 30) + 8,
                          subtitle: subtitle != nil)
        let left = frame.left, top = frame.top, plotW = frame.plotWidth, plotH = frame.plotHeight
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * plotW }
        func py(_ y: Double) -> Double { top + plotH - yAxis.fraction(y) * plotH }
        var lines = frame.header(title: title, subtitle: subtitle)
        lines.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>")
        for tick in xAxis.ticks {
            lines.append("<line x1=\"\(f(px(tick)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(tick)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>")
            lines.append("<text x=\"\(f(px(tick)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Axis.label(tick))</text>")
        }
        for tick in yAxis.ticks {
            lines.append("<line x1=\"\(f(left - 5))\" y1=\"\(f(py(tick)))\" x2=\"\(f(left))\" y2=\"\(f(py(tick)))\" stroke=\"black\"/>")
            lines.append("<text x=\"\(f(left - 8))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(Axis.label(tick))</text>")
        }
        lines.append("<text x=\"\(f(left + plotW / 2))\" y=\"\(f(frame.height - 14))\" text-anchor=\"middle\">\(escape(xLabel))</text>")
        lines += frame.yLabel(yLabel)
        for (index, (s, points)) in zip(series, drawable).enumerated() {
            let c = color(s.colorIndex ?? index)
            if s.style != .markers, points.count > 1 {
                let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                lines.append("<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.8\" points=\"\(path)\"/>")
            }
            if s.style != .line {
                for p in points { lines.append("<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"\(c)\"/>") }
            }
        }
        lines += frame.legend(entries)
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
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

        static func label(_ value: Double) -> String {
            if value != 0, abs(value) < 1e-3 || abs(value) >= 1e5 {
                let exponent = Int(Foundation.floor(log10(abs(value))))
                let mantissa = value / pow(10, Double(exponent))
                return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%.1fe%d", mantissa, exponent)
            }
            return String(format: "%g", value)
        }
    }
}
