import Foundation
import Models
import Server

/// A small, real, in-memory engine for the server tests: it keeps submitted annotations as samples,
/// "predicts" the boxes of the latest sample, is ready after `readyAfter` samples, and scores a
/// pre-label by the share of annotated boxes it found at IoU >= 0.5.
final class InMemoryTrainingService: LiveTrainingService, @unchecked Sendable {
    struct Submission: Equatable {
        var project: Int64
        var imageID: Int64
        var annotation: Annotation
        var openedPrediction: Prediction?
    }

    private let lock = NSLock()
    private let readyAfter: Int
    /// When set, every events stream sends these and finishes (the test client reads whole responses).
    private let scriptedUpdates: [TrainingStatus]?
    private var samples: [Int64: Annotation] = [:]
    private var latest: Annotation?
    private var step = 0
    private var primaryEMA: Double?
    private var subscribers: [UUID: AsyncStream<TrainingStatus>.Continuation] = [:]
    private(set) var submissions: [Submission] = []
    private(set) var opened: [Int64] = []
    private(set) var removedImages: [Int64] = []
    /// Projects whose labels were imported in bulk.
    private(set) var importedProjects: [Int64] = []
    private(set) var deletedProjects: [Int64] = []
    /// Makes `open` throw, as a crashed model would.
    var failsToPredict = false

    init(readyAfter: Int = 2, scriptedUpdates: [TrainingStatus]? = nil) {
        self.readyAfter = readyAfter
        self.scriptedUpdates = scriptedUpdates
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func open(project: ProjectSpec, image: ImageRef) async throws -> OpenResult {
        try locked {
            opened.append(image.id)
            if failsToPredict { throw TrainingServiceError.unavailable("model crashed") }
            guard samples.count >= readyAfter, let latest else { return OpenResult(prediction: nil, ready: false, modelStep: step) }
            let objects = latest.objects.map { Prediction.Object(classIndex: $0.classIndex, box: $0.box, score: 0.9) }
            return OpenResult(prediction: Prediction(objects: objects), ready: true, modelStep: step)
        }
    }

    func submitted(project: ProjectSpec, image: ImageRef, annotation: Annotation, openedPrediction: Prediction?) async
        -> LiveScore?
    {
        let (score, status) = locked { () -> (LiveScore?, TrainingStatus) in
            submissions.append(.init(project: project.id, imageID: image.id, annotation: annotation, openedPrediction: openedPrediction))
            samples[image.id] = annotation
            latest = annotation
            step += 10
            var score: LiveScore?
            if let openedPrediction {
                let found = annotation.objects.filter { truth in
                    openedPrediction.objects.contains { $0.classIndex == truth.classIndex && $0.box.iou(truth.box) >= 0.5 }
                }
                let recall = annotation.objects.isEmpty ? 1 : Double(found.count) / Double(annotation.objects.count)
                let ema = primaryEMA.map { 0.8 * $0 + 0.2 * recall } ?? recall
                primaryEMA = ema
                score = LiveScore(metric: "boxAP", primary: recall, secondary: recall, primaryEMA: ema, secondaryEMA: ema)
            }
            return (score, currentStatus())
        }
        broadcast(status)
        return score
    }

    func imported(project: ProjectSpec) async {
        locked { importedProjects.append(project.id) }
    }

    func removed(project: ProjectSpec, imageID: Int64) async {
        let status = locked {
            removedImages.append(imageID)
            samples[imageID] = nil
            return currentStatus()
        }
        broadcast(status)
    }

    func deleted(project: ProjectSpec) async {
        let status = locked {
            deletedProjects.append(project.id)
            samples = [:]
            return currentStatus()
        }
        broadcast(status)
    }

    func status(project: ProjectSpec) async -> TrainingStatus {
        locked { currentStatus() }
    }

    func statusUpdates(project: ProjectSpec) -> AsyncStream<TrainingStatus> {
        let (stream, continuation) = AsyncStream<TrainingStatus>.makeStream()
        if let scriptedUpdates {
            for status in scriptedUpdates { continuation.yield(status) }
            continuation.finish()
            return stream
        }
        let id = UUID()
        locked { subscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.locked { self?.subscribers[id] = nil } }
        return stream
    }

    func exportModel(project: ProjectSpec) async throws -> ModelExport {
        try locked {
            guard step > 0 else { throw TrainingServiceError.notReady("no training step has run yet") }
            let descriptor = #"{"architecture":"echo","classes":\#(project.classNames),"step":\#(step)}"#
            return ModelExport(weights: Data("weights at step \(step)".utf8), descriptor: Data(descriptor.utf8))
        }
    }

    /// Ends every open events stream, as the engine does when it shuts down.
    func finishStreams() {
        let all = locked { () -> [AsyncStream<TrainingStatus>.Continuation] in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }

    private func currentStatus() -> TrainingStatus {
        TrainingStatus(
            state: samples.isEmpty ? .waitingForLabels : .training, step: step,
            loss: step == 0 ? nil : 1 / Double(1 + step), samples: samples.count, liveMetric: "boxAP",
            livePrimary: primaryEMA, liveSecondary: primaryEMA,
            prelabelReady: samples.count >= readyAfter)
    }

    private func broadcast(_ status: TrainingStatus) {
        let all = locked { Array(subscribers.values) }
        for continuation in all { continuation.yield(status) }
    }
}
