import Foundation
import GRDB

/// What the live model showed when an image was opened; `prediction` is nil when no pre-label was ready.
public struct OpenedPrediction: Codable, Sendable, Equatable, Identifiable, FetchableRecord {
    public var id: Int64
    public var imageId: Int64
    /// The prediction as JSON text; the store does not interpret it.
    public var prediction: String?
    /// Whether the annotator was shown it (the live model was ready); hidden ones are scored too.
    public var shown: Bool
    public var modelStep: Int?
    public var openedBy: String
    public var openedAt: Date
}

/// The live metric for one submitted image: the opened prediction scored against the final annotation.
public struct LiveEvaluation: Codable, Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var imageId: Int64
    public var openedPredictionId: Int64
    /// The project task's two numbers for this image (box or mask AP and AP50, or mIoU and foreground
    /// mIoU; LiveTraining's `VisionTask.metric` names them).
    public var primary: Double
    public var secondary: Double
    /// Their exponential moving averages after this image.
    public var primaryEMA: Double
    public var secondaryEMA: Double
    public var at: Date
    /// By class index (as text): IoU (semantic) or AP (boxes, masks) of this image.
    public var perClass: [String: Double]?
    /// Whether the scored prediction was shown as a pre-label.
    public var shown: Bool
    /// The training step of the model that made it.
    public var modelStep: Int?
}

/// A saved model state of a project.
public struct Checkpoint: Codable, Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var projectId: Int64
    public var step: Int
    public var path: String
    public var createdAt: Date
}
