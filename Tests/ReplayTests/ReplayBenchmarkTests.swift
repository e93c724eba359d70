import Foundation
import LiveTraining
import Simulation
import TestSupport
import Testing
import Torch
@testable import Replay

@Suite("replay", .serialized)
struct ReplayBenchmarkTests {
    /// The first `images` deepforest tiles at 256 px, two sites held out.
    static func deepforest(images: Int) -> ReplayConfiguration {
        var c = ReplayConfiguration(task: .detection, dataset: PackagePaths.coco("deepforest-trees"), weights: PackagePaths.weights)
        c.heldOutGroups = ["SOAP_061", "OSBS_029"]
        c.maxImages = images
        c.inputSize = 256
        return c
    }

    @Test("a short replay writes a report the simulator reads, with one live point per image and both baselines")
    func shortReplay() async throws {
        var c = Self.deepforest(images: 4)
        c.speedFactor = 200
        c.evaluateEvery = 2
        c.hitlAt = [2]
        c.retrainSteps = 3
        c.offlineSteps = 3
        let result = try await ReplayBenchmark.run(c, log: { _ in })
        #expect(result.live.count == 4 && result.liveCurve.count == 4)
        #expect(result.liveHeldOut.map(\.imagesLabelled) == [2, 4])
        // Trained on 2: scored before the 3rd image joins, after its annotation time's steps (the wall
        // clock's sleep here), never before the scores of the model that pre-labels the 3rd image.
        let trainedOn = try #require(result.liveTrainedOn)
        #expect(trainedOn.map(\.imagesLabelled) == [2])
        #expect(trainedOn[0].steps >= result.liveHeldOut[0].steps)
        #expect(result.hitlHeldOut.count == 1 && result.offline != nil)
        #expect(result.live.allSatisfy { $0.openSeconds > 0 && $0.annotationSeconds >= c.reviewSeconds })
        #expect(result.heldOutImages == 2)
        // Every image's correction seconds are counted, never above drawing it by hand.
        let manual = try #require(result.manualPerImageSeconds)
        #expect(manual.count == 4 && manual.allSatisfy { $0 > 0 })
        #expect(zip(result.live, manual).allSatisfy { ($0.correctionSeconds ?? .infinity) <= $1 + 1e-9 })
        #expect(result.live.allSatisfy { $0.prelabelShown == ($0.threshold != nil) })
        // Per-class thresholds ride along with the global one, keyed by the data set's class names.
        #expect(result.live.allSatisfy { $0.prelabelShown == ($0.classThresholds != nil) })
        #expect(result.live.compactMap(\.classThresholds).allSatisfy { $0.values.allSatisfy { (0...1).contains($0) } })
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        try ReplayBenchmark.write(result, to: out)
        let report = try ReplayReport.load(path: out.appendingPathComponent("report.json").path)
        #expect(report.task == "detection" && report.liveCurve.count == 4)
        #expect(result.metric == "boxAP" && result.metricNames == ["box AP", "box AP50"])
        for svg in ["live_eval.svg", "heldout_ap.svg", "latency.svg", "steps_per_image.svg"] {
            #expect(try String(contentsOf: out.appendingPathComponent(svg), encoding: .utf8).contains("<svg"))
        }
        #expect(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8).contains("## Checks"))
        #expect(try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8).contains("## Annotation time by counted corrections"))
    }

    @Test("on the virtual clock each image's correction seconds become the trainer's steps, from the second label on")
    func virtualClockReplay() async throws {
        var c = Self.deepforest(images: 4)
        c.stepSeconds = 100
        c.evaluateEvery = 4
        c.hitlAt = [4]
        c.retrainAsLongAsLive = true
        c.offlineSteps = 2
        let result = try await ReplayBenchmark.run(c, log: { _ in })
        // The retrain on all 4 labels got the live model's steps on them exactly, not the 150-step cap.
        let liveEnd = try #require(result.liveHeldOut.last)
        #expect(liveEnd.imagesLabelled == 4 && result.hitlHeldOut.map(\.steps) == [liveEnd.steps])
        // Images 0 and 1 find fewer than two samples in training: their time passes without steps.
        let expected = result.live.enumerated().map { i, point in i < 2 ? 0 : c.steps(forSeconds: point.correctionSeconds!)! }
        #expect(result.stepsPerImage == expected)
        #expect(expected.reduce(0, +) > 0, "the annotator's time must buy some steps: \(result.live.map(\.correctionSeconds))")
        #expect(result.live.allSatisfy { $0.annotationSeconds == $0.correctionSeconds })
        #expect(result.settings["clock"] == "virtual, 100.0 s a step")
        #expect(c.steps(forSeconds: 150) == 2 && c.steps(forSeconds: .infinity) == 0 && c.steps(forSeconds: 1e300) == 1_000_000_000)
    }

    @Test("baselines only: the retrains and the offline model run, the live replay does not, and the report still writes")
    func baselinesOnly() async throws {
        var c = Self.deepforest(images: 3)
        c.hitlAt = [2]
        c.retrainSteps = 2
        c.offlineSteps = 2
        c.baselinesOnly = true
        let result = try await ReplayBenchmark.run(c, log: { _ in })
        #expect(result.live.isEmpty && result.liveHeldOut.isEmpty && result.liveSteps == 0)
        #expect(result.hitlHeldOut.map(\.steps) == [2] && result.offline?.steps == 2)
        #expect(result.settings["live"] == "not run (baselines only)")
        let report = ReplayBenchmark.markdown(result)
        #expect(report.contains("The live replay was not run (baselines only).") && report.contains("| HITL retrain | 2 | 2 |"))
        #expect(!report.contains("## Pre-labels while training") && !report.contains("## Checks"), "no zeros standing for live measurements")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        try ReplayBenchmark.write(result, to: out)
        let written = try JSONDecoder().decode(ReplayResult.self, from: Data(contentsOf: out.appendingPathComponent("report.json")))
        #expect(written.hitlHeldOut.map(\.secondary) == result.hitlHeldOut.map(\.secondary) && written.live.isEmpty)
    }

    @Test("fresher pre-labels: a shown pre-label left untouched is swapped for the model's after the wait, which is trained on and counted")
    func fresherPrelabels() async throws {
        // Semantic: a mIoU above zero (background counts) shows pre-labels from the first trained step on.
        var c = ReplayConfiguration(task: .semantic, dataset: PackagePaths.dataset("crackforest-cracks/dataset.json"),
                                    weights: PackagePaths.weights)
        c.maxImages = 6
        c.inputSize = 128
        c.stepSeconds = 100
        c.fresherAfterSeconds = 200
        c.evaluateEvery = 6
        c.hitlAt = []
        c.offlineSteps = 0
        let result = try await ReplayBenchmark.run(c, log: { _ in })
        let shown = result.live.filter(\.prelabelShown)
        try #require(!shown.isEmpty, "pre-labels show once the model has stepped and scored above zero")
        // Every shown pre-label was swapped: the trainer stepped during the 2 steps' wait each time.
        #expect(result.fresherPrelabels == shown.count)
        let manual = try #require(result.manualPerImageSeconds)
        for (i, point) in result.live.enumerated() {
            let seconds = try #require(point.correctionSeconds)
            if point.prelabelShown {
                // The wait counts as annotation time and buys its own steps before the correction's.
                #expect(seconds >= 200 && seconds <= manual[i] + 200 + 1e-9)
                #expect(result.stepsPerImage[i] == 2 + c.steps(forSeconds: seconds - 200)!)
            } else {
                #expect(seconds == manual[i], "no pre-label shown: drawn at once, no wait")
            }
        }
        #expect(result.settings["fresherAfterSeconds"] == "200.0")
        #expect(ReplayBenchmark.markdown(result).contains("pre-labels swapped for a fresher model's after 200.0 s untouched"))
    }

    @Test("the checked-in replay reports read as replay results and in the simulator, each naming its metric")
    func checkedInReports() throws {
        let expected = ["deepforest": ("detection", "boxAP"), "dsb2018": ("instance", "maskAP"), "crackforest": ("semantic", "mIoU")]
        for (name, (task, metric)) in expected {
            let path = PackagePaths.root.appendingPathComponent("docs/benchmarks/replay-\(name)/report.json").path
            let result = try JSONDecoder().decode(ReplayResult.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(result.task == task && result.metric == metric, "\(name)")
            #expect(!result.live.isEmpty && result.live.count == result.hitlPerImageSecondary.count, "\(name)")
            let report = try ReplayReport.load(path: path)
            #expect(report.task == task && report.liveCurve.map(\.quality) == result.live.map(\.secondaryEMA), "\(name)")
        }
    }

    @Test("the report checks the pre-label wait p95 against 1.25 × the forward + 20 ms, and says so")
    func latencyTarget() {
        var r = ReplayResult(dataset: "x", trainImages: 2, heldOutImages: 1)
        (r.forwardSecondsMedian, r.stepSecondsMedian) = (0.1, 0.3)
        r.latencyP95Seconds = 0.14
        var checks = ReplayBenchmark.checks(r)
        #expect(abs((checks.latencyTargetSeconds ?? 0) - 0.145) < 1e-12 && checks.latencyWithinTarget == true)
        r.checks = checks
        #expect(ReplayBenchmark.markdown(r).contains("<= 1.25 × forward + 20 ms 0.145 s (the target): yes"))
        #expect(!ReplayBenchmark.markdown(r).contains("virtual clock: the trainer idles"))
        r.settings["clock"] = "virtual, 0.34 s a step"
        #expect(ReplayBenchmark.markdown(r).contains("virtual clock: the trainer idles between its grants"), "says what the check measures there")
        r.latencyP95Seconds = 0.16  // within a step plus a forward, not within the target
        checks = ReplayBenchmark.checks(r)
        #expect(checks.latencyWithinBound && checks.latencyWithinTarget == false)
    }

    @Test("annotation time falls linearly from manual to review with pre-label quality")
    func annotationTime() {
        let c = ReplayConfiguration(task: .detection, dataset: URL(fileURLWithPath: "/x"), weights: URL(fileURLWithPath: "/y"))
        #expect(c.annotationSeconds(prelabelQuality: nil) == 210)
        #expect(c.annotationSeconds(prelabelQuality: 0) == 210)
        #expect(c.annotationSeconds(prelabelQuality: 1) == 30)
        #expect(c.annotationSeconds(prelabelQuality: 0.5) == 120)
        #expect(c.annotationSeconds(prelabelQuality: 7) == 30)
    }
}
