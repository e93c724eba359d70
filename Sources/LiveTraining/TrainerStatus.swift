import Foundation
import Models

/// What the training loop is doing right now; the server sends it as is (`TrainingStatus.state`), so its
/// raw values are the API's.
public enum TrainerState: String, Codable, Sendable {
    /// Fewer trainable samples than `minSamples`: nothing to train on yet.
    case waitingForLabels = "waiting-for-labels"
    case training
    /// The loss stopped improving; parked until a sample is appended.
    case pausedPlateau = "paused-plateau"
    /// Held by `Trainer.pause()` (or `startsPaused`) until `start()`.
    case paused
    /// Shut down; the trainer accepts no more work.
    case stopped
}

/// A snapshot of the trainer for the UI and its server-sent events.
public struct TrainerStatus: Codable, Sendable, Equatable {
    public var state: TrainerState
    /// Successful optimisation steps since the model was created (restored from checkpoints).
    public var step: Int
    public var lastLoss: StepLoss?
    /// The plateau detector's smoothed loss since the last sample arrived.
    public var smoothedLoss: Double?
    public var samples: Int
    public var stepsSinceLastSample: Int
    /// Wall time of the last training step.
    public var lastStepSeconds: Double?
    /// How long predictions waited for the step in flight (see `Trainer.predict`).
    public var predictWait: WaitStatistics
    /// Steps whose `trainStep` threw, and the latest such error.
    public var failedSteps: Int
    public var lastError: String?
    /// Ids of samples left out of training because a step on them alone failed.
    public var excludedSamples: [String]
    public var lastCheckpointStep: Int?
    /// Semi-supervised training: unlabelled images in the pool, and pseudo-labelled images trained on so
    /// far (this run; one image drawn twice counts twice).
    public var unlabelledImages = 0
    public var pseudoLabelledImages = 0
    /// Times the student was shrunk towards its start on a new label (`Trainer.Configuration.shrinkOnArrival`).
    public var shrinks = 0

    static let initial = TrainerStatus(
        state: .waitingForLabels, step: 0, lastLoss: nil, smoothedLoss: nil, samples: 0, stepsSinceLastSample: 0,
        lastStepSeconds: nil, predictWait: WaitStatistics(), failedSteps: 0, lastError: nil, excludedSamples: [],
        lastCheckpointStep: nil)
}

/// Summary of recent waits (the last `WaitRecorder.capacity`); seconds; nil before the first.
public struct WaitStatistics: Codable, Sendable, Equatable {
    public var count = 0
    public var lastSeconds: Double?
    public var p50Seconds: Double?
    public var p95Seconds: Double?
    public var maxSeconds: Double?
    public init() {}
}

/// Keeps the most recent waits and summarises them (nearest-rank percentiles).
struct WaitRecorder: Sendable {
    static let capacity = 1024
    private var recent: [Double] = []
    private var next = 0
    private(set) var total = 0
    private(set) var last: Double?

    mutating func record(_ seconds: Double) {
        if recent.count < Self.capacity {
            recent.append(seconds)
        } else {
            recent[next] = seconds
        }
        next = (next + 1) % Self.capacity
        total += 1
        last = seconds
    }

    var statistics: WaitStatistics {
        var s = WaitStatistics()
        s.count = total
        s.lastSeconds = last
        guard !recent.isEmpty else { return s }
        let sorted = recent.sorted()
        func percentile(_ p: Double) -> Double {
            sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
        s.p50Seconds = percentile(0.5)
        s.p95Seconds = percentile(0.95)
        s.maxSeconds = sorted.last
        return s
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
