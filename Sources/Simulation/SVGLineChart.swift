/// One line on a chart.
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    /// Data points in drawing order (x, y).
    public var points: [ChartPoint]
    /// Any SVG colour, e.g. "#1a9641".
    public var color: String
    public var dashed: Bool

    public init(name: String, points: [ChartPoint], color: String, dashed: Bool = false) {
        self.name = name
        self.points = points
        self.color = color
        self.dashed = dashed
    }
}

/// A point in data units.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A self-contained SVG line chart: title, axes with round ticks and labelled units, grid, a legend
/// to the right of the plot, and one polyline per series. Axes start at 0 and end on a tick above the data.
public struct SVGLineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var width: Double = 900
    public var height: Double = 460

    // Plot area margins; the right one holds the legend.
    private let left = 78.0, right = 230.0, top = 44.0, bottom = 58.0
    private let headroom = 0.03
    private let gridColor = "#e3e3e3", frameColor = "#333333"

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    public var xTicks: AxisTicks { ticks(series.flatMap { $0.points.map(\.x) }) }
    public var yTicks: AxisTicks { ticks(series.flatMap { $0.points.map(\.y) }) }

    private func ticks(_ values: [Double]) -> AxisTicks {
        AxisTicks(covering: min(0, values.min() ?? 0), max(values.max() ?? 1, 1e-9))
    }

    public func render() -> String {
        let xt = xTicks
        let yt = yTicks
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let bottomY = top + plotHeight
        // Unique per chart, so several charts can share one HTML page.
        let clipID = "plot-" + title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        // The plot runs a little past the last tick so lines ending on it are not hidden by the frame.
        let xSpan = (xt.upper - xt.lower) * (1 + headroom)
        let ySpan = (yt.upper - yt.lower) * (1 + headroom)
        func px(_ x: Double) -> Double { left + (x - xt.lower) / xSpan * plotWidth }
        func py(_ y: Double) -> Double { bottomY - (y - yt.lower) / ySpan * plotHeight }

        var svg = [
            Markup.tag(
                "svg",
                [
                    "xmlns": "http://www.w3.org/2000/svg", "width": n(width), "height": n(height),
                    "viewBox": "0 0 \(n(width)) \(n(height))", "font-family": "Helvetica, Arial, sans-serif",
                    "font-size": "12",
                ], open: true),
            Markup.tag("rect", ["width": "100%", "height": "100%", "fill": "white"]),
            Markup.tag(
                "text",
                [
                    "x": n(left + plotWidth / 2), "y": "26", "text-anchor": "middle", "font-size": "16",
                    "font-weight": "bold",
                ],
                text: title),
            "<clipPath id=\"\(clipID)\">"
                + Markup.tag("rect", ["x": n(left), "y": n(top), "width": n(plotWidth), "height": n(plotHeight)])
                + "</clipPath>",
        ]
        for value in xt.values {
            let x = n(px(value))
            svg.append(Markup.tag("line", ["x1": x, "y1": n(top), "x2": x, "y2": n(bottomY + 5), "stroke": gridColor]))
            svg.append(
                Markup.tag("text", ["x": x, "y": n(bottomY + 19), "text-anchor": "middle"], text: xt.label(value)))
        }
        for value in yt.values {
            let y = n(py(value))
            svg.append(
                Markup.tag(
                    "line", ["x1": n(left - 5), "y1": y, "x2": n(left + plotWidth), "y2": y, "stroke": gridColor]))
            svg.append(
                Markup.tag(
                    "text", ["x": n(left - 8), "y": n(py(value) + 4), "text-anchor": "end"], text: yt.label(value)))
        }
        svg.append(
            Markup.tag(
                "rect",
                [
                    "x": n(left), "y": n(top), "width": n(plotWidth), "height": n(plotHeight), "fill": "none",
                    "stroke": frameColor,
                ]))
        svg.append(
            Markup.tag(
                "text",
                ["x": n(left + plotWidth / 2), "y": n(height - 14), "text-anchor": "middle", "font-size": "13"],
                text: xLabel))
        let yLabelAt = "\(n(18)) \(n(top + plotHeight / 2))"
        svg.append(
            Markup.tag(
                "text",
                [
                    "x": "0", "y": "0", "text-anchor": "middle", "font-size": "13",
                    "transform": "translate(\(yLabelAt)) rotate(-90)",
                ],
                text: yLabel))

        for line in series where !line.points.isEmpty {
            let coordinates = line.points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            svg.append(
                Markup.tag(
                    "polyline",
                    [
                        "clip-path": "url(#\(clipID))", "fill": "none", "stroke-width": "2.2",
                        "stroke-linejoin": "round",
                    ],
                    stroke(line) + [("points", coordinates)], open: true)
                    + Markup.tag("title", [:], text: line.name) + "</polyline>")
        }

        let legendX = left + plotWidth + 16
        var legendY = top + 10
        for line in series {
            let at: KeyValuePairs = [
                "x1": n(legendX), "y1": n(legendY), "x2": n(legendX + 26), "y2": n(legendY), "stroke-width": "2.5",
            ]
            svg.append(Markup.tag("line", at, stroke(line)))
            for text in Markup.wrap(line.name, width: 26) {
                svg.append(Markup.tag("text", ["x": n(legendX + 32), "y": n(legendY + 4)], text: text))
                legendY += 15
            }
            legendY += 8
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private func stroke(_ line: ChartSeries) -> [(String, String)] {
        [("stroke", line.color)] + (line.dashed ? [("stroke-dasharray", "7 4")] : [])
    }

    /// Coordinates to 0.1 px: fine enough for any screen, short enough to keep files small.
    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        // Int() only where it is exact: a whole number within Int's range (no trap on inf or 1e300).
        guard let whole = Int(exactly: rounded) else { return String(rounded) }
        return String(whole)
    }
}
