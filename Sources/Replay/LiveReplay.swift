import Foundation
import LiveTraining
import Logging
import Models
import Torch
import Vision

/// Replays a labelled set as an annotator would, against a live trainer: open (pre-label, timed),
/// annotate, submit the ground truth. On the wall clock the annotator sleeps a time that shrinks with the
/// pre-label's quality; on the virtual clock (`stepSeconds`) the counted correction seconds are granted
/// to the trainer as steps.
public struct LiveReplay: Sendable {
    public let configuration: ReplayConfiguration
    public let data: ReplayData
    let log: @Sendable (String) -> Void

    public init(configuration: ReplayConfiguration, data: ReplayData, log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.configuration = configuration
        self.data = data
        self.log = log
    }

    func heldOutScore(_ predict: (Image) async throws -> Prediction, images: Int, steps: Int) async throws -> ReplayResult.HeldOutPoint {
        var predictions: [Prediction] = []
        for sample in data.heldOut { predictions.append(try await predict(sample.image)) }
        let (primary, secondary) = data.score(predictions, task: configuration.task)
        return .init(imagesLabelled: images, steps: steps, primary: primary, secondary: secondary)
    }

    /// The UI's min score before any image has been scored.
    static let defaultThreshold = 0.3

    /// Class-index keys as the data set's class names, for reports.
    static func named(_ thresholds: ClassThresholds, classes: [String]) -> [String: Double] {
        Dictionary(thresholds.perClass.compactMap { i, t in classes.indices.contains(i) ? (classes[i], t) : nil }, uniquingKeysWith: { a, _ in a })
    }

    static func manualSeconds(_ costs: CorrectionCostModel, _ truth: Annotation) -> Double {
        costs.manualSeconds(objects: truth.objects.count, masks: truth.objects.contains { $0.mask != nil }, semantic: truth.labels != nil)
    }

    /// Runs the live replay and fills the live part of `result`.
    public func run(into result: inout ReplayResult) async throws {
        let c = configuration
        let model = try c.makeModel(classes: data.classes.count)
        var logger = Logger(label: "livetrain.replay")
        logger.logLevel = .warning
        let virtual = c.stepSeconds != nil
        let teacher = c.teacher ? try c.makeModel(classes: data.classes.count) : nil
        // The images not labelled yet: the project's unlabelled pool (the held-out ones are never in it).
        let pool = UnlabelledPool(try data.train.map { Sample(id: $0.id, image: try $0.image, annotation: Annotation()) })
        let trainer = Trainer(
            model: model, teacher: teacher, pool: pool,
            configuration: .init(
                checkpointEvery: 0, virtualClock: virtual, semiSupervision: c.semiSupervised ? .init() : .off,
                shrinkOnArrival: c.shrinkOnArrival),
            logger: logger)
        // The server's loop: the same gating of pre-labels and the same scoring.
        let session = LiveSession(trainer: trainer, task: c.task, classes: data.classes.count)
        if let fraction = c.pseudoLabelIgnoreFraction { session.pseudoLabels.ignoreFraction = fraction }
        if let precision = c.pseudoLabelPrecision { session.pseudoLabels.precision = precision }
        let costs = CorrectionCostModel()
        var openTimes: [Double] = [], forwardTimes: [Double] = []
        var lastStep = 0, stepTimes: [Double] = [], fresher = 0
        for (i, sample) in data.train.enumerated() {
            var opened = try await session.open(sample.image)
            openTimes.append(opened.waitSeconds + opened.inferenceSeconds)
            forwardTimes.append(opened.inferenceSeconds)
            var waited = 0.0
            if let after = c.fresherAfterSeconds, opened.shown {
                // The UI's refresh of an untouched image: the annotator looks, the model trains meanwhile.
                waited = after
                if let steps = c.steps(forSeconds: after) { await trainer.advance(steps: steps) }
                else { try await Task.sleep(nanoseconds: UInt64(after / c.speedFactor * 1e9)) }
                if await trainer.status.step > opened.modelStep {
                    let again = try await session.open(sample.image)
                    if again.shown {
                        opened = again
                        fresher += 1
                    }
                }
            }
            let shown = opened.shown
            let quality = LiveEvaluator.score(prediction: opened.prediction, annotation: sample.annotation, task: c.task, classes: data.classes.count)
            // The thresholds the UI would show: the session's, calibrated per class on the latest images
            // scored before this one (the global one for classes too rarely predicted to calibrate).
            let thresholds = session.suggestedClassThresholds ?? ClassThresholds(global: Self.defaultThreshold)
            let manual = Self.manualSeconds(costs, sample.annotation)
            let counted = shown ? costs.seconds(prediction: opened.prediction, truth: sample.annotation, thresholds: thresholds) : manual
            // The wait was trained on already.
            let correction = waited + counted
            let seconds: Double
            if let steps = c.steps(forSeconds: counted) {
                seconds = correction
                await trainer.advance(steps: steps)
            } else {
                let annotating = c.annotationSeconds(prelabelQuality: shown ? quality.secondary : nil)
                seconds = waited + annotating
                try await Task.sleep(nanoseconds: UInt64(annotating / c.speedFactor * 1e9))
            }
            if i > 0 && i % c.evaluateEvery == 0 {
                // The model has now trained on images 0..<i for one more image's time: compare it with a retrain on i.
                let point = try await heldOutScore({ try await trainer.predict($0) }, images: i, steps: await trainer.status.step)
                result.liveTrainedOn = (result.liveTrainedOn ?? []) + [point]
                log(String(format: "live: trained on %3d images, step %5d, held-out \(c.task.metric.primary) %.3f \(c.task.metric.secondary) %.3f",
                           i, point.steps, point.primary, point.secondary))
            }
            result.manualPerImageSeconds = (result.manualPerImageSeconds ?? []) + [manual]
            let evaluation = await session.submit(sample, opened: opened.prediction)
            let snapshot = await trainer.status
            let step = snapshot.step
            if let t = snapshot.lastStepSeconds { stepTimes.append(t) }
            result.stepsPerImage.append(step - lastStep)
            lastStep = step
            result.live.append(.init(
                imagesLabelled: i, imageID: sample.id, primary: quality.primary, secondary: quality.secondary,
                primaryEMA: evaluation?.primaryEMA ?? 0, secondaryEMA: evaluation?.secondaryEMA ?? 0, prelabelShown: shown,
                annotationSeconds: seconds, openWaitSeconds: opened.waitSeconds,
                openSeconds: opened.waitSeconds + opened.inferenceSeconds, trainerStep: step,
                correctionSeconds: correction, threshold: shown ? thresholds.global : nil,
                classThresholds: shown ? Self.named(thresholds, classes: data.classes) : nil))
            result.liveCurve.append(.init(imagesLabelled: i, quality: evaluation?.secondaryEMA ?? 0))
            let last = i == data.train.count - 1
            if last && c.tailSeconds > 0 {
                if let steps = c.steps(forSeconds: c.tailSeconds) { await trainer.advance(steps: steps) }
                else { try await Task.sleep(nanoseconds: UInt64(c.tailSeconds * 1e9)) }
            }
            if (i + 1) % c.evaluateEvery == 0 || last {
                let steps = await trainer.status.step
                let point = try await heldOutScore({ try await trainer.predict($0) }, images: i + 1, steps: steps)
                result.liveHeldOut.append(point)
                let m = c.task.metric
                log(String(format: "live: %3d images, step %5d, held-out \(m.primary) %.3f \(m.secondary) %.3f, pre-label EMA \(m.secondary) %.3f",
                           i + 1, steps, point.primary, point.secondary, evaluation?.secondaryEMA ?? 0))
            }
        }
        let status = await trainer.status
        result.liveSteps = status.step
        result.pseudoLabelledImages = c.semiSupervised ? status.pseudoLabelledImages : nil
        result.fresherPrelabels = c.fresherAfterSeconds == nil ? nil : fresher
        result.stepSecondsMedian = percentile(stepTimes, 0.5)
        result.stepSecondsP95 = percentile(stepTimes, 0.95)
        result.forwardSecondsMedian = percentile(forwardTimes, 0.5)
        result.latencyP50Seconds = percentile(openTimes, 0.5)
        result.latencyP95Seconds = percentile(openTimes, 0.95)
        _ = try await trainer.shutdown()
    }
}
