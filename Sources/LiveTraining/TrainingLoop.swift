import Foundation
import Logging
import Models
import Torch

/// The trainer's engine room: one dedicated thread that owns the model and alternates between queued
/// jobs (predictions, checkpoints) and training steps, so a step lasting a second never occupies a
/// thread of Swift's cooperative pool.
///
/// Everything mutable is guarded by `condition`, which is held only for bookkeeping, never while the
/// model computes or files are written; the thread parks on it when there is nothing to train and is
/// signalled by appends, jobs, `start()` and stop. Loop order, each turn:
/// 1. run every queued job (a prediction waits at most for the step in flight, never for the next one),
/// 2. leave if stop was requested,
/// 3. park while paused, short of samples, or on a loss plateau,
/// 4. otherwise take one step: a suspect sample alone if a batch failed recently, else a sampled batch.
final class TrainingLoop: @unchecked Sendable {
    struct Job {
        let id: Int
        let enqueued: ContinuousClock.Instant
        /// Counted in the prediction-wait statistics.
        let measured: Bool
        let run: @Sendable (any LiveModel, Duration) -> Void
        let cancel: @Sendable (any Error) -> Void
    }

    let model: any LiveModel
    let dataset: DynamicDataset
    let configuration: Trainer.Configuration
    let logger: Logger
    let broadcaster: StatusBroadcaster
    private let condition = NSCondition()

    // Guarded by `condition`.
    private var observation: ObservationToken?
    private var sampler: FrequencyBatchSampler
    private var detector: LossPlateauDetector
    private var step: Int
    private var jobs: [Job] = []
    private var nextJobID = 0
    private var paused: Bool
    private var stopRequested = false
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []
    /// Samples of a failed batch, retried one per step to find the bad ones.
    private var suspects: [Int] = []
    private var stepsSinceLastSample = 0
    private var lastLoss: StepLoss?
    private var lastStepSeconds: Double?
    private var failedSteps = 0
    private var lastError: String?
    private var waits = WaitRecorder()
    private var lastCheckpointStep: Int?
    private var lastCheckpointAttempt: Int?
    private var state: TrainerState

    init(
        model: any LiveModel, dataset: DynamicDataset, configuration: Trainer.Configuration, logger: Logger,
        sampler: FrequencyBatchSampler, detector: LossPlateauDetector, step: Int, lastCheckpointStep: Int?
    ) {
        self.model = model
        self.dataset = dataset
        self.configuration = configuration
        self.logger = logger
        self.sampler = sampler
        self.detector = detector
        self.step = step
        self.lastCheckpointStep = lastCheckpointStep
        paused = configuration.startsPaused
        state = configuration.startsPaused ? .paused : .waitingForLabels
        var initial = TrainerStatus.initial
        initial.state = state
        initial.step = step
        initial.samples = dataset.activeCount
        initial.lastCheckpointStep = lastCheckpointStep
        broadcaster = StatusBroadcaster(initial: initial)
    }

    /// Subscribes to appends and starts the thread.
    func start() {
        let token = dataset.observe { [weak self] arrival in self?.sampleArrived(arrival) }
        condition.withLock { observation = token }
        let thread = Thread { [self] in run() }
        thread.name = "livetrain.trainer"
        thread.stackSize = 16 << 20  // deep networks recurse in libtorch's autograd engine
        thread.start()
    }

    var status: TrainerStatus { condition.withLock { snapshotLocked() } }

    // MARK: requests from other threads

    /// Queues `body` to run on the training thread between steps; returns its result and how long it
    /// waited in the queue.
    func perform<T: Sendable>(
        measured: Bool, _ body: @escaping @Sendable (any LiveModel) throws -> T
    ) async throws -> (T, Duration) {
        let id = condition.withLock {
            nextJobID += 1
            return nextJobID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(T, Duration), any Error>) in
                let job = Job(
                    id: id, enqueued: .now, measured: measured,
                    run: { model, waited in continuation.resume(with: Result { (try body(model), waited) }) },
                    cancel: { continuation.resume(throwing: $0) })
                let accepted = condition.withLock {
                    guard !stopRequested else { return false }
                    jobs.append(job)
                    condition.signal()
                    return true
                }
                if !accepted { continuation.resume(throwing: TrainerError.stopped) }
            }
        } onCancel: {
            let removed: Job? = condition.withLock {
                guard let i = jobs.firstIndex(where: { $0.id == id }) else { return nil }
                return jobs.remove(at: i)
            }
            removed?.cancel(CancellationError())
        }
    }

    func setPaused(_ flag: Bool) {
        condition.withLock {
            paused = flag
            condition.broadcast()
        }
    }

    /// Stops the loop after the step in flight and the jobs queued so far; with `checkpoint`, writes a
    /// final checkpoint first. Returns its directory once the thread has finished.
    func stop(checkpoint: Bool) async -> Result<URL?, any Error> {
        let result: Result<URL?, any Error> = await withCheckedContinuation { continuation in
            let queued = condition.withLock { () -> Bool in
                guard !stopRequested else { return false }
                if checkpoint {
                    jobs.append(
                        Job(
                            id: -1, enqueued: .now, measured: false,
                            run: { [self] _, _ in continuation.resume(returning: Result { try checkpointNow() }) },
                            cancel: { _ in }))
                }
                stopRequested = true
                condition.broadcast()
                return checkpoint
            }
            if !queued { continuation.resume(returning: .success(nil)) }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = condition.withLock {
                if !finished { finishWaiters.append(continuation) }
                return finished
            }
            if done { continuation.resume() }
        }
        return result
    }

    /// Stops without waiting (the trainer was released without `shutdown()`).
    func abandon() {
        condition.withLock {
            stopRequested = true
            condition.broadcast()
        }
    }

    private func sampleArrived(_ arrival: DynamicDataset.Arrival) {
        condition.withLock {
            sampler.grow(to: arrival.count)
            suspects.removeAll { $0 == arrival.index }
            if arrival.isRemoval {  // a deleted annotation: never drawn again, nothing new to learn
                sampler.exclude(arrival.index)
                publishLocked()
                return
            }
            if !arrival.isNew {  // edited labels: give an excluded sample another chance
                sampler.include(arrival.index)
            }
            detector.reset()
            stepsSinceLastSample = 0
            publishLocked()
            condition.broadcast()
        }
    }

    // MARK: the thread

    private func run() {
        do { try model.warmUp() } catch { logger.warning("warm-up failed (first steps will be slow): \(error)") }
        condition.lock()
        while true {
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                let waited = job.enqueued.duration(to: .now)
                if job.measured { waits.record(waited.seconds) }
                condition.unlock()
                job.run(model, waited)
                condition.lock()
                if job.measured { publishLocked() }
                continue
            }
            if stopRequested { break }

            let count = dataset.count
            sampler.grow(to: count)
            let next = nextStateLocked(trainable: count - sampler.excluded.count)
            if state != next {
                state = next
                publishLocked()
                if next == .pausedPlateau {
                    logger.info(
                        "loss plateau at step \(step) (smoothed \(detector.smoothedLoss ?? .nan)); parked until a sample arrives"
                    )
                }
            }
            guard next == .training else {
                condition.wait()
                continue
            }

            let isolating = !suspects.isEmpty
            let indices = isolating ? [suspects.removeFirst()] : sampler.nextBatch(count: count)
            condition.unlock()
            let batch = dataset.samples(at: indices)
            let started = ContinuousClock.now
            let result = Result { try model.trainStep(batch) }
            let elapsed = started.duration(to: .now).seconds
            condition.lock()
            record(result, indices: indices, ids: batch.map(\.id), seconds: elapsed)

            let every = configuration.checkpointEvery
            if every > 0, configuration.checkpointDirectory != nil,
                step / every > (lastCheckpointAttempt ?? lastCheckpointStep ?? 0) / every
            {
                let due = step
                lastCheckpointAttempt = due  // a failing disk is retried at the next interval, not every step
                condition.unlock()
                do {
                    _ = try checkpointNow()
                } catch {
                    logger.error("checkpoint at step \(due) failed: \(error)")
                    condition.withLock {
                        lastError = "checkpoint at step \(due) failed: \(error)"
                        publishLocked()
                    }
                }
                condition.lock()
            }
        }
        state = .stopped
        finished = true
        publishLocked()
        let waiters = finishWaiters
        finishWaiters = []
        let token = observation
        observation = nil
        condition.unlock()
        token?.cancel()
        broadcaster.finish()
        for waiter in waiters { waiter.resume() }
    }

    private func nextStateLocked(trainable: Int) -> TrainerState {
        if paused { return .paused }
        if trainable < configuration.minSamples { return .waitingForLabels }
        if detector.isPlateau && suspects.isEmpty { return .pausedPlateau }
        return .training
    }

    /// Books one step's outcome. A failed batch is not retried as a whole: its samples become suspects,
    /// each tried alone in a later step, and one that fails alone is excluded from sampling until its
    /// annotation is replaced. Bad data thus costs a few steps, never the loop.
    private func record(_ result: Result<StepLoss, any Error>, indices: [Int], ids: [String], seconds: Double) {
        lastStepSeconds = seconds
        switch result {
        case .success(let loss):
            step += 1
            stepsSinceLastSample += 1
            lastLoss = loss
            detector.observe(loss.total)
            if !loss.total.isFinite {
                lastError = "step \(step): non-finite loss \(loss.total) on \(ids)"
                logger.warning("\(lastError!)")
            }
        case .failure(let error):
            failedSteps += 1
            if indices.count == 1 {
                sampler.exclude(indices[0])
                lastError = "sample '\(ids[0])' excluded from training: \(error)"
                logger.error("\(lastError!)")
            } else {
                suspects += indices
                lastError = "training step failed on \(ids): \(error); retrying them one at a time"
                logger.error("\(lastError!)")
            }
        }
        publishLocked()
    }

    /// Writes a checkpoint of the model and the loop's bookkeeping. Runs on the training thread (the
    /// model's owner) without the lock held.
    func checkpointNow() throws -> URL {
        guard let root = configuration.checkpointDirectory else { throw TrainerError.noCheckpointDirectory }
        let record = condition.withLock {
            TrainerCheckpoint(
                step: step, sampler: sampler, detector: detector, sampleIDs: dataset.ids, lastLoss: lastLoss)
        }
        let url = try record.write(modelState: try model.state(), under: root, keep: configuration.checkpointsKept)
        condition.withLock {
            lastCheckpointStep = record.step
            publishLocked()
        }
        logger.debug("checkpoint at step \(record.step): \(url.path)")
        return url
    }

    private func publishLocked() { broadcaster.publish(snapshotLocked()) }

    private func snapshotLocked() -> TrainerStatus {
        TrainerStatus(
            state: state, step: step, lastLoss: lastLoss, smoothedLoss: detector.smoothedLoss, samples: dataset.activeCount,
            stepsSinceLastSample: stepsSinceLastSample, lastStepSeconds: lastStepSeconds, predictWait: waits.statistics,
            failedSteps: failedSteps, lastError: lastError,
            excludedSamples: dataset.samples(at: sampler.excluded.subtracting(dataset.retired).sorted()).map(\.id),
            lastCheckpointStep: lastCheckpointStep)
    }
}
