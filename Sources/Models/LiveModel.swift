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
    /// Runs one training forward/backward and one prediction on synthetic data and discards them,
    /// changing no weight, optimiser moment or random stream: the first passes allocate memory and
    /// pick kernels and cost several normal steps, which would otherwise land on the first annotator.
    func warmUp() throws
}

extension LiveModel {
    public func warmUp() throws {}
}

/// A blank image of `size` with one object in the middle, for warm-up passes.
func warmUpSample(size: Int, classes: Int, semantic: Bool) -> Sample {
    let image = Image(width: size, height: size, channels: 3, fill: 127)
    let q = Double(size) / 4
    let box = Box(x1: q, y1: q, x2: 3 * q, y2: 3 * q)
    guard semantic else { return Sample(id: "warm-up", image: image, annotation: Annotation(objects: [AnnotatedObject(classIndex: 0, box: box)])) }
    var labels = [UInt16](repeating: 0, count: size * size)
    for y in Int(q)..<Int(3 * q) { for x in Int(q)..<Int(3 * q) { labels[y * size + x] = UInt16(Swift.min(1, classes - 1)) } }
    return Sample(id: "warm-up", image: image, annotation: Annotation(labels: LabelMap(width: size, height: size, labels: labels)))
}
