import Foundation
import Models
import Store
import Vision

/// What the server needs from the live-training engine: pre-labels, new samples, status and the model.
///
/// The server calls it only after the store has committed, so the engine may lose or reorder work
/// without losing a label. One implementation wraps the real `Trainer`; tests use an in-memory one.
public protocol LiveTrainingService: Sendable {
    /// The pre-label for an image the annotator is opening. `ready` says whether the live metric has
    /// passed its threshold; the server shows `prediction` only when it is. Throwing shows no pre-label.
    func open(project: ProjectSpec, image: ImageRef) async throws -> OpenResult

    /// A committed annotation: a new or corrected training sample. `openedPrediction` is the pre-label
    /// shown when the image was opened and not yet scored; the result is its live score, nil when
    /// there was nothing to score.
    func submitted(project: ProjectSpec, image: ImageRef, annotation: Annotation, openedPrediction: Prediction?) async
        -> LiveScore?

    /// An image's annotation was deleted: it must leave the training set.
    func removed(project: ProjectSpec, imageID: Int64) async

    /// Labels were written to the store in bulk (an import): a running model must take those it lacks.
    func imported(project: ProjectSpec) async

    /// One unlabelled image was uploaded: a running model may learn from it (semi-supervised training).
    func uploaded(project: ProjectSpec, image: ImageRecord) async

    /// The project is being deleted: stop its trainer and remove its checkpoints.
    func deleted(project: ProjectSpec) async

    /// The current status of a project's trainer.
    func status(project: ProjectSpec) async -> TrainingStatus

    /// Status changes of a project's trainer; the stream finishes when the engine shuts down.
    func statusUpdates(project: ProjectSpec) -> AsyncStream<TrainingStatus>

    /// The trained model: safetensors weights and a JSON descriptor (architecture, classes, input size).
    /// Throws `TrainingServiceError.notReady` before there is a model worth exporting.
    func exportModel(project: ProjectSpec) async throws -> ModelExport
}

/// A project as the engine needs to know it.
public struct ProjectSpec: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var task: VisionTask
    /// Class names in index order.
    public var classNames: [String]
    public init(id: Int64, name: String, task: VisionTask, classNames: [String]) {
        self.id = id
        self.name = name
        self.task = task
        self.classNames = classNames
    }
}

/// An image file the server has validated (it decodes as JPEG or PNG within the pixel limit).
public struct ImageRef: Sendable, Equatable {
    public var id: Int64
    public var url: URL
    public var width: Int
    public var height: Int
    public init(id: Int64, url: URL, width: Int, height: Int) {
        self.id = id
        self.url = url
        self.width = width
        self.height = height
    }
}

/// The engine's answer to `open`.
public struct OpenResult: Sendable, Equatable {
    /// The model's prediction, in the image's pixel coordinates; nil when none was made.
    public var prediction: Prediction?
    /// Whether the live model is good enough for its predictions to be shown.
    public var ready: Bool
    /// The training step of the model that predicted.
    public var modelStep: Int?
    /// The min score calibrated on recent corrections (the UI's default), when there is one.
    public var suggestedMinScore: Double?
    /// By class name, the min score of each class calibrated on its own; other classes use `suggestedMinScore`.
    public var suggestedClassMinScores: [String: Double]?
    public init(
        prediction: Prediction?, ready: Bool, modelStep: Int?, suggestedMinScore: Double? = nil, suggestedClassMinScores: [String: Double]? = nil
    ) {
        self.prediction = prediction
        self.ready = ready
        self.modelStep = modelStep
        self.suggestedMinScore = suggestedMinScore
        self.suggestedClassMinScores = suggestedClassMinScores
    }
}

/// The live evaluation of one submitted image: its pre-label scored against the final annotation.
public struct LiveScore: Codable, Sendable, Equatable {
    /// What the values are: "boxAP", "maskAP" or "mIoU" (`QualityMetric.id`).
    public var metric: String
    /// Box or mask AP@[.5:.95], or mIoU over all classes (semantic).
    public var primary: Double
    /// Box or mask AP50, or mIoU over the foreground classes (semantic).
    public var secondary: Double
    /// Exponential moving averages after this image.
    public var primaryEMA: Double
    public var secondaryEMA: Double
    /// By class name: this image's IoU (semantic) or AP (boxes, masks), and each class's moving average.
    public var perClass: [String: Double]?
    public var perClassEMA: [String: Double]?
    public init(
        metric: String, primary: Double, secondary: Double, primaryEMA: Double, secondaryEMA: Double,
        perClass: [String: Double]? = nil, perClassEMA: [String: Double]? = nil
    ) {
        self.metric = metric
        self.primary = primary
        self.secondary = secondary
        self.primaryEMA = primaryEMA
        self.secondaryEMA = secondaryEMA
        self.perClass = perClass
        self.perClassEMA = perClassEMA
    }
}

/// A downloadable model.
public struct ModelExport: Sendable, Equatable {
    /// safetensors bytes.
    public var weights: Data
    /// JSON describing architecture, classes and input size.
    public var descriptor: Data
    public init(weights: Data, descriptor: Data) {
        self.weights = weights
        self.descriptor = descriptor
    }
}

/// Failures of the engine that the API reports as such (others become 500s).
public enum TrainingServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing to give yet (no model trained); the request may succeed later.
    case notReady(String)
    /// The engine is not running (shut down, failed to start).
    case unavailable(String)

    public var description: String {
        switch self {
        case .notReady(let reason): "not ready: \(reason)"
        case .unavailable(let reason): "training unavailable: \(reason)"
        }
    }
}

extension LiveTrainingService {
    /// Engines without an unlabelled pool have nothing to do.
    public func uploaded(project: ProjectSpec, image: ImageRecord) async {}
}
