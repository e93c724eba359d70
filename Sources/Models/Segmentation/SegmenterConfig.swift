/// Hyper-parameters of the two segmentation models: the shared training settings, the instance
/// model's detection head, and their own, with the reasons for non-obvious values.
public struct SegmenterConfig: ModelConfig {
    /// Semantic: number of classes including background (index 0). Instance: object classes.
    public var classes: Int
    public var training = TrainingConfig()
    /// Instance model only; NMS a little stricter than the detector's, as crowded nuclei overlap.
    public var head: DetectionHeadConfig = {
        var head = DetectionHeadConfig()
        head.nmsIoU = 0.5
        return head
    }()
    /// Weight of the soft Dice term next to cross entropy: Dice is insensitive to class imbalance, which
    /// matters when the foreground is 1-2 % of pixels (thin cracks).
    public var diceWeight: Double = 1
    /// Instance model: prototype masks (YOLACT's k) and the most positives per image whose masks are
    /// trained each step (bounds memory on crowded images).
    public var prototypes: Int = 8
    public var maskPositivesPerImage: Int = 64
    public var maskThreshold: Double = 0.5

    public init(classes: Int, training: TrainingConfig = TrainingConfig()) {
        self.classes = classes
        self.training = training
    }

    /// The detector the instance model is built on: the same training settings and head.
    var detector: DetectorConfig { DetectorConfig(classes: classes, training: training, head: head) }
}
