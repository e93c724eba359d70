import Foundation
import Logging
import Models
import Torch
import Vision

/// The live trainer of one project: owns the one model and trains it continuously on a growing
/// dataset while serving predictions from its latest state.
///
/// - Training starts by itself once `minSamples` samples can be trained on, runs on a dedicated thread
///   (`TrainingLoop`), and parks without using the CPU when the loss plateaus (`LossPlateauDetector`);
///   an append wakes it at once.
/// - `predict` may be called at any time. With an EMA teacher (the default in the server and replay) the
///   teacher answers from its own queue while the student trains (`EMATeacher`); without one, it waits
///   for the step in flight to finish (never interrupts one), runs before any further step, and training
///   then continues. The wait is measured (`status.predictWait`).
/// - A step that throws does not stop training: see `TrainingLoop.record`; the error shows in `status`.
/// - With a `checkpointDirectory`, it checkpoints every `checkpointEvery` steps and on `shutdown()`
///   (`TrainerCheckpoint`); `resume(from:...)` continues exactly from one.
public actor Trainer {
    /// How the trainer batches, parks and checkpoints.
    public struct Configuration: Sendable {
        /// Trainable samples needed before the first step (2: one image teaches a detector little and
        /// batches of one overfit it; the issue asks for training from the second label).
        public var minSamples: Int
        public var sampler: FrequencyBatchSampler.Configuration
        public var plateau: LossPlateauDetector.Configuration
        /// Where checkpoints go; nil disables them.
        public var checkpointDirectory: URL?
        /// Steps between automatic checkpoints; 0 writes them only on `checkpoint()` and `shutdown()`.
        public var checkpointEvery: Int
        /// Checkpoint directories kept (the newest ones).
        public var checkpointsKept: Int
        /// Begin in `.paused` until `start()` (for inspecting a resumed model before it trains on).
        public var startsPaused: Bool
        /// Train only the steps granted by `advance(steps:)` (the replay's virtual clock: an annotator's
        /// seconds become a stated number of steps, so a run does not depend on machine load).
        public var virtualClock: Bool
        /// The EMA teacher's decay (it ramps up to this; see `EMATeacher.decay`). Used only when the
        /// trainer is given a teacher model.
        public var teacherMomentum: Double
        /// Learning from the unlabelled pool (needs a teacher and thresholds; see `SemiSupervision`).
        public var semiSupervision: SemiSupervision
        /// Shrink on arrival: when a new labelled image arrives after training began, the student's
        /// floating weights (parameters and buffers) become `keep` × themselves + (1 − keep) × their
        /// pretrained start, once, before the next step. Fine-tuning one model as images arrive settles
        /// into its first images' solution and ends below a retrain on all of them (Ash & Adams, "On
        /// Warm-Starting Neural Network Training", NeurIPS 2020, shrink towards the initialisation); the
        /// pull gives each new image room. The EMA teacher that serves pre-labels is not touched: it
        /// follows over its averaging horizon. Optimiser moments stay. nil: off.
        public var shrinkOnArrival: Double?
        /// The training thread's nice value (Linux), set before its first kernel so that the OpenMP
        /// workers it starts inherit it. Training is background work: at 10 the teacher's pre-labels, the
        /// HTTP requests and the live evaluation take the cores first whenever they need them, and the step
        /// gets every cycle they leave (a CPU shared this way is not idle more often). 0 leaves it alone.
        public var threadNice: Int

        public init(
            minSamples: Int = 2, sampler: FrequencyBatchSampler.Configuration = .init(),
            plateau: LossPlateauDetector.Configuration = .init(), checkpointDirectory: URL? = nil,
            checkpointEvery: Int = 200, checkpointsKept: Int = 2, startsPaused: Bool = false, virtualClock: Bool = false,
            teacherMomentum: Double = 0.99, semiSupervision: SemiSupervision = .init(), shrinkOnArrival: Double? = nil,
            threadNice: Int = 10
        ) {
            self.minSamples = minSamples
            self.sampler = sampler
            self.plateau = plateau
            self.checkpointDirectory = checkpointDirectory
            self.checkpointEvery = checkpointEvery
            self.checkpointsKept = checkpointsKept
            self.startsPaused = startsPaused
            self.virtualClock = virtualClock
            self.teacherMomentum = teacherMomentum
            self.semiSupervision = semiSupervision
            self.shrinkOnArrival = shrinkOnArrival
            self.threadNice = threadNice
        }
    }

    /// A prediction with the time it queued behind training and the time the model took.
    public struct TimedPrediction: Sendable {
        public var prediction: Prediction
        public var waitSeconds: Double
        public var inferenceSeconds: Double
    }

    /// The samples being trained on; appending here (or via `append`) is seen by the next batch.
    public nonisolated let dataset: DynamicDataset
    /// The images nobody has labelled yet, pseudo-labelled by the teacher once thresholds are set.
    public nonisolated let pool: UnlabelledPool
    public nonisolated let configuration: Configuration
    private let loop: TrainingLoop
    private let teacher: EMATeacher?

    /// A trainer for `model` over `dataset` (which may already hold samples); the loop starts now.
    /// `teacher`: a second instance of the same architecture (its weights are overwritten with the
    /// student's) that serves predictions as an EMA of the student; nil predicts with the student.
    public init(
        model: any LiveModel, teacher: (any LiveModel)? = nil, dataset: DynamicDataset = DynamicDataset(),
        pool: UnlabelledPool = UnlabelledPool(), configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "livetrain.trainer")
    ) {
        self.init(
            model: model, teacher: teacher, dataset: dataset, pool: pool, configuration: configuration, logger: logger,
            sampler: FrequencyBatchSampler(configuration: configuration.sampler),
            detector: LossPlateauDetector(configuration: configuration.plateau), step: 0, lastCheckpointStep: nil, start: nil)
    }

    private init(
        model: any LiveModel, teacher teacherModel: (any LiveModel)?, dataset: DynamicDataset, pool: UnlabelledPool,
        configuration: Configuration, logger: Logger, sampler: FrequencyBatchSampler, detector: LossPlateauDetector, step: Int,
        lastCheckpointStep: Int?, start: [String: Tensor]?
    ) {
        self.dataset = dataset
        self.pool = pool
        self.configuration = configuration
        // The teacher starts as the student (after a resume too: checkpoints hold the student only). One
        // that cannot take the student's weights is a programming error; training goes on without it.
        let teacher = teacherModel.flatMap { teacherModel -> EMATeacher? in
            let teacher = EMATeacher(model: teacherModel, momentum: configuration.teacherMomentum)
            do { try teacher.copy(from: model) } catch {
                logger.error("EMA teacher disabled: \(error)")
                return nil
            }
            teacher.warmUp()
            return teacher
        }
        self.teacher = teacher
        loop = TrainingLoop(
            model: model, dataset: dataset, pool: pool, configuration: configuration, logger: logger, sampler: sampler,
            detector: detector, step: step, lastCheckpointStep: lastCheckpointStep, teacher: teacher, start: start)
        loop.start()
    }

    /// Continues from a checkpoint directory (or the newest one under a root): loads the model's state
    /// (weights and optimiser) into `model` and restores step, sampler and plateau detector, whose saved
    /// configurations win over `configuration.sampler` / `.plateau` so the run continues exactly.
    ///
    /// Samples are not stored in checkpoints (they live in the project's store): `loadSample` is called
    /// once per recorded id, in arrival order, and returns the sample or nil when it no longer exists;
    /// missing samples are dropped and the rest renumbered with their times-seen kept. Samples appended
    /// afterwards are new arrivals.
    ///
    /// With `shrinkOnArrival`, the weights shrunk towards are the checkpoint's `start.safetensors`; a
    /// checkpoint without a readable one (written with shrinking off) shrinks towards `model`'s weights as
    /// given, before the checkpoint is loaded: its pretrained backbone, and a head initialised anew.
    public static func resume(
        from directory: URL, model: any LiveModel, teacher: (any LiveModel)? = nil, pool: UnlabelledPool = UnlabelledPool(),
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "livetrain.trainer"), loadSample: (String) throws -> Sample?
    ) throws -> Trainer {
        let (checkpoint, modelFile) = try TrainerCheckpoint.read(from: directory)
        var start: [String: Tensor]?
        if configuration.shrinkOnArrival != nil {
            // An unreadable start costs the exact target, never the checkpoint.
            let saved = TrainerCheckpoint.startFile(besides: modelFile)
            if FileManager.default.fileExists(atPath: saved.path) {
                do { start = try Safetensors.read(saved, device: model.device) } catch {
                    logger.warning("resume: \(saved.path) unreadable (\(error)); shrinking towards the given model's weights")
                }
            }
            if start == nil { start = try TrainingLoop.snapshot(of: model) }
        }
        try model.load(try Safetensors.read(modelFile, device: model.device))
        var kept: [Int] = []
        let dataset = DynamicDataset()
        for (index, id) in checkpoint.sampleIDs.enumerated() {
            guard let sample = try loadSample(id) else {
                logger.warning("resume: sample '\(id)' no longer exists; dropped")
                continue
            }
            guard sample.id == id else {
                throw TrainerError.checkpoint("loadSample(\"\(id)\") returned sample '\(sample.id)'")
            }
            dataset.append(sample)
            kept.append(index)
        }
        var sampler = checkpoint.sampler
        if kept.count != checkpoint.sampleIDs.count { sampler.keep(kept) }
        return Trainer(
            model: model, teacher: teacher, dataset: dataset, pool: pool, configuration: configuration, logger: logger, sampler: sampler,
            detector: checkpoint.detector, step: checkpoint.step, lastCheckpointStep: checkpoint.step, start: start)
    }

    deinit { loop.abandon() }

    /// Adds a labelled sample (or replaces the one with its id); wakes a parked loop.
    @discardableResult
    public func append(_ sample: Sample) -> DynamicDataset.Arrival { dataset.append(sample) }

    /// Takes the sample with `id` out of training (its annotation was deleted); the model keeps what it
    /// learnt from it. Appending the id again brings it back.
    @discardableResult
    public func remove(id: String) -> Bool { dataset.remove(id: id) != nil }

    /// The model's prediction from its latest weights, taken between two training steps.
    public func predict(_ image: Image) async throws -> Prediction {
        try await timedPredict(image).prediction
    }

    public func timedPredict(_ image: Image) async throws -> TimedPrediction {
        if let teacher {
            guard !loop.isStopping else { throw TrainerError.stopped }
            let timed = try await teacher.predict(image)
            loop.recordWait(timed.waitSeconds)
            return timed
        }
        let ((prediction, inference), waited) = try await loop.perform(measured: true) { model in
            let started = ContinuousClock.now
            let prediction = try model.predict(image)
            return (prediction, started.duration(to: .now))
        }
        return TimedPrediction(prediction: prediction, waitSeconds: waited.seconds, inferenceSeconds: inference.seconds)
    }

    /// Which teacher predictions the student learns as labels; nil (the start, and whenever no class is
    /// reliable) trains on the humans' labels only. Needs a teacher: without one this does nothing.
    public func setPseudoLabelThresholds(_ thresholds: PseudoLabelThresholds?) { loop.setPseudoLabelThresholds(thresholds) }

    /// Averaging steps the EMA teacher has taken; nil without a teacher.
    public var teacherUpdates: Int? { teacher?.updateCount }

    /// Runs `body` with exclusive use of the model between two steps (held-out evaluation, export).
    /// Leave the model in train mode, as `LiveModel.predict` does.
    public func withModel<T: Sendable>(_ body: @escaping @Sendable (any LiveModel) throws -> T) async throws -> T {
        try await loop.perform(measured: false, body).0
    }

    /// A copy of the model's full state (weights and optimiser), taken between steps.
    public func modelState() async throws -> [String: Tensor] {
        try await withModel { model in
            try withNoGrad { try model.state().mapValues { try $0.detached().clone() } }
        }
    }

    public var status: TrainerStatus { loop.status }

    /// Status snapshots: the current one at once, then every change (a slow reader gets the newest).
    /// Finishes when the trainer stops.
    public nonisolated func statusUpdates() -> AsyncStream<TrainerStatus> { loop.broadcaster.stream() }

    /// Holds training after the step in flight (predictions still run) until `start()`.
    public func pause() { loop.setPaused(true) }

    public func start() { loop.setPaused(false) }

    /// On a virtual clock, lets `steps` steps' worth of time pass: returns once they are trained, or
    /// sooner when the trainer parks (plateau, too few samples), which forfeits the rest, as idle time
    /// would. Returns the steps taken. Without a virtual clock it returns 0 at once.
    @discardableResult
    public func advance(steps: Int) async -> Int {
        guard configuration.virtualClock else { return 0 }
        return await loop.advance(steps: steps)
    }

    /// Writes a checkpoint between steps and returns its directory.
    @discardableResult
    public func checkpoint() async throws -> URL {
        guard configuration.checkpointDirectory != nil else { throw TrainerError.noCheckpointDirectory }
        return try await loop.perform(measured: false) { [loop] _ in try loop.checkpointNow() }.0
    }

    /// Finishes the step in flight and the queued predictions, writes a final checkpoint (when a
    /// directory is configured) and stops the thread. Returns the checkpoint's directory.
    @discardableResult
    public func shutdown() async throws -> URL? {
        try await loop.stop(checkpoint: configuration.checkpointDirectory != nil).get()
    }
}
