import Foundation
import LiveTraining
import Logging
import Models
import Store
import Torch
import Vision

/// One project's live model: its trainer, its live evaluator and the description needed to export it.
final class ProjectEngine: @unchecked Sendable {
    let spec: ProjectSpec
    let trainer: Trainer
    let architecture: [String: String]
    private let lock = NSLock()
    private var evaluator: LiveEvaluator

    init(spec: ProjectSpec, trainer: Trainer, architecture: [String: String]) {
        self.spec = spec
        self.trainer = trainer
        self.architecture = architecture
        let metric: LiveEvaluator.Metric = switch spec.task {
        case .detection: .box
        case .instance: .mask
        case .semantic: .semantic
        }
        evaluator = LiveEvaluator(metric: metric, semanticClasses: Swift.max(spec.classNames.count, 2))
    }

    /// Builds the task's model from the pretrained backbone, resuming from the newest checkpoint when
    /// one exists; labelled images not in that checkpoint are appended as new arrivals.
    static func start(spec: ProjectSpec, config: EngineConfig, labelled: [Sample], logger: Logger) throws -> ProjectEngine {
        let (model, architecture) = try makeModel(spec: spec, config: config)
        let directory = checkpointDirectory(project: spec.id, config: config)
        let trainerConfig = Trainer.Configuration(checkpointDirectory: directory, checkpointEvery: config.checkpointEvery)
        let byID = Dictionary(labelled.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let trainer: Trainer
        if FileManager.default.fileExists(atPath: directory.path),
           let resumed = try? Trainer.resume(from: directory, model: model, configuration: trainerConfig, logger: logger, loadSample: { byID[$0] }) {
            trainer = resumed
            logger.info("project \(spec.id): resumed from checkpoint in \(directory.path)")
        } else {
            trainer = Trainer(model: model, configuration: trainerConfig, logger: logger)
        }
        for sample in labelled where trainer.dataset.index(ofID: sample.id) == nil { trainer.dataset.append(sample) }
        return ProjectEngine(spec: spec, trainer: trainer, architecture: architecture)
    }

    /// Where a project's trainer keeps its checkpoints.
    static func checkpointDirectory(project: Int64, config: EngineConfig) -> URL {
        config.checkpoints.appendingPathComponent("project-\(project)", isDirectory: true)
    }

    static func makeModel(spec: ProjectSpec, config: EngineConfig) throws -> (any LiveModel, [String: String]) {
        let task = ModelTask(rawValue: spec.task.rawValue) ?? .detection
        var model = LiveModelSpec(task: task, classes: Swift.max(spec.classNames.count, task == .semantic ? 2 : 1))
        (model.backbone, model.inputSize) = (config.backbone, config.inputSize)
        return (try model.make(weights: config.weights, device: config.device), model.architecture)
    }

    /// Records the prediction shown (or withheld) when an image was opened.
    func opened(imageID: Int64, prediction: Prediction) {
        lock.withLock { evaluator.opened(imageID: "\(imageID)", prediction: prediction) }
    }

    /// Scores the prediction made when the image was opened against its final annotation.
    func submitted(imageID: Int64, annotation: Annotation) -> LiveScore? {
        lock.withLock {
            guard let e = evaluator.submitted(imageID: "\(imageID)", annotation: annotation) else { return nil }
            return LiveScore(ap: e.ap, ap50: e.ap50, apEMA: e.apEMA, ap50EMA: e.ap50EMA,
                             perClass: e.perClass.map(named), perClassEMA: evaluator.perClassEMA.map(named))
        }
    }

    /// Class-index keys as the project's class names.
    private func named(_ byIndex: [String: Double]) -> [String: Double] {
        Dictionary(byIndex.map { key, value in
            let name = Int(key).flatMap { spec.classNames.indices.contains($0) ? spec.classNames[$0] : nil } ?? key
            return (name, value)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Pre-labels are shown once the live metric is above zero and the model has trained at all (an
    /// untrained model that predicts nothing on an image with nothing to label scores a perfect 1).
    var isReady: Bool { lock.withLock { evaluator.isReady && trainedSteps > 0 } }
    private var trainedSteps = 0

    /// Notes the trainer's step (readiness needs a trained model).
    func observe(step: Int) { lock.withLock { trainedSteps = step } }

    func status(_ s: TrainerStatus) -> TrainingStatus {
        observe(step: s.step)
        let state: TrainingStatus.State = switch s.state {
        case .waitingForLabels: .waitingForLabels
        case .training: .training
        case .pausedPlateau: .pausedPlateau
        case .paused: .paused
        case .stopped: .stopped
        }
        let (ap, ap50, perClass) = lock.withLock { (evaluator.apEMA, evaluator.ap50EMA, evaluator.perClassEMA) }
        return TrainingStatus(state: state, step: s.step, loss: s.smoothedLoss ?? s.lastLoss?.total, samples: s.samples,
                              liveAP: ap, liveAP50: ap50, prelabelReady: isReady, lastPrelabelWaitSeconds: s.predictWait.lastSeconds,
                              lastCheckpointStep: s.lastCheckpointStep, lastError: s.lastError, livePerClass: perClass.map(named))
    }
}
