import Foundation

/// A line chart drawn by the server as SVG: one series of (x, y) points, axes with a few labelled ticks, gaps
/// where a value is missing (a logged `nan`) or not finite.
///
/// The caller thins a long series first (``CheckpointPage`` lets SQLite keep each bucket's lowest and highest
/// value), so a chart's size does not grow with the run's length.
enum LineChart {
    struct Point: Equatable {
        var x: Double
        /// nil: no value here (`nan`); the line is broken at this point.
        var y: Double?
    }

    static let width = 640.0
    static let height = 200.0
    static let left = 64.0
    static let right = 12.0
    static let top = 10.0
    static let bottom = 26.0

    /// About `count` round tick values covering `lo...hi` (1, 2 or 5 times a power of ten apart).
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        if hi <= lo { return [lo] }
        let raw = (hi - lo) / Double(max(count - 1, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var out: [Double] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 && out.count < 20 {
            out.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return out
    }

    /// `v` with one decimal (`12.3`, `-0.5`): the chart's coordinates, a few thousand a chart, so plain integer
    /// arithmetic rather than `String(format:)`.
    static func coordinate(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A tick label: short, in scientific notation for very small or large magnitudes (a learning rate).
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.3g", v) }
        if v == v.rounded() { return String(Int(v)) }
        return String(format: "%.4g", v)
    }

    /// The chart of `points` as an `<svg>`, titled `title` (text, escaped); `xLabel` names the x axis.
    static func svg(_ points: [Point], title: String, xLabel: String) -> Markup {
        let values = points.compactMap { $0.y }.filter(\.isFinite)
        let xs = points.map(\.x)
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
        var (y0, y1) = (values.min() ?? 0, values.max() ?? 1)
        if y0 == y1 {
            // A flat series: a band around the value, so the line sits in the middle.
            let pad = y0 == 0 ? 1 : abs(y0) * 0.1
            (y0, y1) = (y0 - pad, y1 + pad)
        }
        let plotW = width - left - right
        let plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x1 == x0 ? plotW / 2 : (x - x0) / (x1 - x0) * plotW) }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
        func n(_ v: Double) -> String { coordinate(v) }

        // The line as one path: a gap ends a run of points, the next value starts a new one.
        var d = ""
        var singles: [Markup] = []
        var run: [(Double, Double)] = []
        func flush() {
            if run.count == 1 {
                singles.append(.el("circle", ["cx": n(run[0].0), "cy": n(run[0].1), "r": "2", "class": "point"]))
            } else if run.count > 1 {
                d += "M" + run.map { "\(n($0.0)) \(n($0.1))" }.joined(separator: "L")
            }
            run = []
        }
        for p in points {
            if let y = p.y, y.isFinite { run.append((px(p.x), py(y))) } else { flush() }
        }
        flush()

        var parts: [Markup] = [.el("title", text: title)]
        // Axes and ticks.
        parts.append(
            .el(
                "path",
                [
                    "class": "axis", "d": "M\(n(left)) \(n(top))V\(n(top + plotH))H\(n(left + plotW))",
                ]))
        for t in ticks(y0, y1) {
            let y = py(t)
            parts.append(.el("path", ["class": "grid", "d": "M\(n(left)) \(n(y))H\(n(left + plotW))"]))
            parts.append(
                .el(
                    "text", ["x": n(left - 4), "y": n(y + 4), "text-anchor": "end", "class": "tick"], text: label(t)))
        }
        for t in ticks(x0, x1) {
            let x = px(t)
            parts.append(.el("path", ["class": "axis", "d": "M\(n(x)) \(n(top + plotH))v4"]))
            parts.append(
                .el(
                    "text", ["x": n(x), "y": n(top + plotH + 16), "text-anchor": "middle", "class": "tick"],
                    text: label(t)))
        }
        parts.append(
            .el(
                "text", ["x": n(left - 4), "y": n(top + plotH + 16), "text-anchor": "end", "class": "tick"],
                text: xLabel))
        if !d.isEmpty { parts.append(.el("path", ["class": "series", "d": d])) }
        parts += singles
        return .el(
            "svg",
            [
                "class": "chart", "xmlns": "http://www.w3.org/2000/svg", "width": n(width), "height": n(height),
                "viewBox": "0 0 \(n(width)) \(n(height))", "role": "img",
            ], parts)
    }
}
