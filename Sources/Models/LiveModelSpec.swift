import Foundation
import Torch
import Vision

/// What a project or a replay asks of its live model; one place builds all three kinds.
public struct LiveModelSpec: Codable, Sendable, Equatable {
    public var task: VisionTask
    /// Object classes (detection, instance) or classes including background (semantic).
    public var classes: Int
    public var backbone: BackboneKind = .mobileNetV2
    public var inputSize = 384
    public var batchSize = 4

    public init(task: VisionTask, classes: Int) {
        self.task = task
        self.classes = classes
    }

    /// The training settings this spec chooses; the rest keep their defaults.
    var training: TrainingConfig {
        var t = TrainingConfig()
        (t.backbone, t.inputSize, t.batchSize) = (backbone, inputSize, batchSize)
        return t
    }

    /// A fresh model from the pretrained backbone in `weights` (nil: random init, for tests of mechanics).
    public func make(weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws -> any LiveModel {
        switch task {
        case .detection: try LiveDetector(config: DetectorConfig(classes: classes, training: training), weights: weights, device: device, seed: seed)
        case .instance: try LiveInstanceSegmenter(config: SegmenterConfig(classes: classes, training: training), weights: weights, device: device, seed: seed)
        case .semantic: try LiveSemanticSegmenter(config: SegmenterConfig(classes: classes, training: training), weights: weights, device: device, seed: seed)
        }
    }

    /// A short description for model exports and the UI.
    public var architecture: [String: String] {
        var out = ["task": task.rawValue, "backbone": backbone.rawValue, "inputSize": "\(inputSize)"]
        switch task {
        case .detection:
            let c = DetectorConfig(classes: classes)
            out["model"] = "FCOS (FPN \(c.fpnChannels), strides \(c.strides))"
        case .instance: out["model"] = "FCOS + YOLACT prototypes (\(SegmenterConfig(classes: classes).prototypes))"
        case .semantic: out["model"] = "semantic FPN at stride 4"
        }
        return out
    }
}
