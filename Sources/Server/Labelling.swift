import Formats
import Foundation
import Logging
import Models
import Store

/// The labelling loop between store and engine: open (pre-label), submit (durable first, then train
/// and score), skip and delete. Each route that changes labels calls one function here.
struct Labelling: Sendable {
    let store: Store
    let service: any LiveTrainingService
    let files: ImageFiles
    let metrics: ServerMetrics
    let logger: Logger

    /// Asks the engine for a pre-label, shows it only when the engine says the live model is ready,
    /// and records what was shown so the submission can be scored against it.
    func open(project: Int64, image id: Int64, who: String) async throws -> OpenImageJSON {
        let spec = ProjectSpec(try await store.project(project))
        let image = try await store.image(project: project, id: id)
        let current: AnnotationRecord?
        do {
            current = try await store.annotation(project: project, image: id)
        } catch StoreError.annotationNotFound {
            current = nil
        }
        var result = OpenResult(prediction: nil, ready: false, modelStep: nil)
        // A labelled image reopens with its labels and no pre-label: a later submit must not be scored
        // against a prediction nobody saw.
        if current == nil {
            let start = ContinuousClock.now
            do {
                result = try await service.open(project: spec, image: ref(image))
            } catch {
                // A failing model must not stop people labelling: open without a pre-label.
                logger.warning("pre-label for image \(id) of project \(project) failed: \(error)")
            }
            metrics.recordPrelabelWait(ContinuousClock.now - start)
        }
        let shown = result.ready ? result.prediction : nil
        var opening: Int64?
        if current == nil {
            // Kept shown or not: the live metric that unlocks pre-labels is scored while they are hidden.
            opening = try await store.recordOpened(
                project: project, image: id, prediction: try result.prediction.map(Self.json), shown: result.ready,
                modelStep: result.modelStep, who: who
            ).id
        }
        let version: Int
        if let current { version = current.version } else { version = try await store.annotationVersion(project: project, image: id) }
        return OpenImageJSON(
            image: ImageJSON(image), prediction: shown, ready: result.ready, modelStep: result.modelStep, opening: opening,
            annotation: current.map(AnnotationJSON.init), version: version, suggestedMinScore: result.suggestedMinScore,
            suggestedClassMinScores: result.suggestedClassMinScores)
    }

    /// Commits the annotation, then hands it to the engine and stores the live score of the pre-label
    /// it replaced (the `opening` named, else the latest). The reply waits for the commit, not for training.
    func submit(
        project: Int64, image id: Int64, objects: [AnnotatedObject], labels: LabelRuns?, source: AnnotationSource,
        annotator: Annotator, expectedVersion: Int? = nil, activeSeconds: Double? = nil, opening: Int64? = nil
    )
        async throws -> SubmitAnnotationJSON
    {
        guard [.drawn, .prelabelAccepted, .edited].contains(source) else {
            throw APIError(.unprocessableContent, "source must be drawn, prelabel-accepted or edited, not \(source.rawValue)")
        }
        if let activeSeconds, !(activeSeconds.isFinite && (0...Store.maxActiveSeconds).contains(activeSeconds)) {
            throw APIError(.badRequest, "activeSeconds must be a finite number of seconds in 0...86400")
        }
        let saved = try await store.saveAnnotation(
            project: project, image: id, objects: objects.map(DatasetObject.init), labels: labels, source: source,
            who: annotator.name, expectedVersion: expectedVersion, annotator: annotator.holder, activeSeconds: activeSeconds,
            opening: opening)
        let spec = ProjectSpec(try await store.project(project))
        let opened = saved.unscoredPrediction
        let prediction = opened?.prediction.flatMap { try? JSONDecoder().decode(Prediction.self, from: Data($0.utf8)) }
        let annotation = Annotation(saved.annotation)
        let score = await service.submitted(
            project: spec, image: ref(saved.image), annotation: annotation, openedPrediction: prediction)
        if let score, let opened, prediction != nil {
            try await store.recordEvaluation(
                openedPrediction: opened.id, primary: score.primary, secondary: score.secondary,
                primaryEMA: score.primaryEMA, secondaryEMA: score.secondaryEMA, perClass: score.perClass)
        }
        // The annotator is told the score of a pre-label only when they saw one.
        return SubmitAnnotationJSON(
            annotation: AnnotationJSON(saved.annotation), image: ImageJSON(saved.image),
            liveScore: opened?.shown == true ? score : nil)
    }

    /// Removes the annotation (history keeps it) and takes the sample out of training.
    func delete(project: Int64, image id: Int64, who: String, expectedVersion: Int? = nil) async throws -> ImageJSON {
        let image = try await store.deleteAnnotation(project: project, image: id, who: who, expectedVersion: expectedVersion)
        await service.removed(project: ProjectSpec(try await store.project(project)), imageID: id)
        return ImageJSON(image)
    }

    func ref(_ image: ImageRecord) -> ImageRef {
        ImageRef(id: image.id, url: files.url(of: image), width: image.width, height: image.height)
    }

    static func json(_ prediction: Prediction) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(prediction), as: UTF8.self)
    }
}
