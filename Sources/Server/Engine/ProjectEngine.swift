import Foundation
import LiveTraining
import Logging
import Models
import Store
import Torch
import Vision

/// One project's live model: its annotation loop (`LiveSession`, which owns the trainer and the live
/// metric) and the description needed to export it.
final class ProjectEngine: Sendable {
    let spec: ProjectSpec
    let session: LiveSession
    let architecture: [String: String]
    var trainer: Trainer { session.trainer }

    init(spec: ProjectSpec, session: LiveSession, architecture: [String: String]) {
        self.spec = spec
        self.session = session
        self.architecture = architecture
    }

    /// Builds the task's model from the pretrained backbone, resuming from the newest checkpoint when
    /// one exists; labelled images not in that checkpoint are appended as new arrivals. The live metric
    /// is rebuilt from the stored `scores`, oldest first.
    static func start(
        spec: ProjectSpec, config: EngineConfig, labelled: [Sample], unlabelled: UnlabelledPool = UnlabelledPool(),
        scores: [LiveSession.StoredScore], logger: Logger
    ) throws -> ProjectEngine {
        let (model, architecture) = try makeModel(spec: spec, config: config)
        let teacher = config.teacher ? try makeModel(spec: spec, config: config).0 : nil
        let directory = checkpointDirectory(project: spec.id, config: config)
        let trainerConfig = Trainer.Configuration(
            checkpointDirectory: directory, checkpointEvery: config.checkpointEvery,
            semiSupervision: config.semiSupervised ? .init() : .off, shrinkOnArrival: config.shrinkOnArrival,
            threadNice: config.trainingNice)
        let byID = Dictionary(labelled.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let trainer: Trainer
        if FileManager.default.fileExists(atPath: directory.path),
           let resumed = try? Trainer.resume(
               from: directory, model: model, teacher: teacher, pool: unlabelled, configuration: trainerConfig, logger: logger,
               loadSample: { byID[$0] }) {
            trainer = resumed
            logger.info("project \(spec.id): resumed from checkpoint in \(directory.path)")
        } else {
            trainer = Trainer(model: model, teacher: teacher, pool: unlabelled, configuration: trainerConfig, logger: logger)
        }
        for sample in labelled where trainer.dataset.index(ofID: sample.id) == nil { trainer.dataset.append(sample) }
        let session = LiveSession(trainer: trainer, task: spec.task, classes: spec.classNames.count, restoring: scores)
        return ProjectEngine(spec: spec, session: session, architecture: architecture)
    }

    /// Where a project's trainer keeps its checkpoints.
    static func checkpointDirectory(project: Int64, config: EngineConfig) -> URL {
        config.checkpoints.appendingPathComponent("project-\(project)", isDirectory: true)
    }

    static func makeModel(spec: ProjectSpec, config: EngineConfig) throws -> (any LiveModel, [String: String]) {
        let task = spec.task
        var model = LiveModelSpec(task: task, classes: Swift.max(spec.classNames.count, task == .semantic ? 2 : 1))
        (model.backbone, model.inputSize) = (config.backbone, config.inputSize)
        return (try model.make(weights: config.weights, device: config.device), model.architecture)
    }

    /// The live score of a submitted image, with class names for class indices.
    func score(_ e: LiveEvaluator.Evaluation) -> LiveScore {
        LiveScore(metric: spec.task.metric.id, primary: e.primary, secondary: e.secondary,
                  primaryEMA: e.primaryEMA, secondaryEMA: e.secondaryEMA, perClass: e.perClass.map(named), perClassEMA: session.averages.perClass.map(named))
    }

    /// Class-index keys as the project's class names.
    private func named(_ byIndex: [String: Double]) -> [String: Double] {
        Dictionary(byIndex.map { key, value in
            let name = Int(key).flatMap { spec.classNames.indices.contains($0) ? spec.classNames[$0] : nil } ?? key
            return (name, value)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// The classes calibrated on their own, by class name; indices the project does not name are left out
    /// (a client could not map them to a class).
    func classMinScores(_ thresholds: ClassThresholds) -> [String: Double] {
        Dictionary(thresholds.perClass.compactMap { index, value in
            spec.classNames.indices.contains(index) ? (spec.classNames[index], value) : nil
        }, uniquingKeysWith: { first, _ in first })
    }

    func status(_ s: TrainerStatus) -> TrainingStatus {
        session.observe(step: s.step)
        let (primary, secondary, perClass) = session.averages
        return TrainingStatus(state: s.state, step: s.step, loss: s.smoothedLoss ?? s.lastLoss?.total, samples: s.samples,
                              liveMetric: spec.task.metric.id, livePrimary: primary, liveSecondary: secondary, prelabelReady: session.isReady, lastPrelabelWaitSeconds: s.predictWait.lastSeconds,
                              lastCheckpointStep: s.lastCheckpointStep, lastError: s.lastError, livePerClass: perClass.map(named),
                              unlabelledImages: s.unlabelledImages, pseudoLabelledImages: s.pseudoLabelledImages, shrinks: s.shrinks)
    }
}
