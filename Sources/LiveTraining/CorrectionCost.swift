import Foundation
import Models
import Vision

/// The edits that turn a shown pre-label into the final annotation: what an annotator actually does,
/// and so what a pre-label saves or costs (issue 12). Objects are matched one to one, best overlap
/// first, class-blind (a box on the right object with the wrong class is fixed, not redrawn).
public struct Corrections: Codable, Sendable, Equatable {
    /// Pre-labels on an object (each looked at once).
    public var matched = 0
    /// Matched pre-labels accepted as they are: right class, precise enough.
    public var kept = 0
    /// Matched pre-labels whose box or mask needs fixing (the wrong class or not).
    public var adjusted = 0
    /// Matched pre-labels with the wrong class.
    public var reclassed = 0
    /// Pre-labels with no object under them.
    public var deleted = 0
    /// Objects the pre-label missed, drawn from scratch.
    public var drawn = 0
    /// Semantic: share of the painted pixels (not background in the pre-label or the truth) whose class
    /// had to be painted over.
    public var repaintedFraction = 0.0

    public init() {}

    /// Counts the edits from `shown` (only what the annotator saw: pre-labels above the threshold) to `truth`.
    public init(shown: Prediction, truth: Annotation, rule: CorrectionCostModel.Matching = .init()) {
        self.init(shown: shown, truth: truth, overlaps: Self.overlaps(shown, truth, rule: rule), rule: rule)
    }

    /// Every pre-label/object pair overlapping at least `rule.matchIoU`, best first. Masks are compared
    /// only where their boxes meet (disjoint boxes cannot hold intersecting masks).
    static func overlaps(_ shown: Prediction, _ truth: Annotation, rule: CorrectionCostModel.Matching) -> [(p: Int, t: Int, iou: Double)] {
        var pairs: [(p: Int, t: Int, iou: Double)] = []
        for (p, predicted) in shown.objects.enumerated() {
            for (t, object) in truth.objects.enumerated() where predicted.box.iou(object.box) > 0 {
                let iou = Self.overlap(predicted, object)
                if iou >= rule.matchIoU { pairs.append((p, t, iou)) }
            }
        }
        return pairs.sorted { $0.iou != $1.iou ? $0.iou > $1.iou : ($0.p, $0.t) < ($1.p, $1.t) }
    }

    /// The edits given the overlapping pairs of `overlaps(shown, truth)`; pairs of pre-labels missing from
    /// `shown` are ignored (a higher threshold hid them).
    init(shown: Prediction, truth: Annotation, overlaps pairs: [(p: Int, t: Int, iou: Double)], rule: CorrectionCostModel.Matching) {
        self.init(prediction: shown, showing: nil, truth: truth, overlaps: pairs, rule: rule)
    }

    /// The edits when only the pre-labels of `prediction` flagged in `showing` (all when nil) were shown:
    /// per-class thresholds hide pre-labels anywhere in the score order, not only a tail.
    init(
        prediction shown: Prediction, showing: [Bool]?, truth: Annotation, overlaps pairs: [(p: Int, t: Int, iou: Double)],
        rule: CorrectionCostModel.Matching
    ) {
        if let labels = truth.labels {
            guard let predicted = shown.labels, predicted.width == labels.width, predicted.height == labels.height else {
                repaintedFraction = 1
                return
            }
            // Painting time goes into the structures (background, class 0, is the canvas): the share to
            // repaint is of the pixels either map paints, so an empty pre-label of thin cracks on 3 % of the
            // image costs the whole painting, not 3 % of it.
            var wrong = 0, painted = 0
            for (t, p) in zip(labels.labels, predicted.labels) where t != 0 || p != 0 {
                painted += 1
                if t != p { wrong += 1 }
            }
            repaintedFraction = painted == 0 ? 0 : Double(wrong) / Double(painted)
            return
        }
        // Each object and pre-label used once, best overlap first.
        var usedP = Set<Int>(), usedT = Set<Int>()
        let isShown = { (p: Int) in p < shown.objects.count && (showing.map { p < $0.count && $0[p] } ?? true) }
        for pair in pairs where isShown(pair.p) && !usedP.contains(pair.p) && !usedT.contains(pair.t) {
            usedP.insert(pair.p)
            usedT.insert(pair.t)
            matched += 1
            if shown.objects[pair.p].classIndex != truth.objects[pair.t].classIndex {
                reclassed += 1
                if pair.iou < rule.preciseIoU { adjusted += 1 }
            } else if pair.iou >= rule.preciseIoU {
                kept += 1
            } else {
                adjusted += 1
            }
        }
        deleted = shown.objects.indices.reduce(0) { $0 + (isShown($1) ? 1 : 0) } - usedP.count
        drawn = truth.objects.count - usedT.count
    }

    /// Mask IoU when both have masks of one size, else box IoU.
    static func overlap(_ p: Prediction.Object, _ t: AnnotatedObject) -> Double {
        if let a = p.mask, let b = t.mask, a.width == b.width, a.height == b.height { return a.mask.iou(b.mask) }
        return p.box.iou(t.box)
    }
}

/// Seconds per edit, from published annotation-time studies (sources in docs/benchmarks/correction-cost.md),
/// and the matching rule that decides which edit an object needs.
public struct CorrectionCostModel: Codable, Sendable, Equatable {
    public struct Matching: Codable, Sendable, Equatable {
        /// A pre-label on an object overlaps it at least this much (the usual detection match).
        public var matchIoU = 0.5
        /// At or above this, a pre-label is accepted without touching its shape.
        public var preciseIoU = 0.85
        public init() {}
    }

    public var matching = Matching()
    /// Looking the image over for missed objects (Su et al. 2012: 7.8 s).
    public var imageCheck = 7.8
    /// Verifying one proposed object (Papadopoulos et al. 2016: 1.6 s).
    public var verify = 1.6
    /// Fixing an imprecise box (2.2 s) or mask (model-assisted mask, SA-1B late phase: 14 s).
    public var adjustBox = 2.2
    public var adjustMask = 14.0
    /// Choosing another class (Gygli & Ferrari 2019: 5.1 s for the class step).
    public var changeClass = 5.1
    /// Rejecting a false positive (Kuznetsova et al. 2020: 3.5 s per yes/no at production scale).
    public var delete = 3.5
    /// Drawing a missed object: a box (Su et al.: 25.5 s median) or a polygon mask (COCO: 79 s).
    public var drawBox = 25.5
    public var drawMask = 79.0
    /// Painting a whole image's classes by hand (Cityscapes coarse budget: 7 min); repainting a share of
    /// the pixels costs that share of it.
    public var paintImage = 420.0

    public init() {}

    /// Seconds to label an image from nothing: what any correction is capped at (past it, an annotator
    /// clears the pre-label and draws).
    public func manualSeconds(objects: Int, masks: Bool, semantic: Bool) -> Double {
        semantic ? paintImage : imageCheck + Double(objects) * (masks ? drawMask : drawBox)
    }

    /// Seconds to turn the pre-label into the annotation by these edits, at most the manual time.
    public func seconds(_ c: Corrections, objects: Int, masks: Bool, semantic: Bool) -> Double {
        let manual = manualSeconds(objects: objects, masks: masks, semantic: semantic)
        if semantic { return Swift.min(manual, imageCheck + c.repaintedFraction * paintImage) }
        let adjust = masks ? adjustMask : adjustBox
        let draw = masks ? drawMask : drawBox
        let edits =
            Double(c.matched) * verify + Double(c.adjusted) * adjust + Double(c.reclassed) * changeClass + Double(c.deleted) * delete
            + Double(c.drawn) * draw
        return Swift.min(manual, imageCheck + edits)
    }

    /// Seconds for one image: the pre-label shown at `threshold` corrected into `truth`.
    public func seconds(prediction: Prediction, truth: Annotation, threshold: Double) -> Double {
        let shown = Prediction(objects: prediction.objects.filter { $0.score >= threshold }, labels: prediction.labels)
        let masks = truth.objects.contains { $0.mask != nil }
        return seconds(
            Corrections(shown: shown, truth: truth, rule: matching), objects: truth.objects.count, masks: masks,
            semantic: truth.labels != nil)
    }

    /// The score threshold that would have cost least over these opened-and-submitted images, from
    /// `candidates` (ties go to the higher threshold: fewer boxes to look at). Nil without images.
    public func calibratedThreshold(
        _ history: [(prediction: Prediction, truth: Annotation)], candidates: [Double] = Self.thresholdCandidates
    ) -> Double? {
        calibratedThreshold(images: history.map { CalibrationImage(prediction: $0.prediction, truth: $0.truth, matchIoU: matching.matchIoU) },
                            candidates: candidates)
    }

    public static let thresholdCandidates = stride(from: 0.05, through: 0.95, by: 0.05).map { ($0 * 100).rounded() / 100 }

    /// The same over images whose overlaps were computed once (`CalibrationImage`): pre-labels are held
    /// by falling score, so each threshold keeps a prefix.
    public func calibratedThreshold(images: [CalibrationImage], candidates: [Double] = Self.thresholdCandidates) -> Double? {
        guard !images.isEmpty else { return nil }
        let overlaps = images.map { $0.overlaps(atLeast: matching.matchIoU) }
        var best: (threshold: Double, seconds: Double)?
        for threshold in candidates.sorted(by: >) {
            let total = images.indices.reduce(0.0) { sum, i in
                let image = images[i]
                let shown = Prediction(objects: Array(image.prediction.objects.prefix { $0.score >= threshold }), labels: image.prediction.labels)
                let c = Corrections(shown: shown, truth: image.truth, overlaps: overlaps[i], rule: matching)
                let masks = image.truth.objects.contains { $0.mask != nil }
                return sum + seconds(c, objects: image.truth.objects.count, masks: masks, semantic: image.truth.labels != nil)
            }
            if best == nil || total < best!.seconds - 1e-9 { best = (threshold, total) }
        }
        return best?.threshold
    }
}
