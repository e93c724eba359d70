import Foundation

/// Decides when training has stopped making progress, so the trainer can park instead of burning
/// CPU on a model that no longer improves.
///
/// Each finite loss updates an exponential moving average, bias-corrected as Adam does
/// (`ema / (1 - (1 - smoothing)^n)`), so the first smoothed value is the first loss and early values are
/// plain weighted means rather than being pulled towards zero. The best smoothed loss so far counts as
/// improved when a new smoothed value falls below `best * (1 - minRelativeImprovement)`. After
/// `patience` observations without such an improvement, `isPlateau` turns true (and stays true until
/// `reset()`).
///
/// Defaults, and why:
/// - `smoothing = 0.05`: an average over about the last 40 steps (1/0.05 - 1, the EMA's center of mass at
///   19, half-life 14). Batch-to-batch loss noise in few-image training is large (each batch holds
///   different images and augmentations); this cuts it ~4x (std factor sqrt(0.05 / 1.95) = 0.16).
/// - `minRelativeImprovement = 0.01`: a new best must be 1 % below the old one, so slow noise drift of a
///   flat smoothed curve does not keep training alive forever.
/// - `patience = 100` steps: several smoothing windows, so a plateau is not declared inside one noisy
///   dip; at 0.3-1 s per step on a 2-core CPU, about 0.5-2 minutes of no progress, roughly the time one
///   image takes to annotate, before the trainer gives the CPU back.
/// Non-finite losses (NaN, infinity) are ignored: they are the trainer's to report, not progress.
public struct LossPlateauDetector: Codable, Sendable, Equatable {
    /// The detector's parameters (defaults and their reasons above); saved with its state.
    public struct Configuration: Codable, Sendable, Equatable {
        /// EMA factor in (0, 1]: weight of the newest loss.
        public var smoothing: Double
        /// Observations without improvement before a plateau is declared.
        public var patience: Int
        /// Fraction by which the smoothed loss must beat its best to count as improvement.
        public var minRelativeImprovement: Double

        public init(smoothing: Double = 0.05, patience: Int = 100, minRelativeImprovement: Double = 0.01) {
            precondition(smoothing > 0 && smoothing <= 1, "smoothing must be in (0, 1]")
            precondition(patience > 0, "patience must be positive")
            self.smoothing = smoothing
            self.patience = patience
            self.minRelativeImprovement = minRelativeImprovement
        }
    }

    public let configuration: Configuration
    /// Raw (biased) EMA and how many losses it has absorbed; `smoothedLoss` corrects the bias.
    private var ema = 0.0
    public private(set) var observations = 0
    /// The lowest smoothed loss that counted as an improvement.
    public private(set) var bestSmoothedLoss: Double?
    public private(set) var stepsSinceImprovement = 0
    public private(set) var isPlateau = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The bias-corrected EMA of the losses seen since the last reset (nil before the first).
    public var smoothedLoss: Double? {
        guard observations > 0 else { return nil }
        let decay = 1 - configuration.smoothing
        return ema / (1 - pow(decay, Double(observations)))
    }

    /// Takes one step's loss; returns `isPlateau` afterwards.
    @discardableResult
    public mutating func observe(_ loss: Double) -> Bool {
        guard loss.isFinite else { return isPlateau }
        ema = (1 - configuration.smoothing) * ema + configuration.smoothing * loss
        observations += 1
        let smoothed = smoothedLoss!
        if let best = bestSmoothedLoss, smoothed >= best - abs(best) * configuration.minRelativeImprovement {
            stepsSinceImprovement += 1
        } else {
            bestSmoothedLoss = smoothed
            stepsSinceImprovement = 0
        }
        if stepsSinceImprovement >= configuration.patience { isPlateau = true }
        return isPlateau
    }

    /// Forgets everything seen so far (a new sample arrived: the loss landscape changed and the old best
    /// would no longer be comparable).
    public mutating func reset() {
        ema = 0
        observations = 0
        bestSmoothedLoss = nil
        stepsSinceImprovement = 0
        isPlateau = false
    }
}
