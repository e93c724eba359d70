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
/// signalled by appends, jobs, `start()` and stop. The decisions themselves are `TrainingPolicy`'s.
/// Loop order, each turn:
/// 1. run every queued job (a prediction waits at most for the step in flight, never for the next one),
/// 2. leave if stop was requested,
/// 3. ask the policy: park (paused, short of samples, on a loss plateau) or train on the batch it names,
/// 4. book the step's outcome, then write a checkpoint if one is due.
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
    let pool: UnlabelledPool
    let configuration: Trainer.Configuration
    let logger: Logger
    let broadcaster: StatusBroadcaster
    /// Averaged after every successful step; serves predictions (see `Trainer.timedPredict`).
    let teacher: EMATeacher?
    private let condition = NSCondition()
    /// The student's weights before its first step, when `shrinkOnArrival` is on. Only the training
    /// thread reads or sets it once the thread runs.
    private var startingWeights: [String: Tensor]?
    /// The start file of this loop's last checkpoint (the next one links it); training thread only.
    private var writtenStart: URL?

    // Guarded by `condition`.
    private var observation: ObservationToken?
    private var policy: TrainingPolicy
    private var jobs: [Job] = []
    private var nextJobID = 0
    private var stopRequested = false
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []
    private var waits = WaitRecorder()
    private var pseudoLabelThresholds: PseudoLabelThresholds?
    /// Callers of `advance(steps:)` waiting for the virtual clock's time to be spent, with the step
    /// they started at.
    private var clockWaiters: [(fromStep: Int, continuation: CheckedContinuation<Int, Never>)] = []

    init(
        model: any LiveModel, dataset: DynamicDataset, pool: UnlabelledPool = UnlabelledPool(), configuration: Trainer.Configuration,
        logger: Logger, sampler: FrequencyBatchSampler, detector: LossPlateauDetector, step: Int, lastCheckpointStep: Int?,
        teacher: EMATeacher? = nil, start: [String: Tensor]? = nil
    ) {
        startingWeights = start
        self.model = model
        self.pool = pool
        self.teacher = teacher
        self.dataset = dataset
        self.configuration = configuration
        self.logger = logger
        policy = TrainingPolicy(
            configuration: configuration, sampler: sampler, detector: detector, step: step, lastCheckpointStep: lastCheckpointStep)
        broadcaster = StatusBroadcaster(
            initial: policy.status(samples: dataset.activeCount, excludedIDs: [], waits: WaitStatistics()))
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

    /// A prediction served elsewhere (the teacher) still counts in the wait statistics.
    func recordWait(_ seconds: Double) {
        condition.withLock {
            waits.record(seconds)
            publishLocked()
        }
    }

    var isStopping: Bool { condition.withLock { stopRequested } }

    func setPseudoLabelThresholds(_ thresholds: PseudoLabelThresholds?) {
        condition.withLock { pseudoLabelThresholds = thresholds }
    }

    func setPaused(_ flag: Bool) {
        condition.withLock {
            policy.setPaused(flag)
            condition.broadcast()
        }
    }

    /// Grants a virtual clock `steps` more steps and waits until the loop parks (allowance spent, or
    /// nothing to train); returns the steps trained meanwhile.
    func advance(steps: Int) async -> Int {
        await withCheckedContinuation { continuation in
            let accepted = condition.withLock {
                guard !stopRequested else { return false }
                policy.allow(steps)
                clockWaiters.append((policy.step, continuation))
                condition.broadcast()
                return true
            }
            if !accepted { continuation.resume(returning: 0) }
        }
    }

    /// Resumes the `advance` callers; called under the lock whenever the loop parks or stops.
    private func releaseClockWaitersLocked() {
        let waiters = clockWaiters
        clockWaiters = []
        for waiter in waiters { waiter.continuation.resume(returning: policy.step - waiter.fromStep) }
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
            policy.sampleArrived(arrival)
            publishLocked()
            if !arrival.isRemoval { condition.broadcast() }
        }
    }

    // MARK: the thread

    private func run() {
        if configuration.threadNice != 0 {
            do { try Torch.setThreadNice(configuration.threadNice) } catch {
                logger.warning("the training thread keeps its priority: \(error)")
            }
        }
        if configuration.shrinkOnArrival != nil && startingWeights == nil {
            do { startingWeights = try Self.snapshot(of: model) } catch { logger.error("shrink on arrival disabled: \(error)") }
        }
        do { try model.warmUp() } catch { logger.warning("warm-up failed (first steps will be slow): \(error)") }
        condition.lock()
        while true {
            // Before any job: a prediction or checkpoint after an arrival sees the shrunk student.
            if let keep = policy.takeShrink() {
                condition.unlock()
                shrink(keeping: keep)
                condition.lock()
                publishLocked()
                continue
            }
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
            let (decision, changed, note) = policy.next(datasetCount: count)
            if changed { publishLocked() }
            log(note)
            guard case .train(let indices, let isolating) = decision else {
                releaseClockWaitersLocked()
                condition.wait()
                continue
            }
            let thresholds = isolating ? nil : pseudoLabelThresholds
            condition.unlock()
            let batch = dataset.samples(at: indices)
            let started = ContinuousClock.now
            let (result, forwards, pseudo) = train(batch, thresholds: thresholds)
            // A failed average is the teacher's fault, not the batch's: the step stands, no sample is suspected.
            if let teacher, case .success = result {
                do { try teacher.update(from: model) } catch { logger.error("EMA teacher update failed: \(error)") }
            }
            let elapsed = started.duration(to: .now).seconds
            condition.lock()
            log(policy.record(result, indices: indices, ids: batch.map(\.id), seconds: elapsed))
            if forwards > 0 || pseudo > 0 {
                policy.charge(
                    extraSteps: SemiSupervision.extraCost(labelled: batch.count, forwards: forwards, pseudoLabelled: pseudo),
                    pseudoLabelled: pseudo)
            }
            publishLocked()

            if let due = policy.checkpointDue() {
                condition.unlock()
                do {
                    _ = try checkpointNow()
                } catch {
                    condition.withLock {
                        log(policy.checkpointFailed(step: due, error: error))
                        publishLocked()
                    }
                }
                condition.lock()
            }
        }
        policy.stopped()
        releaseClockWaitersLocked()
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

    /// One step on `batch`, with pseudo-labelled pool images when semi-supervised training is on and
    /// `thresholds` are set; returns the outcome, the teacher's forward passes and the pseudo-labelled
    /// images trained on. An image the teacher cannot read, or a step that fails only with pseudo-labels,
    /// takes those images out of the pool: they must not make the humans' samples suspects.
    private func train(_ batch: [Sample], thresholds: PseudoLabelThresholds?) -> (Result<StepLoss, any Error>, forwards: Int, pseudo: Int) {
        let semi = configuration.semiSupervision
        guard semi.isOn, let teacher, let thresholds else { return (Result { try model.trainStep(batch) }, 0, 0) }
        let teacherUpdate = teacher.updateCount
        var pseudo: [Sample] = [], forwards = 0
        for drawn in pool.drawForPseudoLabels(semi.unlabelledPerStep) {
            if let kept = drawn.kept, kept.serves(thresholds: thresholds, teacherUpdate: teacherUpdate, maxAge: semi.refreshAfter) {
                pseudo.append(kept.sample)
                continue
            }
            forwards += 1
            do {
                let labelled = try teacher.pseudoLabel(drawn.sample, thresholds: thresholds)
                pool.keep(.init(sample: labelled, teacherUpdate: teacherUpdate, thresholds: thresholds), for: drawn)
                pseudo.append(labelled)
            } catch {
                pool.remove(id: drawn.sample.id)
                logger.warning("unlabelled image '\(drawn.sample.id)' left out of semi-supervised training: \(error)")
            }
        }
        guard !pseudo.isEmpty else { return (Result { try model.trainStep(batch) }, forwards, 0) }
        let result = Result { try model.trainStep(batch, pseudoLabelled: pseudo, weight: semi.weight) }
        guard case .failure(let error) = result else { return (result, forwards, pseudo.count) }
        for sample in pseudo { pool.remove(id: sample.id) }
        logger.warning("step with pseudo-labels of \(pseudo.map(\.id)) failed (\(error)); those images left out, step retried on labels alone")
        return (Result { try model.trainStep(batch) }, forwards, 0)
    }

    /// Copies of the model's weights (its starting point for `shrinkOnArrival`).
    static func snapshot(of model: any LiveModel) throws -> [String: Tensor] {
        try withNoGrad { try model.weights.mapValues { try $0.detached().clone() } }
    }

    /// Moves the student's floating weights to `keep` × themselves + (1 − keep) × their start. A weight
    /// without a start of its shape is left as it is (a failure here costs the pull, never training).
    private func shrink(keeping keep: Double) {
        guard let start = startingWeights else { return }
        do {
            try withNoGrad {
                for (name, weight) in model.weights where weight.dtype.isFloatingPoint {
                    guard let initial = start[name], initial.shape == weight.shape else { continue }
                    try weight.lerpInPlace(initial, weight: 1 - keep)
                }
            }
        } catch {
            logger.error("shrink on arrival failed: \(error)")
        }
    }

    private func log(_ note: TrainingPolicy.Note?) {
        guard let note else { return }
        switch note.level {
        case .info: logger.info("\(note.message)")
        case .warning: logger.warning("\(note.message)")
        case .error: logger.error("\(note.message)")
        }
    }

    /// Writes a checkpoint of the model and the loop's bookkeeping. Runs on the training thread (the
    /// model's owner) without the lock held.
    func checkpointNow() throws -> URL {
        guard let root = configuration.checkpointDirectory else { throw TrainerError.noCheckpointDirectory }
        let record = condition.withLock { policy.checkpoint(sampleIDs: dataset.ids) }
        let url = try record.write(
            modelState: try model.state(), start: startingWeights, startWrittenAt: writtenStart, under: root, keep: configuration.checkpointsKept)
        writtenStart = startingWeights == nil ? nil : TrainerCheckpoint.startFile(besides: url.appendingPathComponent(TrainerCheckpoint.modelFile))
        condition.withLock {
            policy.checkpointWritten(step: record.step)
            publishLocked()
        }
        logger.debug("checkpoint at step \(record.step): \(url.path)")
        return url
    }

    private func publishLocked() { broadcaster.publish(snapshotLocked()) }

    private func snapshotLocked() -> TrainerStatus {
        let excluded = dataset.samples(at: policy.sampler.excluded.subtracting(dataset.retired).sorted()).map(\.id)
        return policy.status(samples: dataset.activeCount, excludedIDs: excluded, waits: waits.statistics, unlabelled: pool.count)
    }
}
