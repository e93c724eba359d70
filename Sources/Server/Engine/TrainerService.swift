import Foundation
import LiveTraining
import Logging
import Models
import Store
import Torch
import Vision

/// The real engine behind the server: one `Trainer` per project, started when the server starts (for
/// projects with labels) or on first use, resuming from its newest checkpoint, fed every committed
/// annotation. Samples stay on disk and are decoded per batch through one bounded `ImageCache`.
public actor TrainerService: LiveTrainingService {
    let config: EngineConfig
    let store: Store
    let imagesDirectory: URL
    let logger: Logger
    let cache: ImageCache
    private var engines: [Int64: Task<ProjectEngine, any Error>] = [:]
    /// Tasks noting checkpoints in the store; each ends when its trainer's status stream does.
    private var recorders: [Task<Void, Never>] = []

    public init(config: EngineConfig, store: Store, imagesDirectory: URL, logger: Logger = Logger(label: "livetrain.engine")) {
        self.config = config
        self.store = store
        self.imagesDirectory = imagesDirectory
        self.logger = logger
        cache = ImageCache(capacityBytes: config.imageCacheBytes)
    }

    /// Starts, in the background, the model of every project that has labels: after a restart training
    /// goes on before anyone opens an image, and `/status` counts every sample. Returns at once.
    public func resumeLabelledProjects() async throws {
        for summary in try await store.projects() where summary.counts.labelled > 0 {
            _ = start(ProjectSpec(summary))
        }
    }

    /// The project's engine, created once; concurrent callers share the same start-up.
    func engine(_ spec: ProjectSpec) async throws -> ProjectEngine {
        let task = start(spec)
        do { return try await task.value } catch {
            if engines[spec.id] == task { engines[spec.id] = nil }
            throw TrainingServiceError.unavailable("cannot start the model of project \(spec.id): \(error)")
        }
    }

    /// The start-up of the project's engine, begun now unless under way. Listing samples reads only
    /// the store: no image is decoded before a batch needs it.
    private func start(_ spec: ProjectSpec) -> Task<ProjectEngine, any Error> {
        if let running = engines[spec.id] { return running }
        let (store, config, logger, directory, cache) = (store, config, logger, imagesDirectory, cache)
        let task = Task<ProjectEngine, any Error> {
            var labelled: [Sample] = [], unlabelled: [Sample] = []
            for (image, annotation) in try await store.imagesWithAnnotations(project: spec.id) {
                guard let annotation else {
                    unlabelled.append(Self.sample(image, Annotation(), directory: directory, cache: cache))
                    continue
                }
                labelled.append(Self.sample(image, Annotation(annotation), directory: directory, cache: cache))
            }
            // Per-class scores are stored by class name (what the API shows); the session counts by index.
            let index = Dictionary(spec.classNames.enumerated().map { ($1, "\($0)") }, uniquingKeysWith: { first, _ in first })
            let scores = try await store.evaluations(project: spec.id).map { e in
                LiveSession.StoredScore(
                    imageID: "\(e.imageId)", primary: e.primary, secondary: e.secondary,
                    perClass: e.perClass.map { Dictionary($0.compactMap { name, v in index[name].map { ($0, v) } }, uniquingKeysWith: { a, _ in a }) })
            }
            let engine = try ProjectEngine.start(
                spec: spec, config: config, labelled: labelled, unlabelled: UnlabelledPool(unlabelled), scores: scores, logger: logger)
            if let recorder = Self.recordCheckpoints(of: engine, project: spec.id, in: store, logger: logger) {
                await self.track(recorder)
            }
            logger.info("project \(spec.id): model started with \(labelled.count) labelled images")
            return engine
        }
        engines[spec.id] = task
        return task
    }

    /// A stored labelled image as a training sample: pixels on disk, decoded when a batch needs them.
    static func sample(_ image: ImageRecord, _ annotation: Annotation, directory: URL, cache: ImageCache) -> Sample {
        let url = directory.appendingPathComponent("\(image.projectId)").appendingPathComponent(image.fileName)
        return Sample(id: "\(image.id)", file: url, width: image.width, height: image.height, cache: cache, annotation: annotation)
    }

    /// Notes each checkpoint the trainer writes in the store (the project's training history); the
    /// checkpoint folder stays the truth a restart resumes from, and old folders are pruned from it.
    private static func recordCheckpoints(of engine: ProjectEngine, project: Int64, in store: Store, logger: Logger)
        -> Task<Void, Never>?
    {
        guard let root = engine.trainer.configuration.checkpointDirectory else { return nil }
        return Task {
            var recorded = await engine.trainer.status.lastCheckpointStep
            for await status in engine.trainer.statusUpdates() {
                guard let step = status.lastCheckpointStep, step != recorded else { continue }
                recorded = step
                let path = TrainerCheckpoint.latest(in: root)?.path ?? root.path
                do { _ = try await store.recordCheckpoint(project: project, step: step, path: path) } catch {
                    logger.warning("project \(project): checkpoint at step \(step) not recorded: \(error)")
                }
            }
        }
    }

    public func open(project: ProjectSpec, image: ImageRef) async throws -> OpenResult {
        let engine = try await engine(project)
        // Through the cache: an opened image is usually labelled next and trained on soon after.
        let opening = try await engine.session.open(try cache.image(at: image.url))
        return OpenResult(
            prediction: opening.prediction, ready: opening.shown, modelStep: opening.modelStep,
            suggestedMinScore: engine.session.suggestedMinScore,
            suggestedClassMinScores: engine.session.suggestedClassThresholds.map(engine.classMinScores))
    }

    public func submitted(project: ProjectSpec, image: ImageRef, annotation: Annotation, openedPrediction: Prediction?) async -> LiveScore? {
        do {
            let engine = try await engine(project)
            let sample = Sample(id: "\(image.id)", file: image.url, width: image.width, height: image.height, cache: cache, annotation: annotation)
            return await engine.session.submit(sample, opened: openedPrediction).map(engine.score)
        } catch {
            logger.error("project \(project.id): image \(image.id) not added to training: \(error)")
            return nil
        }
    }

    public func removed(project: ProjectSpec, imageID: Int64) async {
        // A project whose model is not running has nothing to forget: its next start reads the store.
        guard let running = engines[project.id], let engine = try? await running.value else { return }
        if await engine.trainer.remove(id: "\(imageID)") {
            logger.info("project \(project.id): annotation of image \(imageID) deleted; no longer trained on")
        }
        // Unlabelled again: back to the pool semi-supervised training draws from (gone if the image is).
        if let image = try? await store.image(project: project.id, id: imageID) {
            engine.trainer.pool.insert(Self.sample(image, Annotation(), directory: imagesDirectory, cache: cache))
        }
    }

    public func imported(project: ProjectSpec) async {
        // A model that is not running reads every label from the store when it starts.
        guard let running = engines[project.id], let engine = try? await running.value else { return }
        do {
            var added = 0
            for (image, annotation) in try await store.imagesWithAnnotations(project: project.id) {
                guard engine.trainer.dataset.index(ofID: "\(image.id)") == nil else { continue }
                guard let annotation else {
                    engine.trainer.pool.insert(Self.sample(image, Annotation(), directory: imagesDirectory, cache: cache))
                    continue
                }
                engine.trainer.pool.remove(id: "\(image.id)")
                await engine.trainer.append(Self.sample(image, Annotation(annotation), directory: imagesDirectory, cache: cache))
                added += 1
            }
            logger.info("project \(project.id): \(added) imported labels added to training")
        } catch {
            logger.error("project \(project.id): imported labels not added to training: \(error)")
        }
    }

    public func uploaded(project: ProjectSpec, image: ImageRecord) async {
        // A model that is not running reads the pool from the store when it starts.
        guard let running = engines[project.id], let engine = try? await running.value else { return }
        engine.trainer.pool.insert(Self.sample(image, Annotation(), directory: imagesDirectory, cache: cache))
    }

    public func deleted(project: ProjectSpec) async {
        if let running = engines.removeValue(forKey: project.id), let engine = try? await running.value {
            do { _ = try await engine.trainer.shutdown() } catch { logger.warning("project \(project.id): trainer stopped with \(error)") }
        }
        try? FileManager.default.removeItem(at: ProjectEngine.checkpointDirectory(project: project.id, config: config))
        logger.info("project \(project.id): deleted; trainer stopped, checkpoints removed")
    }

    /// A project whose model has not been started (nobody opened or submitted since the server started)
    /// reports as waiting rather than being started: `/metrics` asks for every project on each scrape.
    public func status(project: ProjectSpec) async -> TrainingStatus {
        let metric = project.task.metric.id
        guard let running = engines[project.id] else { return TrainingStatus(state: .waitingForLabels, liveMetric: metric) }
        guard let engine = try? await running.value else {
            return TrainingStatus(state: .stopped, liveMetric: metric, lastError: "model failed to start")
        }
        return engine.status(await engine.trainer.status)
    }

    public nonisolated func statusUpdates(project: ProjectSpec) -> AsyncStream<TrainingStatus> {
        AsyncStream { continuation in
            let task = Task {
                guard let engine = try? await self.engine(project) else { return continuation.finish() }
                continuation.yield(engine.status(await engine.trainer.status))
                for await s in engine.trainer.statusUpdates() { continuation.yield(engine.status(s)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func exportModel(project: ProjectSpec) async throws -> ModelExport {
        let engine = try await engine(project)
        let status = await engine.trainer.status
        guard status.step > 0 else { throw TrainingServiceError.notReady("the model has not trained yet") }
        let state = try await engine.trainer.modelState().filter { $0.key.hasPrefix("model.") }
        let weights = try Safetensors.encode(Dictionary(uniqueKeysWithValues: state.map { (String($0.key.dropFirst(6)), $0.value) }))
        var descriptor: [String: Any] = engine.architecture
        descriptor["classes"] = project.classNames
        descriptor["step"] = status.step
        descriptor["format"] = "safetensors state dict of livetrain's \(engine.architecture["model"] ?? "model"); inputs letterboxed to inputSize"
        return ModelExport(weights: weights, descriptor: try JSONSerialization.data(withJSONObject: descriptor, options: [.prettyPrinted, .sortedKeys]))
    }

    /// Checkpoints every running trainer and stops them (server shutdown).
    private func track(_ recorder: Task<Void, Never>) { recorders.append(recorder) }

    public func shutdown() async {
        for (id, task) in engines {
            guard let engine = try? await task.value else { continue }
            do { _ = try await engine.trainer.shutdown() } catch { logger.error("project \(id): final checkpoint failed: \(error)") }
        }
        engines = [:]
        // The final checkpoints are noted in the store before the caller closes it.
        for recorder in recorders { await recorder.value }
        recorders = []
    }
}
