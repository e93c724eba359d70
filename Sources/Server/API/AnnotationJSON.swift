import Foundation
import Hummingbird
import Models
import Store
import Vision

/// An image's current annotation as the API shows it: objects have the shape of
/// `Models.AnnotatedObject` (box, and COCO RLE mask for instance projects), `labels` the shape of
/// `Vision.LabelMap` (semantic projects).
struct AnnotationJSON: ResponseCodable {
    var imageId: Int64
    var objects: [AnnotatedObject]
    var labels: LabelRuns?
    var source: AnnotationSource
    var updatedBy: String
    var updatedAt: Date
    /// What an edit sends back (`version` or `If-Match`) so a stale edit is refused with 409.
    var version: Int
    /// pending, accepted or returned; absent for imported labels (not queued for review).
    var reviewState: ReviewState?
    /// The reviewer's comment and name on the last decision.
    var reviewComment: String?
    var reviewedBy: String?

    init(_ record: AnnotationRecord) {
        imageId = record.imageId
        objects = record.objects.map(AnnotatedObject.init)
        labels = record.labels
        source = record.source
        updatedBy = record.updatedBy
        updatedAt = record.updatedAt
        version = record.version
        reviewState = record.reviewState
        reviewComment = record.reviewComment
        reviewedBy = record.reviewedBy
    }
}

struct HistoryEntryJSON: Codable {
    var id: Int64
    var objects: [AnnotatedObject]
    var labels: LabelRuns?
    var source: AnnotationSource
    var who: String
    var at: Date
    var activeSeconds: Double?
}

struct HistoryJSON: ResponseCodable {
    var history: [HistoryEntryJSON]
}

/// The body of `PUT .../annotation`.
struct SubmitAnnotationRequest: Decodable {
    /// Detection and instance projects; empty for semantic ones.
    var objects: [AnnotatedObject]?
    /// Semantic projects: the class of every pixel.
    var labels: LabelRuns?
    /// How the boxes were made; `drawn` when absent.
    var source: AnnotationSource?
    /// The annotation version this edit replaces (from `open` or the annotation); a save over any other
    /// is 409. Absent: the edit replaces whatever is there.
    var version: Int?
    /// Active seconds the annotator spent on this version (the UI measures it, pauses over a minute
    /// left out); finite and in 0...86400, else 400.
    var activeSeconds: Double?
    /// The `opening` of the open whose pre-label this corrects: the live evaluation scores that one.
    /// Absent: the image's latest opening. Another image's opening is 422.
    var opening: Int64?
}

struct SubmitAnnotationJSON: ResponseCodable {
    var annotation: AnnotationJSON
    var image: ImageJSON
    /// The live score of the pre-label shown for this image, when one was shown and scored.
    var liveScore: LiveScore?
}

/// The answer to `open`: the pre-label (only once the live model is ready) and any saved annotation.
struct OpenImageJSON: ResponseCodable {
    var image: ImageJSON
    var prediction: Prediction?
    var ready: Bool
    var modelStep: Int?
    /// This open's record (unlabelled images only): a submit naming it is scored against this
    /// pre-label even if the image was opened again since.
    var opening: Int64?
    var annotation: AnnotationJSON?
    /// The version a submit of this image replaces (0 for an image never labelled).
    var version: Int
    /// The min score whose pre-labels cost least to correct on recent images: the UI's default.
    var suggestedMinScore: Double?
    /// By class name: the min score of each class calibrated on its own (the UI's default for that class);
    /// classes not listed use `suggestedMinScore`.
    var suggestedClassMinScores: [String: Double]?
}

/// One stored live score; `EvaluationListJSON.metric` says what the values are.
struct EvaluationJSON: Codable {
    var imageId: Int64
    var primary: Double
    var secondary: Double
    var primaryEMA: Double
    var secondaryEMA: Double
    var at: Date
    /// Whether the scored prediction was shown as a pre-label (hidden ones are scored too).
    var shown: Bool
    /// The opening whose prediction was scored (the `opening` its open returned) and the step of the
    /// model that made it.
    var opening: Int64
    var modelStep: Int?
}

struct EvaluationListJSON: ResponseCodable {
    /// "boxAP", "maskAP" or "mIoU" (`QualityMetric.id`), from the project's task.
    var metric: String
    var evaluations: [EvaluationJSON]
}

/// What the events stream sends: the trainer's status and the project's labelling progress.
struct LiveStateJSON: Codable {
    var project: Int64
    var training: TrainingStatus
    var progress: ImageCounts?
}

extension TrainingStatus: ResponseEncodable {}
extension LiveScore: ResponseEncodable {}

extension LabelMap {
    /// The map the runs describe; the store checked they cover it with known class indices.
    init(_ runs: LabelRuns) {
        var labels: [UInt16] = []
        labels.reserveCapacity(runs.width * runs.height)
        for run in runs.runs where run.count == 2 {
            labels += repeatElement(UInt16(clamping: run[0]), count: max(0, run[1]))
        }
        self.init(width: runs.width, height: runs.height, labels: labels)
    }
}

extension LabelRuns {
    /// The map as row-major runs of equal labels, as the store keeps it.
    init(_ map: LabelMap) { self.init(width: map.width, height: map.height, runs: map.runs) }
}

extension Annotation {
    /// A stored annotation as the engine takes it.
    init(_ record: AnnotationRecord) {
        self.init(objects: record.objects.map(AnnotatedObject.init), labels: record.labels.map(LabelMap.init))
    }
}
