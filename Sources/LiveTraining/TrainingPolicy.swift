import Foundation
import Models

/// The training loop's decisions as a value: when to train, park or checkpoint, what a failed step
/// does to its samples, and what the status says. `TrainingLoop`'s thread only runs it under its lock,
/// so every rule here is tested without threads or sleeps (`TrainingPolicyTests`).
struct TrainingPolicy: Sendable {
    /// What the loop does next.
    enum Decision: Equatable, Sendable {
        /// Nothing to train: wait for a sample, a job or `start()`, in this state.
        case park(TrainerState)
        /// One step on these arrival indices; `isolating` when retrying a suspect alone.
        case train(indices: [Int], isolating: Bool)
    }

    /// Something worth a log line.
    struct Note: Equatable, Sendable {
        enum Level: Sendable { case info, warning, error }
        var level: Level
        var message: String
    }

    let minSamples: Int
    /// Steps between checkpoints; 0 for none.
    let checkpointEvery: Int
    private(set) var sampler: FrequencyBatchSampler
    private(set) var detector: LossPlateauDetector
    private(set) var step: Int
    private(set) var state: TrainerState
    private(set) var paused: Bool
    /// Samples of a failed batch, retried one per step to find the bad ones.
    private(set) var suspects: [Int] = []
    private(set) var stepsSinceLastSample = 0
    private(set) var lastLoss: StepLoss?
    private(set) var lastStepSeconds: Double?
    private(set) var failedSteps = 0
    private(set) var lastError: String?
    private(set) var lastCheckpointStep: Int?
    private var lastCheckpointAttempt: Int?
    /// Steps the virtual clock still allows (`Trainer.Configuration.virtualClock`); nil when training runs
    /// freely, as in the server. Parking sets it to 0: time spent parked is gone, as on a real clock.
    /// Fractional: a step that also learns pseudo-labels costs more than one (`charge`).
    private(set) var allowance: Double?
    private(set) var pseudoLabelled = 0
    /// `Trainer.Configuration.shrinkOnArrival`'s share kept.
    let shrinkKeep: Double?
    /// A new label arrived after training began: shrink before the next step or job.
    private(set) var shrinkPending = false
    /// Shrinks done so far.
    private(set) var shrinks = 0

    init(
        configuration: Trainer.Configuration, sampler: FrequencyBatchSampler, detector: LossPlateauDetector, step: Int,
        lastCheckpointStep: Int?
    ) {
        minSamples = configuration.minSamples
        checkpointEvery = configuration.checkpointDirectory == nil ? 0 : max(0, configuration.checkpointEvery)
        self.sampler = sampler
        self.detector = detector
        self.step = step
        self.lastCheckpointStep = lastCheckpointStep
        paused = configuration.startsPaused
        state = configuration.startsPaused ? .paused : .waitingForLabels
        allowance = configuration.virtualClock ? 0 : nil
        shrinkKeep = configuration.shrinkOnArrival.flatMap { (0..<1).contains($0) ? $0 : nil }
    }

    /// The share to keep when a shrink is due (then no longer due), else nil.
    mutating func takeShrink() -> Double? {
        guard shrinkPending, let keep = shrinkKeep else { return nil }
        shrinkPending = false
        shrinks += 1
        return keep
    }

    /// The virtual clock moved on by `steps` steps' worth of time.
    mutating func allow(_ steps: Int) {
        guard let current = allowance else { return }
        allowance = current + Double(max(0, steps))
    }

    /// A step's extra work, in steps: on the virtual clock it is time the annotator's seconds must buy.
    /// `images` pseudo-labelled images were trained on beside the labelled batch.
    mutating func charge(extraSteps: Double, pseudoLabelled images: Int) {
        pseudoLabelled += images
        if let a = allowance, extraSteps.isFinite, extraSteps > 0 { allowance = a - extraSteps }
    }

    /// A sample was appended, replaced or removed. A new or edited sample is news: the plateau is over.
    mutating func sampleArrived(_ arrival: DynamicDataset.Arrival) {
        sampler.grow(to: arrival.count)
        suspects.removeAll { $0 == arrival.index }
        if arrival.isRemoval {  // a deleted annotation: never drawn again, nothing new to learn
            sampler.exclude(arrival.index)
            return
        }
        if !arrival.isNew { sampler.include(arrival.index) }  // edited labels: an excluded sample gets another chance
        // Only a new image, and only once there is a change to shrink; arrivals between two steps share one.
        if arrival.isNew && step > 0 && shrinkKeep != nil { shrinkPending = true }
        detector.reset()
        stepsSinceLastSample = 0
    }

    mutating func setPaused(_ flag: Bool) { paused = flag }

    /// What to do with `count` arrival indices in the dataset; `changed` says the state moved (publish it).
    mutating func next(datasetCount count: Int) -> (decision: Decision, changed: Bool, note: Note?) {
        sampler.grow(to: count)
        let trainable = count - sampler.excluded.count
        let next: TrainerState =
            if paused { .paused }
            else if trainable < minSamples { .waitingForLabels }
            else if detector.isPlateau && suspects.isEmpty { .pausedPlateau }
            else { .training }
        let changed = next != state
        state = next
        let note =
            changed && next == .pausedPlateau
            ? Note(level: .info, message: "loss plateau at step \(step) (smoothed \(detector.smoothedLoss ?? .nan)); parked until a sample arrives")
            : nil
        guard next == .training else {
            if allowance != nil { allowance = 0 }
            return (.park(next), changed, note)
        }
        if let a = allowance {
            guard a > 0 else { return (.park(next), changed, note) }
            allowance = a - 1
        }
        if !suspects.isEmpty { return (.train(indices: [suspects.removeFirst()], isolating: true), changed, note) }
        return (.train(indices: sampler.nextBatch(count: count), isolating: false), changed, note)
    }

    /// Books one step's outcome. A failed batch is not retried as a whole: its samples become suspects,
    /// each tried alone in a later step, and one that fails alone is excluded from sampling until its
    /// annotation is replaced. Bad data thus costs a few steps, never the loop.
    mutating func record(_ result: Result<StepLoss, any Error>, indices: [Int], ids: [String], seconds: Double) -> Note? {
        lastStepSeconds = seconds
        switch result {
        case .success(let loss):
            step += 1
            stepsSinceLastSample += 1
            lastLoss = loss
            detector.observe(loss.labelled)  // pseudo-labels change with the teacher: only the humans' labels say it still learns
            guard loss.total.isFinite else { return fail("step \(step): non-finite loss \(loss.total) on \(ids)", .warning) }
            return nil
        case .failure(let error):
            failedSteps += 1
            if indices.count == 1 {
                sampler.exclude(indices[0])
                return fail("sample '\(ids[0])' excluded from training: \(error)", .error)
            }
            suspects += indices
            return fail("training step failed on \(ids): \(error); retrying them one at a time", .error)
        }
    }

    private mutating func fail(_ message: String, _ level: Note.Level) -> Note {
        lastError = message
        return Note(level: level, message: message)
    }

    /// The step a checkpoint is due at: once per interval of `checkpointEvery` steps. Asking marks the
    /// attempt, so a failing disk is retried at the next interval, not at every step.
    mutating func checkpointDue() -> Int? {
        guard checkpointEvery > 0, step / checkpointEvery > (lastCheckpointAttempt ?? lastCheckpointStep ?? 0) / checkpointEvery
        else { return nil }
        lastCheckpointAttempt = step
        return step
    }

    mutating func checkpointWritten(step written: Int) { lastCheckpointStep = written }

    mutating func checkpointFailed(step due: Int, error: any Error) -> Note {
        fail("checkpoint at step \(due) failed: \(error)", .error)
    }

    /// What a checkpoint records of the loop.
    func checkpoint(sampleIDs: [String]) -> TrainerCheckpoint {
        TrainerCheckpoint(step: step, sampler: sampler, detector: detector, sampleIDs: sampleIDs, lastLoss: lastLoss)
    }

    /// The status, given what the dataset and the wait recorder know.
    func status(samples: Int, excludedIDs: [String], waits: WaitStatistics, unlabelled: Int = 0) -> TrainerStatus {
        TrainerStatus(
            state: state, step: step, lastLoss: lastLoss, smoothedLoss: detector.smoothedLoss, samples: samples,
            stepsSinceLastSample: stepsSinceLastSample, lastStepSeconds: lastStepSeconds, predictWait: waits,
            failedSteps: failedSteps, lastError: lastError, excludedSamples: excludedIDs, lastCheckpointStep: lastCheckpointStep,
            unlabelledImages: unlabelled, pseudoLabelledImages: pseudoLabelled, shrinks: shrinks)
    }

    /// Marks the loop finished.
    mutating func stopped() { state = .stopped }
}
