import Foundation
import Torch
import Vision

/// One labelled image as training sees it: its annotation, and its pixels in memory or in a file
/// decoded when a batch needs them (a project's images need not fit in memory).
public struct Sample: Sendable {
    public var id: String
    public var annotation: Annotation
    /// Where the labels are unknown: training treats detections there as neither right nor wrong
    /// (the uncertain zones of a pseudo-label; a human's annotation has none).
    public var ignoredRegions: [Box] = []
    /// The upright image size the annotation is in, known without decoding.
    public let width: Int
    public let height: Int
    private let source: Source

    private enum Source: Sendable {
        case memory(Image)
        case file(URL, ImageCache)
    }

    public init(id: String, image: Image, annotation: Annotation) {
        self.id = id
        self.annotation = annotation
        (width, height) = (image.width, image.height)
        source = .memory(image)
    }

    /// A sample whose pixels stay in `file` (of upright size `width` x `height`) until a batch reads them.
    public init(id: String, file: URL, width: Int, height: Int, cache: ImageCache, annotation: Annotation) {
        self.id = id
        self.annotation = annotation
        (self.width, self.height) = (width, height)
        source = .file(file, cache)
    }

    /// The pixels; a file that is gone, damaged or of another size throws (the trainer sets such a sample aside).
    public var image: Image {
        get throws {
            switch source {
            case .memory(let image): return image
            case .file(let url, let cache):
                let image = try cache.image(at: url)
                guard image.width == width, image.height == height else {
                    throw ImageError.unreadable(
                        name: url.lastPathComponent, reason: "it is \(image.width)x\(image.height), labelled as \(width)x\(height)")
                }
                return image
            }
        }
    }
}

/// The loss of one training step, total and by component (for logs and plots).
public struct StepLoss: Sendable, Equatable, Codable {
    public var total: Double
    public var parts: [String: Double]
    /// The weighted pseudo-label part of `total`; nil for a step on labelled samples only.
    public var unlabelled: Double?
    public init(total: Double, parts: [String: Double] = [:], unlabelled: Double? = nil) {
        self.total = total
        self.parts = parts
        self.unlabelled = unlabelled
    }
    /// The loss on the humans' labels: what says whether training still learns (the plateau detector's
    /// input), since pseudo-labels change with the teacher.
    public var labelled: Double { total - (unlabelled ?? 0) }
}

/// A model that trains continuously and predicts from its latest state: the network plus its optimiser
/// and learning-rate schedule. The trainer owns one and calls it from one task at a time, never
/// concurrently, so implementations need no locking.
public protocol LiveModel: AnyObject, Sendable {
    var device: Device { get }
    /// Forward, backward and one optimiser update on `batch` (augmentation included), in train mode.
    func trainStep(_ batch: [Sample]) throws -> StepLoss
    /// One update on the labelled `batch` plus `pseudoLabelled` samples (a teacher's labels of unlabelled
    /// images), whose loss counts `weight` times and is reported as `StepLoss.unlabelled`.
    func trainStep(_ batch: [Sample], pseudoLabelled: [Sample], weight: Double) throws -> StepLoss
    /// This model's labels for an unlabelled `sample`, predicted without augmentation (the teacher's weak
    /// view): what clears its class's threshold becomes a label, what is merely likely an ignored region.
    func pseudoLabel(_ sample: Sample, thresholds: PseudoLabelThresholds) throws -> Sample
    /// Eval-mode, no-grad prediction in the image's own pixel coordinates; leaves the model in train mode.
    func predict(_ image: Image) throws -> Prediction
    /// Everything needed to continue training exactly: weights, buffers, optimiser moments, step count.
    func state() throws -> [String: Tensor]
    func load(_ state: [String: Tensor]) throws
    /// The network's own weights and buffers by name: the live tensors, not copies (an EMA teacher
    /// averages them in place; no optimiser state, no random stream).
    var weights: [String: Tensor] { get }
    /// Runs one training forward/backward and one prediction on synthetic data and discards them,
    /// changing no weight, optimiser moment or random stream: the first passes allocate memory and
    /// pick kernels and cost several normal steps, which would otherwise land on the first annotator.
    func warmUp() throws
}

extension LiveModel {
    public func warmUp() throws {}

    /// Models without a pseudo-label loss of their own learn pseudo-labels as labels.
    public func trainStep(_ batch: [Sample], pseudoLabelled: [Sample], weight: Double) throws -> StepLoss {
        try trainStep(batch + pseudoLabelled)
    }

    /// Objects from the prediction (`Prediction.pseudoLabel`); semantic models override it (they need
    /// each pixel's confidence, which a prediction does not carry).
    public func pseudoLabel(_ sample: Sample, thresholds: PseudoLabelThresholds) throws -> Sample {
        var labelled = sample
        (labelled.annotation, labelled.ignoredRegions) = try predict(sample.image).pseudoLabel(thresholds)
        return labelled
    }
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
