/// Every hyper-parameter of the live detector: the shared training settings and the FCOS head's.
/// Fields of both read as the detector's own (`config.inputSize`, `config.strides`).
public struct DetectorConfig: ModelConfig {
    public var classes: Int
    public var training = TrainingConfig()
    public var head = DetectionHeadConfig()

    public init(classes: Int, training: TrainingConfig = TrainingConfig(), head: DetectionHeadConfig = DetectionHeadConfig()) {
        self.classes = classes
        self.training = training
        self.head = head
    }
}
