/// A project's trainer as the UI and the metrics see it; sent as server-sent events.
public struct TrainingStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case waitingForLabels = "waiting-for-labels"
        case training
        case pausedPlateau = "paused-plateau"
        case paused
        case stopped
    }

    public var state: State
    /// Optimisation steps so far.
    public var step: Int
    /// The latest (smoothed) training loss.
    public var loss: Double?
    /// Training samples (submitted annotations) the trainer holds.
    public var samples: Int
    /// Exponential moving averages of the live AP and AP50 of pre-labels against final annotations.
    public var liveAP: Double?
    public var liveAP50: Double?
    /// By class name: the moving average of each class's IoU (semantic) or AP (boxes, masks).
    public var livePerClass: [String: Double]?
    /// Whether pre-labels are being shown.
    public var prelabelReady: Bool
    /// How long the last pre-label waited for the training step in flight.
    public var lastPrelabelWaitSeconds: Double?
    public var lastCheckpointStep: Int?
    public var lastError: String?

    public init(
        state: State, step: Int = 0, loss: Double? = nil, samples: Int = 0, liveAP: Double? = nil,
        liveAP50: Double? = nil, prelabelReady: Bool = false, lastPrelabelWaitSeconds: Double? = nil,
        lastCheckpointStep: Int? = nil, lastError: String? = nil, livePerClass: [String: Double]? = nil
    ) {
        self.state = state
        self.step = step
        self.loss = loss
        self.samples = samples
        self.liveAP = liveAP
        self.liveAP50 = liveAP50
        self.prelabelReady = prelabelReady
        self.lastPrelabelWaitSeconds = lastPrelabelWaitSeconds
        self.lastCheckpointStep = lastCheckpointStep
        self.lastError = lastError
        self.livePerClass = livePerClass
    }
}
