import Foundation
import LiveTraining
import Models
import Vision

/// The two comparisons a replay runs on the same data and split: human-in-the-loop retraining from the
/// same initial weights at fixed label counts (predictions frozen between retrains), and one offline
/// model trained on the whole labelled pool.
struct Baselines {
    let configuration: ReplayConfiguration
    let data: ReplayData
    let log: @Sendable (String) -> Void

    /// A model trained from the pretrained init on `samples`, batches drawn uniformly, until its loss
    /// plateaus by the live trainer's own rule (`LossPlateauDetector` defaults; unless `stopAtPlateau` is
    /// off) or `maxSteps` steps. Returns the model and the steps it took.
    func train(on samples: [Sample], maxSteps: Int, stopAtPlateau: Bool = true) throws -> (model: any LiveModel, steps: Int) {
        let c = configuration
        let model = try c.makeModel(classes: data.classes.count)
        var rng = SeededGenerator(seed: c.seed &+ UInt64(samples.count))
        var plateau = LossPlateauDetector()
        var steps = 0
        while steps < maxSteps && !(stopAtPlateau && plateau.isPlateau) {
            let batch = (0..<Swift.min(c.batchSize, samples.count)).map { _ in samples[Int.random(in: 0..<samples.count, using: &rng)] }
            plateau.observe(try model.trainStep(batch).total)
            steps += 1
        }
        return (model, steps)
    }

    func heldOut(_ model: any LiveModel, images: Int, steps: Int) throws -> ReplayResult.HeldOutPoint {
        let (primary, secondary) = data.score(try data.heldOut.map { try model.predict($0.image) }, task: configuration.task)
        return .init(imagesLabelled: images, steps: steps, primary: primary, secondary: secondary)
    }

    func runHITL(into result: inout ReplayResult) throws {
        let points = configuration.hitlAt.filter { $0 <= data.train.count }
        result.hitlPerImageSecondary = [Double?](repeating: nil, count: data.train.count)
        var corrections = [Double?](repeating: nil, count: data.train.count)
        defer { result.hitlPerImageCorrectionSeconds = corrections }
        let costs = CorrectionCostModel()
        for (k, n) in points.enumerated() {
            let liveSteps = configuration.retrainAsLongAsLive ? Self.liveSteps(trainedOn: n, in: result) : nil
            let (model, steps) = try train(
                on: Array(data.train.prefix(n)), maxSteps: liveSteps ?? configuration.retrainSteps, stopAtPlateau: liveSteps == nil)
            let point = try heldOut(model, images: n, steps: steps)
            result.hitlHeldOut.append(point)
            let m = configuration.task.metric
            log(String(format: "hitl: retrained at %3d images (%d steps): held-out \(m.primary) %.3f \(m.secondary) %.3f",
                       n, steps, point.primary, point.secondary))
            // The frozen model pre-labels every image until the next retrain.
            let end = k + 1 < points.count ? points[k + 1] : data.train.count
            // The retrain's thresholds (per class, as the UI shows them) are calibrated on the images it was
            // trained on, as a team would.
            let seen = try data.train.prefix(n).map { (prediction: try model.predict($0.image), truth: $0.annotation) }
            let thresholds = costs.calibratedClassThresholds(seen) ?? ClassThresholds(global: LiveReplay.defaultThreshold)
            for i in n..<end {
                let sample = data.train[i]
                let prediction = try model.predict(sample.image)
                result.hitlPerImageSecondary[i] = LiveEvaluator.score(prediction: prediction, annotation: sample.annotation,
                                                                      task: configuration.task, classes: data.classes.count).secondary
                corrections[i] = costs.seconds(prediction: prediction, truth: sample.annotation, thresholds: thresholds)
            }
        }
    }

    /// The live model's step count when it had trained on the first `n` images: measured just before image
    /// n + 1 joined, or at the end when n is the last.
    static func liveSteps(trainedOn n: Int, in result: ReplayResult) -> Int? {
        (result.liveTrainedOn?.first { $0.imagesLabelled == n } ?? result.liveHeldOut.last { $0.imagesLabelled == n && n == result.trainImages })?.steps
    }

    /// `offlineSteps` 0 skips it (a replay that compares live runs only).
    func runOffline(into result: inout ReplayResult) throws {
        guard configuration.offlineSteps > 0 else { return log("offline: skipped (--offline-steps 0)") }
        let (model, steps) = try train(on: data.train, maxSteps: configuration.offlineSteps)
        let point = try heldOut(model, images: data.train.count, steps: steps)
        result.offline = point
        let m = configuration.task.metric
        log(String(format: "offline: %d images, %d steps: held-out \(m.primary) %.3f \(m.secondary) %.3f",
                   data.train.count, steps, point.primary, point.secondary))
    }
}
