import Foundation
import Models
import Vision

/// One project's annotation loop over its live model, the one both the server and `replay` run:
/// open an image (predict from the latest state; show it only once the live metric is above zero and
/// the model has trained), then submit its final annotation (score what was opened against it, then
/// train on it at once).
///
/// The session keeps scores, not opened predictions: the caller hands back at submit what `open`
/// returned (the server from its store, so a restart loses nothing; the replay from its loop).
public final class LiveSession: @unchecked Sendable {
    public let trainer: Trainer
    private let lock = NSLock()
    private var evaluator: LiveEvaluator
    /// The newest trainer step seen: pre-labels need a model that has trained at all, since an untrained
    /// model that predicts nothing on an image with nothing to label scores a perfect 1.
    private var trainedSteps = 0
    /// The latest scored images, for calibrating the min score shown (overlaps computed once, on submit).
    private var recent: [CalibrationImage] = []
    private var calibrated: Double?
    private var classCalibrated: ClassThresholds?
    private let costs = CorrectionCostModel()
    private let classes: Int
    /// Sets the pseudo-label thresholds of semi-supervised training from the same recent images.
    public var pseudoLabels = PseudoLabelCalibration()
    /// Images the min score is calibrated on: recent enough to follow the model as it learns.
    static let calibrationWindow = 30

    /// What `open` gives the annotator.
    public struct Opening: Sendable {
        public var prediction: Prediction
        /// Whether the pre-label is shown (the live metric is above zero and the model has trained).
        public var shown: Bool
        /// The training step of the model that predicted.
        public var modelStep: Int
        /// Waiting for the training step in flight, and the forward pass itself.
        public var waitSeconds: Double
        public var inferenceSeconds: Double
    }

    /// A stored score to rebuild the live metric from after a restart.
    public struct StoredScore: Sendable {
        public var imageID: String
        /// The task's two numbers (`VisionTask.metric`).
        public var primary: Double
        public var secondary: Double
        public var perClass: [String: Double]?
        public init(imageID: String, primary: Double, secondary: Double, perClass: [String: Double]?) {
            (self.imageID, self.primary, self.secondary, self.perClass) = (imageID, primary, secondary, perClass)
        }
    }

    public init(trainer: Trainer, task: VisionTask, classes: Int, restoring scores: [StoredScore] = []) {
        self.trainer = trainer
        self.classes = classes
        var evaluator = LiveEvaluator(task: task, semanticClasses: Swift.max(classes, 2))
        for s in scores { evaluator.add(imageID: s.imageID, primary: s.primary, secondary: s.secondary, perClass: s.perClass) }
        self.evaluator = evaluator
    }

    public var task: VisionTask { lock.withLock { evaluator.task } }

    /// Predicts for an image being opened; pauses training for one forward pass after the step in flight.
    public func open(_ image: Image) async throws -> Opening {
        let timed = try await trainer.timedPredict(image)
        let step = await trainer.status.step
        observe(step: step)
        return Opening(
            prediction: timed.prediction, shown: isReady, modelStep: step, waitSeconds: timed.waitSeconds,
            inferenceSeconds: timed.inferenceSeconds)
    }

    /// Scores `opened` (what `open` predicted for this image, shown or not: the metric that unlocks
    /// pre-labels must move while they are hidden) against the sample's annotation, then trains on the
    /// sample (and stops pseudo-labelling it). Nil when nothing was opened. Once pre-labels are shown,
    /// the recent scored images also set the pseudo-label thresholds: semi-supervised training starts
    /// when the live model is ready, as pre-labels do.
    @discardableResult
    public func submit(_ sample: Sample, opened: Prediction?) async -> LiveEvaluator.Evaluation? {
        let evaluation = opened.map { prediction in
            lock.withLock { evaluator.record(imageID: sample.id, prediction: prediction, annotation: sample.annotation) }
        }
        trainer.pool.remove(id: sample.id)
        await trainer.append(sample)
        if let opened {
            // Outside the lock: mask overlaps take a moment on large images. Only this image's are new.
            let image = CalibrationImage(prediction: opened, truth: sample.annotation, matchIoU: costs.matching.matchIoU)
            let window = lock.withLock {
                recent.append(image)
                recent.removeFirst(Swift.max(0, recent.count - Self.calibrationWindow))
                return recent
            }
            let thresholds = costs.calibratedClassThresholds(images: window)
            lock.withLock { (calibrated, classCalibrated) = (thresholds?.global, thresholds) }
            await trainer.setPseudoLabelThresholds(isReady ? pseudoLabels.thresholds(images: window, classes: classes) : nil)
        }
        return evaluation
    }

    /// The min score whose pre-labels would have cost least to correct over the latest scored images
    /// (`CorrectionCostModel`); nil before any.
    public var suggestedMinScore: Double? { lock.withLock { calibrated } }

    /// The min score per class calibrated the same way (`calibratedClassThresholds`), with
    /// `suggestedMinScore` for classes with too few scored pre-labels; nil before any image was scored.
    public var suggestedClassThresholds: ClassThresholds? { lock.withLock { classCalibrated } }

    /// Notes a trainer step seen elsewhere (a status update), for readiness.
    public func observe(step: Int) { lock.withLock { trainedSteps = Swift.max(trainedSteps, step) } }

    /// Pre-labels are shown from now on.
    public var isReady: Bool { lock.withLock { evaluator.isReady && trainedSteps > 0 } }

    /// The moving averages of the live metric, overall and per class (nil before the first score).
    public var averages: (primary: Double?, secondary: Double?, perClass: [String: Double]?) {
        lock.withLock { (evaluator.primaryEMA, evaluator.secondaryEMA, evaluator.perClassEMA) }
    }
}
