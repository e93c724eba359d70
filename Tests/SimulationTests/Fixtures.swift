import Foundation

@testable import Simulation

/// Reports the tests share; computing them once keeps the suite fast.
enum Fixtures {
    /// The seed's parameters with the assumed curve fitted to live = 102 h.
    static let seedReport: SimulationReport = {
        do { return try SimulationReport.run() } catch { fatalError("seed simulation failed: \(error)") }
    }()

    /// The seed plus a measured curve from `replayReportJSON()`.
    static let seedReportWithReplay: SimulationReport = {
        do {
            return try SimulationReport.run(replay: ReplayReport.decode(replayReportJSON()))
        } catch { fatalError("seed simulation with replay failed: \(error)") }
    }()

    /// A report.json shaped like `livetrain replay` writes it: a semantic-segmentation replay whose live
    /// mIoU saturates near 0.86 with evaluation noise, measured every few images up to 1,500, plus keys the
    /// simulator does not read.
    static func replayReportJSON() -> Data {
        var points: [[String: Any]] = []
        var noise: UInt64 = 0x9E37_79B9_7F4A_7C15
        for n in [0, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1_000, 1_250, 1_500] {
            noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let jitter = n == 0 ? 0 : (Double(noise >> 40) / Double(1 << 24) - 0.5) * 0.02
            let quality = 0.86 * (1 - exp(-Double(n) / 120)) + jitter
            points.append(["imagesLabelled": n, "quality": (quality * 1000).rounded() / 1000, "trainSteps": n * 40])
        }
        let report: [String: Any] = [
            "task": "semantic-segmentation",
            "metric": "mIoU",
            "dataset": "shared/datasets/aerial-landcover (replay order: shuffled, seed 7)",
            "model": ["name": "deeplab-mobilenetv2", "pretrained": "imagenet"],
            "wallSeconds": 5_412.7,
            "liveCurve": points,
        ]
        return try! JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    }
}
