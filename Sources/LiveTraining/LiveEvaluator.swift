import Foundation
import Models
import Vision

/// Measures the live model the way annotators experience it: the prediction shown when an image was
/// opened, scored against the annotation finally submitted for it.
///
/// Each submitted image gets its task's two numbers on its own (`VisionTask.metric` names them):
/// `primary` is COCO box or mask AP@[.5:.95] (`DetectionMetrics`) or mIoU (`SemanticMetrics`),
/// `secondary` is box or mask AP50 or foreground mIoU. Both feed exponential moving averages with
/// factor `emaFactor` (default 0.2: the newest image weighs 20 %, so the average follows roughly the
/// last 5-10 images, quick enough to show the model improving image by image yet not swung by one odd
/// image); the first value is taken as is. Pre-labels are worth showing only
/// once they help, so `isReady` is true when the primary EMA is above zero.
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
        /// The task's two numbers for this image (`VisionTask.metric` says which).
        public var primary: Double
        public var secondary: Double
        /// The EMAs after this image.
        public var primaryEMA: Double
        public var secondaryEMA: Double
        public var submittedAt: Date
        /// Per class index (as a string: JSON object keys), IoU (semantic) or AP@[.5:.95] (boxes, masks)
        /// of this image, for the classes its annotation has (semantic: its annotation or prediction).
        public var perClass: [String: Double]?
    }

    public let emaFactor: Double
    /// Chooses the metric (`VisionTask.metric`).
    public var task: VisionTask = .detection
    /// Classes of a semantic task (background included), for its IoU.
    public var semanticClasses = 2
    public private(set) var evaluations: [Evaluation] = []
    /// EMAs of the per-image primary and secondary values (nil before the first submission).
    public private(set) var primaryEMA: Double?
    public private(set) var secondaryEMA: Double?
    /// EMA per class of `Evaluation.perClass`, each class updated only by images that score it: a rare
    /// class's number moves when that class is labelled, not on every image without it.
    public private(set) var perClassEMA: [String: Double]?

    public init(emaFactor: Double = 0.2, task: VisionTask = .detection, semanticClasses: Int = 2) {
        precondition(emaFactor > 0 && emaFactor <= 1, "EMA factor must be in (0, 1]")
        self.emaFactor = emaFactor
        self.task = task
        self.semanticClasses = semanticClasses
    }

    /// True once the primary EMA is above zero: pre-labels are shown from then on.
    public var isReady: Bool { (primaryEMA ?? 0) > 0 }

    /// Scores the prediction made when `imageID` was opened against its submitted annotation and
    /// updates the EMAs. The opened prediction is kept by the caller (the store, or the replay's loop):
    /// the evaluator holds only scores, so it can be rebuilt from them.
    @discardableResult
    public mutating func record(imageID: String, prediction: Prediction, annotation: Annotation, at date: Date = Date()) -> Evaluation {
        let (primary, secondary, byClass) = Self.evaluate(prediction: prediction, annotation: annotation, task: task, classes: semanticClasses)
        return add(imageID: imageID, primary: primary, secondary: secondary, perClass: Dictionary(uniqueKeysWithValues: byClass.map { (String($0.key), $0.value) }), at: date)
    }

    /// Adds an image's scores (a new one, or a stored one when rebuilding after a restart) to the EMAs.
    @discardableResult
    public mutating func add(imageID: String, primary: Double, secondary: Double, perClass: [String: Double]?, at date: Date = Date()) -> Evaluation {
        let primaryEMA = self.primaryEMA.map { $0 + emaFactor * (primary - $0) } ?? primary
        let secondaryEMA = self.secondaryEMA.map { $0 + emaFactor * (secondary - $0) } ?? secondary
        self.primaryEMA = primaryEMA
        self.secondaryEMA = secondaryEMA
        if let perClass {
            var emas = perClassEMA ?? [:]
            for (c, value) in perClass { emas[c] = emas[c].map { $0 + emaFactor * (value - $0) } ?? value }
            perClassEMA = emas
        }
        let evaluation = Evaluation(
            imageID: imageID, index: evaluations.count, primary: primary, secondary: secondary,
            primaryEMA: primaryEMA, secondaryEMA: secondaryEMA,
            submittedAt: date, perClass: perClass)
        evaluations.append(evaluation)
        return evaluation
    }

    /// Per-class IoU (semantic) or AP@[.5:.95] (boxes, masks) of one image, by class index.
    public static func perClass(prediction: Prediction, annotation: Annotation, task: VisionTask = .detection, classes: Int = 2) -> [Int: Double] {
        evaluate(prediction: prediction, annotation: annotation, task: task, classes: classes).perClass
    }

    /// One image's primary and secondary values, with the empty-annotation rule of the type's documentation.
    public static func score(prediction: Prediction, annotation: Annotation, task: VisionTask = .detection, classes: Int = 2) -> (primary: Double, secondary: Double) {
        let e = evaluate(prediction: prediction, annotation: annotation, task: task, classes: classes)
        return (e.primary, e.secondary)
    }

    /// Both of the above from one pass of the metric over the image.
    static func evaluate(prediction: Prediction, annotation: Annotation, task: VisionTask, classes: Int) -> (primary: Double, secondary: Double, perClass: [Int: Double]) {
        if task == .semantic {
            guard let truth = annotation.labels, let predicted = prediction.labels else { return (0, 0, [:]) }
            let m = SemanticMetrics(pairs: [(truth, predicted)], classes: classes)
            return (m.meanIoU, m.foregroundIoU, m.perClassIoU)
        }
        let metrics = DetectionMetrics(groundTruth: annotation, prediction: prediction, iouType: task == .instance ? .mask : .box)
        guard let ap = metrics.ap, let ap50 = metrics.ap50 else {
            let perfect: Double = prediction.objects.isEmpty ? 1 : 0
            return (perfect, perfect, metrics.perClassAP)
        }
        return (ap, ap50, metrics.perClassAP)
    }
}
