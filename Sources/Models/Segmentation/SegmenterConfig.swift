/// Hyper-parameters shared by the two segmentation models, with the reasons for non-obvious values.
public struct SegmenterConfig: Codable, Sendable, Equatable {
    /// Semantic: number of classes including background (index 0). Instance: object classes.
    public var classes: Int
    public var backbone: BackboneKind = .mobileNetV2
    public var inputSize: Int = 384
    public var fpnChannels: Int = 64
    public var batchSize: Int = 4
    public var learningRate: Double = 1e-3
    public var backboneLearningRateScale: Double = 0.3
    public var weightDecay: Double = 1e-4
    public var warmupSteps: Int = 30
    public var gradientClip: Double = 10
    /// Weight of the soft Dice term next to cross entropy: Dice is insensitive to class imbalance, which
    /// matters when the foreground is 1-2 % of pixels (thin cracks).
    public var diceWeight: Double = 1
    public var augmentation = Augmentation()
    /// Instance model: prototype masks (YOLACT's k) and the most positives per image whose masks are
    /// trained each step (bounds memory on crowded images).
    public var prototypes: Int = 8
    public var maskPositivesPerImage: Int = 64
    public var scoreThreshold: Double = 0.05
    public var nmsIoU: Double = 0.5
    public var maxDetections: Int = 100
    public var maskThreshold: Double = 0.5

    public init(classes: Int) { self.classes = classes }
}
