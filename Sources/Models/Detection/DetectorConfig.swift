/// Every hyper-parameter of the live detector, with the reasons for the non-obvious ones.
public struct DetectorConfig: Codable, Sendable, Equatable {
    public var classes: Int
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
    /// Pyramid strides and the object sizes each level is responsible for (FCOS's ranges, scaled to our input).
    public var strides: [Int] = [8, 16, 32]
    public var sizeRanges: [ClosedRange<Double>] = [0...64, 64...128, 128...1e8]
    /// FCOS centre sampling: only locations within radius × stride of a box centre are positives.
    public var centerRadius: Double = 1.5
    public var scoreThreshold: Double = 0.05
    public var nmsIoU: Double = 0.6
    public var maxDetections: Int = 100
    public var augmentation = Augmentation()

    public init(classes: Int) { self.classes = classes }
}
