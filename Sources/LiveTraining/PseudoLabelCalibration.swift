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
        guard classes > 0, !scored.isEmpty else { return nil }
        if scored.contains(where: { $0.truth.labels != nil }) { return semanticThresholds(scored, classes: classes) }
        var outcomes = [[(score: Double, right: Bool)]](repeating: [], count: classes)
        for (prediction, truth) in scored {
            for (i, right) in Self.matches(prediction, truth, iou: matchIoU).enumerated() {
                let object = prediction.objects[i]
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

    /// Whether each predicted object found an object of its class, one to one, best score first.
    static func matches(_ prediction: Prediction, _ truth: Annotation, iou threshold: Double) -> [Bool] {
        var used = Set<Int>(), right = [Bool](repeating: false, count: prediction.objects.count)
        for i in prediction.objects.indices.sorted(by: { prediction.objects[$0].score > prediction.objects[$1].score }) {
            let p = prediction.objects[i]
            var best: (t: Int, iou: Double)?
            for (t, object) in truth.objects.enumerated() where object.classIndex == p.classIndex && !used.contains(t) && p.box.iou(object.box) > 0 {
                let iou = if let a = p.mask, let b = object.mask, a.width == b.width, a.height == b.height { a.mask.iou(b.mask) } else { p.box.iou(object.box) }
                if iou >= threshold, iou > (best?.iou ?? 0) { best = (t, iou) }
            }
            if let best {
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
