import Foundation

/// Hand-written SVG figures: REE patterns (log y, La→Lu) and grouped bars (enrichment factors).
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        /// ± error (SD) per point, drawn as bars.
        public var errors: [Double?]?
        public var dashed = false
        /// Colour by group (e.g. the sample's treatment) instead of by series.
        public var colorIndex: Int?
        public init(name: String, values: [Double?], errors: [Double?]? = nil, dashed: Bool = false, colorIndex: Int? = nil) {
            self.name = name; self.values = values; self.errors = errors; self.dashed = dashed; self.colorIndex = colorIndex
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf"]
    static func color(_ i: Int) -> String { palette[i % palette.count] }

    static let width = 820.0, height = 460.0
    static let left = 80.0, right = 230.0, top = 50.0, bottom = 70.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ x: Double) -> String { String(format: "%.2f", x) }

    static func header(title: String, subtitle: String?) -> [String] {
        var lines = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<title>\(escape(title))</title>",
            "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>",
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>",
        ]
        if let subtitle {
            lines.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"38\" text-anchor=\"middle\" font-size=\"11\" fill=\"#444\">\(escape(subtitle))</text>")
        }
        return lines
    }

    /// A legend entry: its text, colour index and line style.
    public struct LegendEntry: Sendable {
        public var name: String
        public var colorIndex: Int
        public var dashed: Bool
        public init(name: String, colorIndex: Int, dashed: Bool = false) {
            self.name = name; self.colorIndex = colorIndex; self.dashed = dashed
        }
    }

    /// The legend right of the plot; entries that do not fit are summarised in one line.
    static func legend(_ entries: [LegendEntry]) -> [String] {
        var lines: [String] = []
        let x = left + plotWidth + 20
        let fit = Int((plotHeight - 10) / 18)
        for (i, entry) in entries.prefix(fit).enumerated() {
            let y = top + 10 + Double(i) * 18
            let c = color(entry.colorIndex)
            let dash = entry.dashed ? " stroke-dasharray=\"5,3\"" : ""
            lines.append("<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 22))\" y2=\"\(f(y))\" stroke=\"\(c)\" stroke-width=\"2\"\(dash)/>")
            lines.append("<circle cx=\"\(f(x + 11))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(c)\"/>")
            lines.append("<text x=\"\(f(x + 28))\" y=\"\(f(y + 4))\">\(escape(entry.name))</text>")
        }
        if entries.count > fit {
            lines.append("<text x=\"\(f(x))\" y=\"\(f(top + 10 + Double(fit) * 18 + 4))\" fill=\"#444\">… and \(entries.count - fit) more</text>")
        }
        return lines
    }

    static func xAxis(_ categories: [String], xLabel: String) -> (lines: [String], position: (Int) -> Double) {
        let step = plotWidth / Double(max(categories.count, 1))
        let position = { (i: Int) in left + step * (Double(i) + 0.5) }
        var lines = ["<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"black\"/>"]
        for (i, c) in categories.enumerated() {
            let x = position(i)
            lines.append("<line x1=\"\(f(x))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"black\"/>")
            lines.append("<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 19))\" text-anchor=\"middle\">\(escape(c))</text>")
        }
        lines.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">\(escape(xLabel))</text>")
        return (lines, position)
    }

    static func yLabelLines(_ yLabel: String) -> [String] {
        let cy = top + plotHeight / 2
        return ["<text x=\"18\" y=\"\(f(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f(cy)))\">\(escape(yLabel))</text>"]
    }

    /// Tick label: 0.001, 0.01 … 1000, 1e4 …
    static func tickLabel(_ v: Double) -> String {
        if v >= 1e5 || v < 1e-4 { return String(format: "%.0e", v) }
        if v >= 1 { return String(format: "%.0f", v) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// A pattern plot: categories on x (e.g. La … Lu), a logarithmic y axis, one line per series,
    /// error bars when given. Points without a value break the line.
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
        func y(_ v: Double) -> Double { top + plotHeight * (1 - (log10(v) - lo) / (hi - lo)) }
        var lines = header(title: title, subtitle: subtitle)
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
        let (axis, x) = xAxis(categories, xLabel: xLabel)
        lines += axis
        lines += yLabelLines(yLabel + " (log scale)")
        for (si, s) in series.enumerated() {
            let c = color(s.colorIndex ?? si)
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    let dash = s.dashed ? " stroke-dasharray=\"5,3\"" : ""
                    lines.append("<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.8\"\(dash) points=\"\(segment.joined(separator: " "))\"/>")
                }
                segment = []
            }
            for (i, v) in s.values.enumerated() {
                guard let v, v > 0 else { flush(); continue }
                segment.append("\(f(x(i))),\(f(y(v)))")
                if let e = s.errors?[i], e > 0 {
                    let upper = y(v + e), lower = y(max(v - e, pow(10, lo)))
                    lines.append("<line x1=\"\(f(x(i)))\" y1=\"\(f(upper))\" x2=\"\(f(x(i)))\" y2=\"\(f(lower))\" stroke=\"\(c)\"/>")
                    lines.append("<line x1=\"\(f(x(i) - 4))\" y1=\"\(f(upper))\" x2=\"\(f(x(i) + 4))\" y2=\"\(f(upper))\" stroke=\"\(c)\"/>")
                    lines.append("<line x1=\"\(f(x(i) - 4))\" y1=\"\(f(lower))\" x2=\"\(f(x(i) + 4))\" y2=\"\(f(lower))\" stroke=\"\(c)\"/>")
                }
                lines.append("<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3\" fill=\"\(c)\"/>")
            }
            flush()
        }
        lines += legend(legendEntries ?? series.enumerated().map { LegendEntry(name: $1.name, colorIndex: $1.colorIndex ?? $0, dashed: $1.dashed) })
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
        func y(_ v: Double) -> Double { Self.top + plotHeight * (1 - v / yMax) }
        var lines = header(title: title, subtitle: subtitle)
        var tick = 0.0
        while tick <= yMax + step / 2 {
            lines.append("<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>")
            lines.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(NumberFormat.short(tick))</text>")
            tick += step
        }
        lines.append("<line x1=\"\(f(left))\" y1=\"\(f(Self.top))\" x2=\"\(f(left))\" y2=\"\(f(Self.top + plotHeight))\" stroke=\"black\"/>")
        let (axis, x) = xAxis(categories, xLabel: xLabel)
        lines += axis
        lines += yLabelLines(yLabel)
        let groupWidth = plotWidth / Double(max(categories.count, 1)) * 0.8
        let barWidth = groupWidth / Double(max(series.count, 1))
        for (si, s) in series.enumerated() {
            for (i, v) in s.values.enumerated() {
                guard let v else { continue }
                let x0 = x(i) - groupWidth / 2 + barWidth * Double(si)
                lines.append("<rect x=\"\(f(x0))\" y=\"\(f(y(max(v, 0))))\" width=\"\(f(barWidth * 0.9))\" height=\"\(f(y(0) - y(max(v, 0))))\" fill=\"\(color(si))\"><title>\(escape(s.name)) \(escape(categories[i])): \(NumberFormat.short(v))</title></rect>")
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
        lines += legend(series.enumerated().map { LegendEntry(name: $1.name, colorIndex: $0) })
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}
