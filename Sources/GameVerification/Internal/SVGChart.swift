import Foundation

/// Inline SVG charts (no scripts, no network): empirical CDFs on a log axis, a log-log scatter,
/// and heatmaps of joint distributions.
enum SVGChart {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "—" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        if v == 0 { return "0" }
        return String(format: "%.3g", v)
    }

    /// The decades spanned by the positive finite values (at least one decade, from ≥ 1e-16).
    static func decades(_ values: [Double]) -> (low: Int, high: Int) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let smallest = positive.min(), let largest = positive.max() else { return (-16, 0) }
        let low = max(-16, Int(log10(smallest).rounded(.down)))
        var high = Int(log10(largest).rounded(.up))
        if high <= low { high = low + 1 }
        return (low, high)
    }

    static func decadeLabel(_ e: Int) -> String {
        switch e {
        case 0: return "1"
        case 1: return "10"
        case -1: return "0.1"
        default: return "1e\(e)"
        }
    }

    /// An empirical CDF per series on a log₁₀ x axis. Values ≤ the left edge (zeros, negatives,
    /// tiny values) are drawn at the edge; infinite values keep the curve below 1.
    static func cdf(title: String, unit: String, series: [(label: String, values: [Double])]) -> String {
        let width = 520.0, height = 300.0
        let left = 56.0, right = 16.0, top = 34.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.values)
        let (low, high) = decades(all)
        func x(_ v: Double) -> Double {
            guard v > 0 else { return left }
            let e = min(max(log10(v), Double(low)), Double(high))
            return left + (e - Double(low)) / Double(high - low) * plotWidth
        }
        func y(_ f: Double) -> Double { top + (1 - f) * plotHeight }
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<text x=\"\(Int(width / 2))\" y=\"18\" text-anchor=\"middle\" class=\"chart-title\">\(escape(title))</text>"
        // Grid and axes.
        let step = max(1, (high - low + 7) / 8)
        for e in stride(from: low, through: high, by: step) {
            let px = x(pow(10, Double(e)))
            svg += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(top + plotHeight)\" class=\"grid\"/>"
            let label = e == low && all.contains(where: { $0 <= pow(10, Double(low)) }) ? "≤" + decadeLabel(e) : decadeLabel(e)
            svg += "<text x=\"\(px)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" class=\"tick\">\(escape(label))</text>"
        }
        for f in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line x1=\"\(left)\" y1=\"\(y(f))\" x2=\"\(left + plotWidth)\" y2=\"\(y(f))\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(f) + 4)\" text-anchor=\"end\" class=\"tick\">\(f == 0 || f == 1 ? String(Int(f)) : String(f))</text>"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" class=\"frame\"/>"
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\" class=\"axis\">\(escape(unit)) (log scale)</text>"
        svg += "<text x=\"14\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" class=\"axis\" "
            + "transform=\"rotate(-90 14 \(top + plotHeight / 2))\">fraction of games ≤ x</text>"
        // Curves, then the legend on a translucent box above them.
        var legendItems = ""
        let legendWidth = min(plotWidth - 16, 60 + 6.2 * Double(series.map { $0.label.count + 14 }.max() ?? 0))
        if !series.isEmpty {
            legendItems += "<rect x=\"\(left + 4)\" y=\"\(top + 3)\" width=\"\(legendWidth)\" height=\"\(Double(series.count) * 16 + 6)\" "
                + "fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>"
        }
        for (s, item) in series.enumerated() {
            let sorted = item.values.sorted()
            let n = sorted.count
            guard n > 0 else { continue }
            let color = palette[s % palette.count]
            let samples = n <= 400 ? Array(0..<n) : (0...400).map { $0 * (n - 1) / 400 }
            var points = "\(x(sorted[0])),\(y(0))"
            var previous = 0.0
            for i in samples where sorted[i].isFinite {
                let px = x(sorted[i])
                points += " \(px),\(y(previous)) \(px),\(y(Double(i + 1) / Double(n)))"
                previous = Double(i + 1) / Double(n)
            }
            points += " \(left + plotWidth),\(y(previous))"
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            // Legend.
            let ly = top + 8 + Double(s) * 16
            let infinite = sorted.filter(\.isInfinite).count
            let legend = item.label + " (n=\(n)" + (infinite > 0 ? ", \(infinite) ∞" : "") + ")"
            legendItems += "<rect x=\"\(left + 8)\" y=\"\(ly)\" width=\"12\" height=\"3\" fill=\"\(color)\"/>"
            legendItems += "<text x=\"\(left + 24)\" y=\"\(ly + 5)\" class=\"legend\">\(escape(legend))</text>"
        }
        return svg + legendItems + "</svg>"
    }

    /// A log-log scatter of (x, y) pairs with the diagonal y = x.
    static func scatter(title: String, xLabel: String, yLabel: String, points: [(Double, Double)]) -> String {
        let width = 520.0, height = 300.0
        let left = 56.0, right = 16.0, top = 34.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let shown = points.count <= 2000 ? points : (0..<2000).map { points[$0 * points.count / 2000] }
        let (low, high) = decades(shown.flatMap { [$0.0, $0.1] })
        func t(_ v: Double) -> Double {
            guard v > 0 else { return 0 }
            return (min(max(log10(v), Double(low)), Double(high)) - Double(low)) / Double(high - low)
        }
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<text x=\"\(Int(width / 2))\" y=\"18\" text-anchor=\"middle\" class=\"chart-title\">\(escape(title))</text>"
        let step = max(1, (high - low + 7) / 8)
        for e in stride(from: low, through: high, by: step) {
            let f = Double(e - low) / Double(high - low)
            let px = left + f * plotWidth, py = top + (1 - f) * plotHeight
            svg += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(top + plotHeight)\" class=\"grid\"/>"
            svg += "<line x1=\"\(left)\" y1=\"\(py)\" x2=\"\(left + plotWidth)\" y2=\"\(py)\" class=\"grid\"/>"
            svg += "<text x=\"\(px)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" class=\"tick\">\(decadeLabel(e))</text>"
            svg += "<text x=\"\(left - 6)\" y=\"\(py + 4)\" text-anchor=\"end\" class=\"tick\">\(decadeLabel(e))</text>"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" class=\"frame\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top)\" class=\"diagonal\"/>"
        for (a, b) in shown where a.isFinite && b.isFinite {
            svg += "<circle cx=\"\(left + t(a) * plotWidth)\" cy=\"\(top + (1 - t(b)) * plotHeight)\" r=\"2.5\" class=\"dot\"/>"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\" class=\"axis\">\(escape(xLabel))</text>"
        svg += "<text x=\"14\" y=\"\(top + plotHeight / 2)\" text-anchor=\"middle\" class=\"axis\" "
            + "transform=\"rotate(-90 14 \(top + plotHeight / 2))\">\(escape(yLabel))</text>"
        return svg + "</svg>"
    }

    /// A heatmap of a rows × columns matrix (row-major), shaded from white to `color` by
    /// value / `scale`; labels 1-based.
    static func heatmap(title: String, values: [Double], rows: Int, columns: Int, scale: Double,
                        color: (Int, Int, Int) = (31, 78, 156)) -> String {
        let cell = max(8.0, min(30.0, 260.0 / Double(max(rows, columns))))
        let left = 28.0, top = 40.0
        let width = left + cell * Double(columns) + 10, height = top + cell * Double(rows) + 10
        var svg = "<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<text x=\"\(left)\" y=\"16\" class=\"chart-title\">\(escape(title))</text>"
        let labelled = max(rows, columns) <= 12
        for r in 0..<rows {
            if labelled {
                svg += "<text x=\"\(left - 4)\" y=\"\(top + (Double(r) + 0.65) * cell)\" text-anchor=\"end\" class=\"tick\">\(r + 1)</text>"
            }
            for c in 0..<columns {
                let v = values[r * columns + c]
                let f = scale > 0 ? min(1, max(0, v / scale)) : 0
                let rgb = (255 - Int(Double(255 - color.0) * f), 255 - Int(Double(255 - color.1) * f),
                           255 - Int(Double(255 - color.2) * f))
                svg += "<rect x=\"\(left + Double(c) * cell)\" y=\"\(top + Double(r) * cell)\" width=\"\(cell)\" height=\"\(cell)\" "
                    + "fill=\"rgb(\(rgb.0),\(rgb.1),\(rgb.2))\" stroke=\"#ddd\" stroke-width=\"0.5\"><title>(\(r + 1),\(c + 1)): "
                    + "\(format(v))</title></rect>"
            }
        }
        if labelled {
            for c in 0..<columns {
                svg += "<text x=\"\(left + (Double(c) + 0.5) * cell)\" y=\"\(top - 4)\" text-anchor=\"middle\" class=\"tick\">\(c + 1)</text>"
            }
        }
        return svg + "</svg>"
    }
}
