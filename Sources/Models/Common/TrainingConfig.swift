/// What every live model trains with, whatever its head: the pretrained backbone, the input, the batch,
/// the optimiser and the augmentation. One value, shared by `DetectorConfig` and `SegmenterConfig`.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var backbone: BackboneKind = .mobileNetV2
    /// Side of the square letterboxed training/inference input. 384 keeps a 2-core CPU step near a
    /// second at batch 4 while small objects (aerial trees ~20 px) still span a few stride-8 cells.
    public var inputSize: Int = 384
    public var fpnChannels: Int = 64
    public var batchSize: Int = 4
    public var learningRate: Double = 1e-3
    /// The pretrained backbone moves slower than the fresh head so 2-5 images don't wash out ImageNet features.
    public var backboneLearningRateScale: Double = 0.3
    public var weightDecay: Double = 1e-4
    /// Linear warm-up steps; live training has no known end, so the rate stays flat afterwards.
    public var warmupSteps: Int = 30
    public var gradientClip: Double = 10
    public var augmentation = Augmentation()

    public init() {}
}

/// The FCOS detection head's settings, shared by the detector and the instance segmenter.
public struct DetectionHeadConfig: Codable, Sendable, Equatable {
    /// Pyramid strides and the object sizes each level is responsible for (FCOS's ranges, scaled to our input).
    public var strides: [Int] = [8, 16, 32]
    public var sizeRanges: [ClosedRange<Double>] = [0...64, 64...128, 128...1e8]
    /// FCOS centre sampling: only locations within radius × stride of a box centre are positives.
    public var centerRadius: Double = 1.5
    public var scoreThreshold: Double = 0.05
    public var nmsIoU: Double = 0.6
    public var maxDetections: Int = 100

    public init() {}
}

/// A model's config made of the shared parts: their fields read as the config's own
/// (`config.inputSize`, `config.strides`), written once here for every model.
@dynamicMemberLookup
public protocol ModelConfig: Codable, Sendable, Equatable {
    var training: TrainingConfig { get set }
    var head: DetectionHeadConfig { get set }
}

extension ModelConfig {
    public subscript<T>(dynamicMember path: WritableKeyPath<TrainingConfig, T>) -> T {
        get { training[keyPath: path] }
        set { training[keyPath: path] = newValue }
    }

    public subscript<T>(dynamicMember path: WritableKeyPath<DetectionHeadConfig, T>) -> T {
        get { head[keyPath: path] }
        set { head[keyPath: path] = newValue }
    }
}
