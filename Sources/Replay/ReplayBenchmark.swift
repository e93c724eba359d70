import Foundation
import LiveTraining
import Simulation

/// `livetrain replay`: the live run, then the HITL and offline baselines, then the report files.
public enum ReplayBenchmark {
    public static func run(_ configuration: ReplayConfiguration, log: @escaping @Sendable (String) -> Void = { print($0) }) async throws -> ReplayResult {
        let start = Date()
        let data = try ReplayData(configuration: configuration)
        var result = ReplayResult(dataset: configuration.dataset.path, trainImages: data.train.count, heldOutImages: data.heldOut.count)
        result.task = configuration.task.rawValue
        let metric = configuration.task.metric
        (result.metric, result.metricNames) = (metric.id, [metric.primary, metric.secondary])
        result.settings = [
            "inputSize": "\(configuration.inputSize)", "batchSize": "\(configuration.batchSize)",
            "backbone": configuration.backbone.rawValue, "speedFactor": "\(configuration.speedFactor)",
            "manualSeconds": "\(configuration.manualSeconds)", "reviewSeconds": "\(configuration.reviewSeconds)",
            "hitlAt": configuration.hitlAt.map(String.init).joined(separator: ","), "retrainSteps": "\(configuration.retrainSteps)",
            "offlineSteps": "\(configuration.offlineSteps)", "heldOutGroups": configuration.heldOutGroups.joined(separator: ","),
            "tailSeconds": "\(configuration.tailSeconds)", "clock": configuration.stepSeconds.map { "virtual, \($0) s a step" } ?? "wall, speed \(configuration.speedFactor)", "seed": "\(configuration.seed)", "teacher": "\(configuration.teacher)", "semiSupervised": "\(configuration.semiSupervised)", "maxImages": configuration.maxImages.map(String.init) ?? "all",
        ]
        if let fraction = configuration.pseudoLabelIgnoreFraction { result.settings["pseudoLabelIgnoreFraction"] = "\(fraction)" }
        if let precision = configuration.pseudoLabelPrecision { result.settings["pseudoLabelPrecision"] = "\(precision)" }
        if let after = configuration.fresherAfterSeconds { result.settings["fresherAfterSeconds"] = "\(after)" }
        if let keep = configuration.shrinkOnArrival { result.settings["shrinkOnArrival"] = "\(keep)" }
        if configuration.retrainAsLongAsLive { result.settings["retrainSteps"] = "as many as live's, no plateau stop" }
        log("replay: \(data.train.count) images to label, \(data.heldOut.count) held out, classes \(data.classes)")
        if configuration.baselinesOnly {
            result.settings["live"] = "not run (baselines only)"
        } else {
            try await LiveReplay(configuration: configuration, data: data, log: log).run(into: &result)
        }
        if configuration.compareSemiSupervised && configuration.semiSupervised && !configuration.baselinesOnly {
            var off = configuration
            off.semiSupervised = false
            log("live replay again without semi-supervised training (same seed)")
            var other = result
            (other.live, other.liveHeldOut, other.liveCurve, other.stepsPerImage, other.manualPerImageSeconds) = ([], [], [], [], nil)
            try await LiveReplay(configuration: off, data: data, log: log).run(into: &other)
            result.withoutSemiSupervision = .init(heldOut: other.liveHeldOut, correctionSeconds: other.live.compactMap(\.correctionSeconds), steps: other.liveSteps)
        }
        let baselines = Baselines(configuration: configuration, data: data, log: log)
        try baselines.runHITL(into: &result)
        try baselines.runOffline(into: &result)
        result.checks = configuration.baselinesOnly ? nil : checks(result)  // they judge the live run
        result.wallSeconds = Date().timeIntervalSince(start)
        return result
    }

    static func checks(_ r: ReplayResult) -> ReplayResult.Checks {
        let held = r.liveHeldOut.map(\.secondary)
        let rising = (held.last ?? 0) > (held.first ?? 0)
        let final = r.liveHeldOut.last?.primary ?? 0
        let offline = r.offline?.primary ?? 0
        let bound = r.stepSecondsMedian + r.forwardSecondsMedian
        let target = 1.25 * r.forwardSecondsMedian + 0.020
        return .init(heldOutRising: rising, liveOverOffline: offline > 0 ? final / offline : 0,
                     latencyP95Seconds: r.latencyP95Seconds, stepPlusForwardSeconds: bound,
                     latencyWithinBound: r.latencyP95Seconds <= bound, latencyTargetSeconds: target,
                     latencyWithinTarget: r.latencyP95Seconds <= target)
    }

    /// Writes report.json, report.md and the SVG plots into `directory`.
    public static func write(_ r: ReplayResult, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(r).write(to: directory.appendingPathComponent("report.json"))
        try markdown(r).write(to: directory.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        for (name, chart) in ReplayCharts.all(r) {
            try chart.render().write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    public static func markdown(_ r: ReplayResult) -> String {
        var lines = ["# Replay: \(r.task) on \(URL(fileURLWithPath: r.dataset).deletingLastPathComponent().lastPathComponent)", "",
                     "\(r.trainImages) images labelled in order, \(r.heldOutImages) held out; wall time \(Int(r.wallSeconds)) s.",
                     "Settings: " + r.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "), "",
                     "## Held-out quality as labels arrive", ""]
        let ranLive = !r.live.isEmpty
        if !ranLive {
            lines.append("The live replay was not run (baselines only).")
        } else if let off = r.withoutSemiSupervision {
            lines += ["Live training with semi-supervised training on (\(r.pseudoLabelledImages ?? 0) pseudo-labelled images trained on) and off, same seed.", "",
                      "| images | live \(r.metricNames[0]) | live \(r.metricNames[1]) | live steps | no pseudo-labels \(r.metricNames[0]) | \(r.metricNames[1]) | steps |",
                      "|---|---|---|---|---|---|---|"]
            lines += r.liveHeldOut.map { p in
                let o = off.heldOut.first { $0.imagesLabelled == p.imagesLabelled }
                return "| \(p.imagesLabelled) | \(f(p.primary)) | \(f(p.secondary)) | \(p.steps) | \(o.map { f($0.primary) } ?? "-") | \(o.map { f($0.secondary) } ?? "-") | \(o.map { "\($0.steps)" } ?? "-") |"
            }
        } else {
            lines += ["The live model after N submits pre-labels image N + 1 and has trained on N - 1 of them; \"trained on N\" is the same",
                      "model once image N + 1's annotation time has been trained on (the labels a HITL retrain at N has).", "",
                      "| images | live \(r.metricNames[0]) | live \(r.metricNames[1]) | live steps | trained on N: \(r.metricNames[0]) | \(r.metricNames[1]) | steps |",
                      "|---|---|---|---|---|---|---|"]
            lines += r.liveHeldOut.map { p in
                let t = r.liveTrainedOn?.first { $0.imagesLabelled == p.imagesLabelled }
                return "| \(p.imagesLabelled) | \(f(p.primary)) | \(f(p.secondary)) | \(p.steps) | \(t.map { f($0.primary) } ?? "-") | \(t.map { f($0.secondary) } ?? "-") | \(t.map { "\($0.steps)" } ?? "-") |"
            }
        }
        lines += ["", "| approach | images | steps | held-out \(r.metricNames[0]) | \(r.metricNames[1]) |", "|---|---|---|---|---|"]
        if let live = r.liveHeldOut.last { lines.append("| live (end) | \(live.imagesLabelled) | \(live.steps) | \(f(live.primary)) | \(f(live.secondary)) |") }
        for h in r.hitlHeldOut {
            if let t = r.liveTrainedOn?.first(where: { $0.imagesLabelled == h.imagesLabelled }) {
                lines.append("| live, trained on \(t.imagesLabelled) | \(t.imagesLabelled) | \(t.steps) | \(f(t.primary)) | \(f(t.secondary)) |")
            }
            lines.append("| HITL retrain | \(h.imagesLabelled) | \(h.steps) | \(f(h.primary)) | \(f(h.secondary)) |")
        }
        if let o = r.offline { lines.append("| offline | \(o.imagesLabelled) | \(o.steps) | \(f(o.primary)) | \(f(o.secondary)) |") }
        if ranLive {
            lines += ["", "## Pre-labels while training", "",
                      "| measure | value |", "|---|---|",
                      "| pre-label latency p50 | \(f(r.latencyP50Seconds)) s |", "| pre-label latency p95 | \(f(r.latencyP95Seconds)) s |",
                      "| training step (median) | \(f(r.stepSecondsMedian)) s |",
                      "| training step (p95) | \(r.stepSecondsP95.map { f($0) + " s" } ?? "-") |", "| forward for a pre-label (median) | \(f(r.forwardSecondsMedian)) s |",
                      "| live training steps | \(r.liveSteps) |",
                      "| steps per submitted image (median) | \(Int(percentile(r.stepsPerImage.map(Double.init), 0.5))) |",
                      "| final pre-label EMA \(r.metricNames[1]) | \(f(r.live.last?.secondaryEMA ?? 0)) |"]
        }
        if let n = r.fresherPrelabels, let after = r.settings["fresherAfterSeconds"] {
            lines.append("| pre-labels swapped for a fresher model's after \(after) s untouched (wait counted) | \(n) of \(r.live.filter(\.prelabelShown).count) shown |")
        }
        if let manual = r.manualPerImageSeconds, !manual.isEmpty {
            // Hours per 100 images by counted corrections (CorrectionCostModel), over the images each approach pre-labelled.
            func per100(_ seconds: [Double]) -> String { seconds.isEmpty ? "-" : f(seconds.reduce(0, +) / Double(seconds.count) * 100 / 3600) + " h" }
            let live = r.live.compactMap(\.correctionSeconds)
            let hitl = (r.hitlPerImageCorrectionSeconds ?? []).enumerated().compactMap { i, s in s.map { (i, $0) } }
            lines += ["", "## Annotation time by counted corrections", "",
                      "Each image's pre-label (at the per-class thresholds calibrated on the images before it) is turned into its annotation by",
                      "counted edits priced from published annotation-time studies, capped at drawing by hand (docs/benchmarks/correction-cost.md).", "",
                      "| approach | images | hours per 100 images | manual hours per 100 on the same images |", "|---|---|---|---|",
                      "| live\(r.pseudoLabelledImages == nil ? "" : ", semi-supervised") | \(live.count) | \(per100(live)) | \(per100(Array(manual.prefix(live.count)))) |"]
            if let off = r.withoutSemiSupervision?.correctionSeconds {
                lines.append("| live, no pseudo-labels | \(off.count) | \(per100(off)) | \(per100(Array(manual.prefix(off.count)))) |")
            }
            lines += [
                      "| HITL retrain | \(hitl.count) | \(per100(hitl.map(\.1))) | \(per100(hitl.map { manual[$0.0] })) |",
                      "| manual | \(manual.count) | \(per100(manual)) | |"]
        }
        if let c = r.checks {
            lines += ["", "## Checks", "",
                      "- held-out \(r.metricNames[1]) rising with labels: \(c.heldOutRising ? "yes" : "NO")",
                      r.offline == nil ? "- no offline baseline in this run" : "- live \(r.metricNames[0]) at the end / offline: \(f(c.liveOverOffline)) (target >= 0.9)",
                      "- latency p95 \(f(c.latencyP95Seconds)) s <= step + forward \(f(c.stepPlusForwardSeconds)) s: \(c.latencyWithinBound ? "yes" : "NO")"]
            if let target = c.latencyTargetSeconds, let within = c.latencyWithinTarget {
                lines.append("- latency p95 \(f(c.latencyP95Seconds)) s <= 1.25 × forward + 20 ms \(f(target)) s (the target): \(within ? "yes" : "NO")")
                if r.settings["clock"]?.hasPrefix("virtual") == true {
                    lines.append("  (virtual clock: the trainer idles between its grants, so no open overlaps a step and this is the forward's own spread; `livetrain bench prelabel` measures the wait while a step runs)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
