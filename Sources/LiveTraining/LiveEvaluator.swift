import Foundation
import Models

/// Measures the live model the way annotators experience it: the prediction shown when an image was
/// opened, scored against the annotation finally submitted for it.
///
/// Each submitted image gets its task's two numbers on its own: detection COCO box AP@[.5:.95] and AP50,
/// instance segmentation mask AP@[.5:.95] and AP50 (`DetectionMetrics`), semantic segmentation mIoU
/// and foreground mIoU (`SemanticMetrics`, in the `ap` and `ap50` slots). Both feed
/// exponential moving averages with factor `emaFactor` (default 0.2: the newest image weighs 20 %, so the
/// average follows roughly the last 5-10 images, quick enough to show the model improving image by image
/// yet not swung by one odd image); the first value is taken as is. Pre-labels are worth showing only
/// once they help, so `isReady` is true when the AP EMA is above zero.
///
/// An image whose final annotation is empty scores 1 when the prediction was empty too (nothing to fix)
/// and 0 otherwise (every pre-label had to be deleted), where COCO would call it undefined.
///
/// A value type: its owner (`LiveSession`) serialises access; the scores are persisted by the store and
/// replayed through `add` after a restart.
public struct LiveEvaluator: Codable, Sendable, Equatable {
    /// One scored image, in submission order (for plots).
    public struct Evaluation: Codable, Sendable, Equatable {
        public var imageID: String
        /// Images scored before this one.
        public var index: Int
        public var ap: Double
        public var ap50: Double
        /// The EMAs after this image.
        public var apEMA: Double
        public var ap50EMA: Double
        public var submittedAt: Date
        /// Per class index (as a string: JSON object keys), IoU (semantic) or AP@[.5:.95] (boxes, masks)
        /// of this image, for the classes its annotation has (semantic: its annotation or prediction).
        public var perClass: [String: Double]?
    }

    /// Which metric scores an image.
    public enum Metric: String, Codable, Sendable {
        case box, mask, semantic

        /// The metric a task's live model is scored with.
        public init(_ task: ModelTask) {
            switch task {
            case .detection: self = .box
            case .instance: self = .mask
            case .semantic: self = .semantic
            }
        }
    }

    public let emaFactor: Double
    public var metric: Metric = .box
    /// Classes of a semantic task (background included), for its IoU.
    public var semanticClasses = 2
    public private(set) var evaluations: [Evaluation] = []
    /// EMA of per-image AP@[.5:.95] (nil before the first submission).
    public private(set) var apEMA: Double?
    public private(set) var ap50EMA: Double?
    /// EMA per class of `Evaluation.perClass`, each class updated only by images that score it: a rare
    /// class's number moves when that class is labelled, not on every image without it.
    public private(set) var perClassEMA: [String: Double]?

    public init(emaFactor: Double = 0.2, metric: Metric = .box, semanticClasses: Int = 2) {
        precondition(emaFactor > 0 && emaFactor <= 1, "EMA factor must be in (0, 1]")
        self.emaFactor = emaFactor
        self.metric = metric
        self.semanticClasses = semanticClasses
    }

    /// True once the AP EMA is above zero: pre-labels are shown from then on.
    public var isReady: Bool { (apEMA ?? 0) > 0 }

    /// Scores the prediction made when `imageID` was opened against its submitted annotation and
    /// updates the EMAs. The opened prediction is kept by the caller (the store, or the replay's loop):
    /// the evaluator holds only scores, so it can be rebuilt from them.
    @discardableResult
    public mutating func record(imageID: String, prediction: Prediction, annotation: Annotation, at date: Date = Date()) -> Evaluation {
        let (ap, ap50, byClass) = Self.evaluate(prediction: prediction, annotation: annotation, metric: metric, classes: semanticClasses)
        return add(imageID: imageID, ap: ap, ap50: ap50, perClass: Dictionary(uniqueKeysWithValues: byClass.map { (String($0.key), $0.value) }), at: date)
    }

    /// Adds an image's scores (a new one, or a stored one when rebuilding after a restart) to the EMAs.
    @discardableResult
    public mutating func add(imageID: String, ap: Double, ap50: Double, perClass: [String: Double]?, at date: Date = Date()) -> Evaluation {
        let apEMA = self.apEMA.map { $0 + emaFactor * (ap - $0) } ?? ap
        let ap50EMA = self.ap50EMA.map { $0 + emaFactor * (ap50 - $0) } ?? ap50
        self.apEMA = apEMA
        self.ap50EMA = ap50EMA
        if let perClass {
            var emas = perClassEMA ?? [:]
            for (c, value) in perClass { emas[c] = emas[c].map { $0 + emaFactor * (value - $0) } ?? value }
            perClassEMA = emas
        }
        let evaluation = Evaluation(
            imageID: imageID, index: evaluations.count, ap: ap, ap50: ap50, apEMA: apEMA, ap50EMA: ap50EMA,
            submittedAt: date, perClass: perClass)
        evaluations.append(evaluation)
        return evaluation
    }

    /// Per-class IoU (semantic) or AP@[.5:.95] (boxes, masks) of one image, by class index.
    public static func perClass(prediction: Prediction, annotation: Annotation, metric: Metric = .box, classes: Int = 2) -> [Int: Double] {
        evaluate(prediction: prediction, annotation: annotation, metric: metric, classes: classes).perClass
    }

    /// Per-image AP@[.5:.95] and AP50, with the empty-annotation rule of the type's documentation.
    public static func score(prediction: Prediction, annotation: Annotation, metric: Metric = .box, classes: Int = 2) -> (ap: Double, ap50: Double) {
        let e = evaluate(prediction: prediction, annotation: annotation, metric: metric, classes: classes)
        return (e.ap, e.ap50)
    }

    /// Both of the above from one pass of the metric over the image.
    static func evaluate(prediction: Prediction, annotation: Annotation, metric: Metric, classes: Int) -> (ap: Double, ap50: Double, perClass: [Int: Double]) {
        if metric == .semantic {
            guard let truth = annotation.labels, let predicted = prediction.labels else { return (0, 0, [:]) }
            let m = SemanticMetrics(pairs: [(truth, predicted)], classes: classes)
            return (m.meanIoU, m.foregroundIoU, m.perClassIoU)
        }
        let metrics = DetectionMetrics(groundTruth: annotation, prediction: prediction, iouType: metric == .mask ? .mask : .box)
        guard let ap = metrics.ap, let ap50 = metrics.ap50 else {
            let perfect: Double = prediction.objects.isEmpty ? 1 : 0
            return (perfect, perfect, metrics.perClassAP)
        }
        return (ap, ap50, metrics.perClassAP)
    }
}
