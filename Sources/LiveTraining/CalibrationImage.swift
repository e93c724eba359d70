import Foundation
import Models
import Vision

/// One opened-and-submitted image as calibration sees it: the prediction by falling score, the final
/// annotation, and each pre-label/object pair that overlaps at least the match IoU. The overlaps (mask
/// IoUs, on large images) are the costly part of every calibration, so a session computes them once, on
/// submit, and each later calibration over its window reuses them instead of comparing every recent
/// image's masks again (three times per submit before: min score, class thresholds, pseudo-labels).
public struct CalibrationImage: Sendable {
    public typealias Overlap = (p: Int, t: Int, iou: Double)

    /// Objects by falling score, so a single threshold keeps a prefix.
    public let prediction: Prediction
    public let truth: Annotation
    /// Pairs with IoU at least `matchIoU`, best first (`Corrections.overlaps`).
    let overlaps: [Overlap]
    let matchIoU: Double

    public init(prediction: Prediction, truth: Annotation, matchIoU: Double = CorrectionCostModel.Matching().matchIoU) {
        let sorted = Prediction(objects: prediction.objects.sorted { $0.score > $1.score }, labels: prediction.labels)
        var rule = CorrectionCostModel.Matching()
        rule.matchIoU = matchIoU
        self.prediction = sorted
        self.truth = truth
        self.overlaps = Corrections.overlaps(sorted, truth, rule: rule)
        self.matchIoU = matchIoU
    }

    /// The pairs overlapping at least `threshold`, best first: filtered from the stored ones when they
    /// cover it, computed afresh (the rare caller with a looser rule) when not.
    func overlaps(atLeast threshold: Double) -> [Overlap] {
        if threshold == matchIoU { return overlaps }
        if threshold > matchIoU { return overlaps.filter { $0.iou >= threshold } }
        var rule = CorrectionCostModel.Matching()
        rule.matchIoU = threshold
        return Corrections.overlaps(prediction, truth, rule: rule)
    }
}
