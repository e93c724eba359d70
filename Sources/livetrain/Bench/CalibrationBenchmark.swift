import ArgumentParser
import Foundation
import LiveTraining
import Models

/// `livetrain bench calibration`: the calibration a submit runs (min score per class, pseudo-label
/// thresholds) over the session's window of recent images, with every window image's overlaps computed
/// afresh versus kept from its own submit (`CalibrationImage`), in alternating rounds of one run.
struct BenchCalibration: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibration",
        abstract: "Per-submit calibration time on an instance set: overlaps recomputed vs kept per image, alternating.")

    @Option(help: "COCO instance json (masks).") var dataset = "../shared/datasets/dsb2018-nuclei/coco.json"
    @Option(help: "Images in the window (the session keeps 30).") var window = 30
    @Option(help: "Alternating rounds; each times both sides.") var rounds = 5
    @Option(help: "Also write the table here (markdown).") var out: String?

    func run() async throws {
        guard (1...1_000).contains(window), (1...100).contains(rounds) else { throw ValidationError("--window 1...1000, --rounds 1...100") }
        let set = try COCODataset.instances(contentsOf: URL(fileURLWithPath: dataset))
        guard set.entries.count >= window else { throw ValidationError("\(dataset) holds \(set.entries.count) images, fewer than --window \(window)") }
        // A stand-in model: each object's own mask at a random score (mask IoUs are what cost), plus a
        // false positive per image (another object's mask, so it overlaps its neighbours).
        var rng = SeededGenerator(seed: 3)
        let history: [(prediction: Prediction, truth: Annotation)] = set.entries.prefix(window).map { entry in
            var objects = entry.annotation.objects.map {
                Prediction.Object(classIndex: $0.classIndex, box: $0.box, score: Double.random(in: 0.05...0.95, using: &rng), mask: $0.mask)
            }
            if let first = objects.first { objects.append(.init(classIndex: 0, box: first.box, score: 0.5, mask: objects.last?.mask)) }
            return (Prediction(objects: objects), entry.annotation)
        }
        let costs = CorrectionCostModel(), pseudo = PseudoLabelCalibration()
        // Kept: the window's earlier images arrive with their overlaps; the submit adds the newest.
        let kept = history.dropLast().map { CalibrationImage(prediction: $0.prediction, truth: $0.truth) }
        var afresh: [Double] = [], cached: [Double] = []
        var agree = true
        for round in 1...rounds {
            let a = time {
                let t = costs.calibratedClassThresholds(history)
                return (t, pseudo.thresholds(history, classes: set.classes.count))
            }
            let b = time {
                let last = history[history.count - 1]
                let images = kept + [CalibrationImage(prediction: last.prediction, truth: last.truth)]
                return (costs.calibratedClassThresholds(images: images), pseudo.thresholds(images: images, classes: set.classes.count))
            }
            afresh.append(a.seconds)
            cached.append(b.seconds)
            agree = agree && a.value.0 == b.value.0 && a.value.1 == b.value.1
            print(String(format: "round %d: afresh %.1f ms, kept %.1f ms", round, a.seconds * 1000, b.seconds * 1000))
        }
        let objects = history.reduce(0) { $0 + $1.truth.objects.count }
        let table = String(format: """
            | overlaps | median ms per submit | min ms | max ms |
            |---|---|---|---|
            | recomputed for every window image | %.1f | %.1f | %.1f |
            | kept per image, newest computed | %.1f | %.1f | %.1f |

            ratio kept/recomputed: %.3f; same thresholds on both sides: %@
            window: %d images of %@ (%d objects, masks); %d alternating rounds
            command: livetrain bench calibration --window %d --rounds %d
            """, median(afresh) * 1000, afresh.min()! * 1000, afresh.max()! * 1000, median(cached) * 1000, cached.min()! * 1000,
            cached.max()! * 1000, median(cached) / median(afresh), agree ? "yes" : "NO", window,
            URL(fileURLWithPath: dataset).deletingLastPathComponent().lastPathComponent, objects, rounds, window, rounds)
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
        guard agree else { throw ValidationError("the two sides calibrated differently") }
    }

    private func time<T>(_ body: () -> T) -> (value: T, seconds: Double) {
        let start = ContinuousClock.now
        let value = body()
        let d = start.duration(to: .now)
        return (value, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    private func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
}
