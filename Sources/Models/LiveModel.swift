import Torch
import Vision

/// One labelled image as training sees it.
public struct Sample: Sendable {
    public var id: String
    public var image: Image
    public var annotation: Annotation
    public init(id: String, image: Image, annotation: Annotation) {
        self.id = id
        self.image = image
        self.annotation = annotation
    }
}

/// The loss of one training step, total and by component (for logs and plots).
public struct StepLoss: Sendable, Equatable, Codable {
    public var total: Double
    public var parts: [String: Double]
    public init(total: Double, parts: [String: Double] = [:]) {
        self.total = total
        self.parts = parts
    }
}

/// A model that trains continuously and predicts from its latest state: the network plus its optimiser
/// and learning-rate schedule. The trainer owns one and calls it from one task at a time, never
/// concurrently, so implementations need no locking.
public protocol LiveModel: AnyObject, Sendable {
    var device: Device { get }
    /// Forward, backward and one optimiser update on `batch` (augmentation included), in train mode.
    func trainStep(_ batch: [Sample]) throws -> StepLoss
    /// Eval-mode, no-grad prediction in the image's own pixel coordinates; leaves the model in train mode.
    func predict(_ image: Image) throws -> Prediction
    /// Everything needed to continue training exactly: weights, buffers, optimiser moments, step count.
    func state() throws -> [String: Tensor]
    func load(_ state: [String: Tensor]) throws
}
