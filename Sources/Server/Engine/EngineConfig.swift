import Foundation
import LiveTraining
import Models
import Torch

/// How the server's live-training engine builds and keeps its models.
public struct EngineConfig: Sendable {
    /// Folder with the pretrained backbone safetensors (assets/weights).
    public var weights: URL
    /// Root of per-project checkpoint folders.
    public var checkpoints: URL
    public var device: Device
    public var backbone: BackboneKind = .mobileNetV2
    public var inputSize = 384
    /// Steps between checkpoints: a crash loses at most this much training.
    public var checkpointEvery = 50
    /// Decoded training images kept in memory (the rest are read from disk per batch): 256 MB holds
    /// about 80 12-MP photos or 900 aerial tiles of 400x400, whatever the project's size.
    public var imageCacheBytes = 256 << 20
    /// Pre-labels come from an EMA teacher (a second copy of the model averaging the student's weights)
    /// that answers while the student trains, instead of waiting for the step in flight.
    public var teacher = true
    /// The student also learns the teacher's confident predictions on unlabelled images (`SemiSupervision`;
    /// needs the teacher). Off by default: the deepforest replay measured no gain yet (DESIGN-NOTES).
    public var semiSupervised = false
    /// On each new label the student keeps this share of its change from the pretrained start
    /// (`Trainer.Configuration.shrinkOnArrival`); nil: off.
    public var shrinkOnArrival: Double?
    /// The training thread's nice (`Trainer.Configuration.threadNice`): requests and pre-labels first.
    public var trainingNice = Trainer.Configuration().threadNice

    public init(weights: URL, checkpoints: URL, device: Device = .best) {
        self.weights = weights
        self.checkpoints = checkpoints
        self.device = device
    }
}
