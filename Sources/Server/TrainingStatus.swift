import LiveTraining

/// A project's trainer as the UI and the metrics see it; sent as server-sent events.
public struct TrainingStatus: Codable, Sendable, Equatable {
    /// The trainer's own state (one enum: LiveTraining's), whose raw values are the API's.
    public var state: TrainerState
    /// Optimisation steps so far.
    public var step: Int
    /// The latest (smoothed) training loss.
    public var loss: Double?
    /// Training samples (submitted annotations) the trainer holds.
    public var samples: Int
    /// What the live values below are: "boxAP", "maskAP" or "mIoU" (`QualityMetric.id`); nil before
    /// the project's engine is up.
    public var liveMetric: String?
    /// Exponential moving averages of the primary and secondary values of pre-labels scored against
    /// final annotations (box or mask AP and AP50, or mIoU and foreground mIoU).
    public var livePrimary: Double?
    public var liveSecondary: Double?
    /// By class name: the moving average of each class's IoU (semantic) or AP (boxes, masks).
    public var livePerClass: [String: Double]?
    /// Whether pre-labels are being shown.
    public var prelabelReady: Bool
    /// How long the last pre-label waited for the training step in flight.
    public var lastPrelabelWaitSeconds: Double?
    public var lastCheckpointStep: Int?
    public var lastError: String?
    /// Semi-supervised training: images in the unlabelled pool, and pseudo-labelled images trained on
    /// since the server started (0 until the live model is ready, or with it off).
    public var unlabelledImages: Int
    public var pseudoLabelledImages: Int
    /// Times a new label pulled the student back towards its pretrained start since the server started
    /// (`serve --shrink-on-arrival`; 0 with it off).
    public var shrinks: Int

    public init(
        state: TrainerState, step: Int = 0, loss: Double? = nil, samples: Int = 0, liveMetric: String? = nil,
        livePrimary: Double? = nil, liveSecondary: Double? = nil, prelabelReady: Bool = false,
        lastPrelabelWaitSeconds: Double? = nil, lastCheckpointStep: Int? = nil, lastError: String? = nil,
        livePerClass: [String: Double]? = nil, unlabelledImages: Int = 0, pseudoLabelledImages: Int = 0,
        shrinks: Int = 0
    ) {
        self.shrinks = shrinks
        self.unlabelledImages = unlabelledImages
        self.pseudoLabelledImages = pseudoLabelledImages
        self.state = state
        self.step = step
        self.loss = loss
        self.samples = samples
        self.liveMetric = liveMetric
        self.livePrimary = livePrimary
        self.liveSecondary = liveSecondary
        self.prelabelReady = prelabelReady
        self.lastPrelabelWaitSeconds = lastPrelabelWaitSeconds
        self.lastCheckpointStep = lastCheckpointStep
        self.lastError = lastError
        self.livePerClass = livePerClass
    }
}
