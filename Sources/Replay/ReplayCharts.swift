import Simulation

/// The replay's plots, drawn with the simulator's chart writer.
enum ReplayCharts {
    static func all(_ r: ReplayResult) -> [(String, SVGLineChart)] {
        let (primary, secondary) = (r.metricNames[0], r.metricNames[1])
        let perImage = r.live.map { ChartPoint(Double($0.imagesLabelled + 1), $0.secondary) }
        let ema = r.live.map { ChartPoint(Double($0.imagesLabelled + 1), $0.secondaryEMA) }
        let hitl = r.hitlPerImageSecondary.enumerated().compactMap { i, v in v.map { ChartPoint(Double(i + 1), $0) } }
        let liveEval = SVGLineChart(
            title: "Live evaluation: pre-label quality when each image was opened", xLabel: "images labelled", yLabel: "\(secondary) of the pre-label",
            series: [ChartSeries(name: "live, per image", points: perImage, color: "#9ecae1"),
                     ChartSeries(name: "live, EMA", points: ema, color: "#08519c"),
                     ChartSeries(name: "HITL (frozen between retrains), per image", points: hitl, color: "#e6550d", dashed: true)])
        var heldSeries = [
            ChartSeries(name: "live \(secondary)", points: r.liveHeldOut.map { ChartPoint(Double($0.imagesLabelled), $0.secondary) }, color: "#08519c"),
            ChartSeries(name: "live \(primary)", points: r.liveHeldOut.map { ChartPoint(Double($0.imagesLabelled), $0.primary) }, color: "#6baed6", dashed: true),
            ChartSeries(name: "HITL retrain \(secondary)", points: r.hitlHeldOut.map { ChartPoint(Double($0.imagesLabelled), $0.secondary) }, color: "#e6550d"),
        ]
        if let o = r.offline, let first = r.liveHeldOut.first {
            heldSeries.append(ChartSeries(name: "offline \(secondary) (all labels)", points: [ChartPoint(Double(first.imagesLabelled), o.secondary), ChartPoint(Double(o.imagesLabelled), o.secondary)], color: "#31a354", dashed: true))
        }
        let held = SVGLineChart(title: "Held-out \(primary) as labels arrive", xLabel: "images labelled", yLabel: "held-out \(primary) / \(secondary)", series: heldSeries)
        let latency = SVGLineChart(
            title: "Pre-label latency while training", xLabel: "images labelled", yLabel: "seconds",
            series: [ChartSeries(name: "open (wait + forward)", points: r.live.map { ChartPoint(Double($0.imagesLabelled + 1), $0.openSeconds) }, color: "#756bb1"),
                     ChartSeries(name: "median training step", points: [ChartPoint(1, r.stepSecondsMedian), ChartPoint(Double(r.live.count), r.stepSecondsMedian)], color: "#969696", dashed: true)])
        let steps = SVGLineChart(
            title: "Training steps per submitted image", xLabel: "images labelled", yLabel: "steps",
            series: [ChartSeries(name: "steps between submissions", points: r.stepsPerImage.enumerated().map { ChartPoint(Double($0.offset + 1), Double($0.element)) }, color: "#08519c")])
        return [("live_eval.svg", liveEval), ("heldout_ap.svg", held), ("latency.svg", latency), ("steps_per_image.svg", steps)]
    }
}
