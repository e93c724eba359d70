import Foundation
import Models
import Vision

/// Per-class pseudo-label thresholds from the live evaluation: the images annotators opened (what the
/// model predicted) and then submitted (the truth). The model's scores mean what its recent precision
/// says they mean, so a threshold is the least score at which its pre-labels of that class were right
/// often enough, which follows the model as it learns (the per-class, adaptive thresholds that MixPL and
/// Consistent-Teacher argue for, measured here on the annotators' own corrections).
public struct PseudoLabelCalibration: Sendable {
    /// Precision the pseudo-labels of a class should have, measured on recent opened images.
    public var precision = 0.8
    /// Right predictions of a class needed before it is pseudo-labelled at all.
    public var minimumSupport = 3
    /// Detections from this fraction of the lowest threshold up become ignored regions.
    public var ignoreFraction = 0.5
    /// Semantic: a class whose predicted pixels are all right needs this probability; one right half the
    /// time needs the halfway point to 1 (see `semanticThresholds`).
    public var basePixelProbability = 0.8
    /// A prediction matches an object of its class at this box IoU (mask IoU for masks).
    public var matchIoU = 0.5

    public init() {}

    /// Thresholds for `classes` classes from (opened prediction, final annotation) pairs; nil when no
    /// class qualifies (the student then trains on labels only).
    public func thresholds(_ scored: [(prediction: Prediction, truth: Annotation)], classes: Int) -> PseudoLabelThresholds? {
        thresholds(images: scored.map { CalibrationImage(prediction: $0.prediction, truth: $0.truth, matchIoU: matchIoU) }, classes: classes)
    }

    /// The same over images whose overlaps were computed once (`CalibrationImage`).
    public func thresholds(images scored: [CalibrationImage], classes: Int) -> PseudoLabelThresholds? {
        guard classes > 0, !scored.isEmpty else { return nil }
        if scored.contains(where: { $0.truth.labels != nil }) {
            return semanticThresholds(scored.map { ($0.prediction, $0.truth) }, classes: classes)
        }
        var outcomes = [[(score: Double, right: Bool)]](repeating: [], count: classes)
        for image in scored {
            for (i, right) in Self.matches(image, iou: matchIoU).enumerated() {
                let object = image.prediction.objects[i]
                guard outcomes.indices.contains(object.classIndex) else { continue }
                outcomes[object.classIndex].append((object.score, right))
            }
        }
        let perClass = outcomes.map { leastScore(reaching: precision, $0) }
        guard let lowest = perClass.compactMap({ $0 }).min() else { return nil }
        return PseudoLabelThresholds(perClass: perClass, ignoreAbove: lowest * ignoreFraction)
    }

    /// The least score t at which the predictions scoring t or more were right at least `target` of
    /// the time, with `minimumSupport` right ones among them.
    func leastScore(reaching target: Double, _ outcomes: [(score: Double, right: Bool)]) -> Double? {
        var right = 0, seen = 0, best: Double?
        for outcome in outcomes.sorted(by: { $0.score > $1.score }) {
            seen += 1
            if outcome.right { right += 1 }
            if right >= minimumSupport, Double(right) >= target * Double(seen) { best = outcome.score }
        }
        return best
    }

    /// Whether each predicted object found an object of its class, one to one, best score first (the
    /// image holds its objects by falling score), each taking its best-overlapping free object.
    static func matches(_ image: CalibrationImage, iou threshold: Double) -> [Bool] {
        let objects = image.prediction.objects, truth = image.truth.objects
        var candidates = [[(t: Int, iou: Double)]](repeating: [], count: objects.count)
        // Best overlap first, so each prediction's first free candidate of its class is its best.
        for pair in image.overlaps(atLeast: threshold) where objects[pair.p].classIndex == truth[pair.t].classIndex {
            candidates[pair.p].append((pair.t, pair.iou))
        }
        var used = Set<Int>(), right = [Bool](repeating: false, count: objects.count)
        for i in objects.indices {
            if let best = candidates[i].first(where: { !used.contains($0.t) }) {
                used.insert(best.t)
                right[i] = true
            }
        }
        return right
    }

    /// Per class, from the precision p of its predicted pixels: probability 1 − (1 − base)·p, so a class
    /// predicted reliably is pseudo-labelled from `basePixelProbability` and a shaky one only where the
    /// teacher is near certain; a class never predicted right gets none.
    func semanticThresholds(_ scored: [(prediction: Prediction, truth: Annotation)], classes: Int) -> PseudoLabelThresholds? {
        var predicted = [Int](repeating: 0, count: classes), right = [Int](repeating: 0, count: classes)
        for (prediction, truth) in scored {
            guard let p = prediction.labels, let t = truth.labels, p.width == t.width, p.height == t.height else { continue }
            for (a, b) in zip(p.labels, t.labels) where Int(a) < classes {
                predicted[Int(a)] += 1
                if a == b { right[Int(a)] += 1 }
            }
        }
        let perClass: [Double?] = (0..<classes).map { c in
            guard right[c] > 0 else { return nil }
            let p = Double(right[c]) / Double(predicted[c])
            return 1 - (1 - basePixelProbability) * p
        }
        guard perClass.contains(where: { $0 != nil }) else { return nil }
        return PseudoLabelThresholds(perClass: perClass, ignoreAbove: 1)
    }
}
