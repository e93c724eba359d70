import Models

/// COCO-style detection metrics (pycocotools' `COCOeval` with `iouType="bbox"` or, for instance masks,
/// `"segm"`; area "all", maxDets 100) for a set of images, or for one image as the live evaluator
/// scores it. With `.mask`, IoU is between binary masks (a missing mask counts as empty).
///
/// For each class with ground truth and each IoU threshold t in 0.50, 0.55, ... 0.95: per image, the
/// class's predictions are sorted by score (ties keep input order) and cut to `maxDetections`; each in
/// turn takes the still-unmatched ground-truth box of highest IoU >= t (a later box wins an exact tie, as
/// in pycocotools). All images' predictions are then ranked by score (ties: image order, then rank in the
/// image), precision and recall accumulate down the ranking, precision is made monotone from the right,
/// and read at the 101 recall points 0, 0.01, ... 1 (the first rank reaching that recall; 0 where none
/// does). AP averages those precisions over recall points, thresholds and classes; AP50 and AP75 use one
/// threshold. Classes with no ground truth in any image are left out (their predictions cost nothing),
/// and when no class has any, the metrics are nil ("undefined", pycocotools' -1). Crowd regions do not
/// exist in `Annotation`, so nothing is ignored. Checked against pycocotools on BCCD in
/// DetectionMetricsTests (scripts/reference/coco_eval.py).
public struct DetectionMetrics: Codable, Sendable, Equatable {
    /// One image's final annotation and the prediction to score against it.
    public struct ImageResult: Sendable {
        public var groundTruth: Annotation
        public var prediction: Prediction
        public init(groundTruth: Annotation, prediction: Prediction) {
            self.groundTruth = groundTruth
            self.prediction = prediction
        }
    }

    /// AP averaged over IoU 0.50:0.95 (COCO's headline number); nil when no ground truth exists.
    public var ap: Double?
    /// AP at IoU 0.50.
    public var ap50: Double?
    /// AP at IoU 0.75.
    public var ap75: Double?
    /// AP@[.5:.95] of each class that has ground truth.
    public var perClassAP: [Int: Double]
    public var imageCount: Int

    /// COCO's thresholds, bit for bit as `np.linspace(.5, .95, 10)` computes them.
    public static let iouThresholds: [Double] = (0..<10).map { (i: Int) -> Double in
        let step: Double = (0.95 - 0.5) / 9
        return i == 9 ? 0.95 : Double(i) * step + 0.5
    }
    /// COCO's 101 recall points, bit for bit as `np.linspace(0, 1, 101)` computes them.
    public static let recallThresholds: [Double] = (0...100).map { (i: Int) -> Double in
        i == 100 ? 1 : Double(i) * 0.01
    }

    /// What "overlap" means: boxes, or instance masks.
    public enum IoUType: String, Codable, Sendable { case box, mask }

    public init(images: [ImageResult], maxDetections: Int = 100, iouType: IoUType = .box) {
        imageCount = images.count
        let classes = Set(images.flatMap { $0.groundTruth.objects.map(\.classIndex) }).sorted()
        var precisionSums = [Double](repeating: 0, count: Self.iouThresholds.count)  // summed over classes
        var perClass: [Int: Double] = [:]
        for c in classes {
            let perThreshold = Self.interpolatedPrecision(images: images, classIndex: c, maxDetections: maxDetections, iouType: iouType)
            let means = perThreshold.map { $0.reduce(0, +) / Double($0.count) }
            for t in means.indices { precisionSums[t] += means[t] }
            perClass[c] = means.reduce(0, +) / Double(means.count)
        }
        perClassAP = perClass
        guard !classes.isEmpty else { return }
        let n = Double(classes.count)
        ap = precisionSums.reduce(0, +) / Double(precisionSums.count) / n
        ap50 = precisionSums[0] / n
        ap75 = precisionSums[5] / n
    }

    /// Scores one image on its own (what `LiveEvaluator` records per submitted image).
    public init(groundTruth: Annotation, prediction: Prediction, maxDetections: Int = 100, iouType: IoUType = .box) {
        self.init(images: [ImageResult(groundTruth: groundTruth, prediction: prediction)], maxDetections: maxDetections, iouType: iouType)
    }

    /// For one class (which has ground truth somewhere): precision at each recall point, per IoU threshold.
    private static func interpolatedPrecision(
        images: [ImageResult], classIndex c: Int, maxDetections: Int, iouType: IoUType
    ) -> [[Double]] {
        let thresholds = iouThresholds
        // Every kept detection: its score, its position for tie-breaking, and matched-or-not per threshold.
        var ranked: [(score: Double, image: Int, rank: Int, matched: [Bool])] = []
        var groundTruthCount = 0
        for (imageIndex, image) in images.enumerated() {
            let truthObjects = image.groundTruth.objects.filter { $0.classIndex == c }
            let truths = truthObjects.map(\.box)
            let detections = image.prediction.objects.enumerated()
                .filter { $0.element.classIndex == c }
                .sorted {
                    $0.element.score > $1.element.score
                        || ($0.element.score == $1.element.score && $0.offset < $1.offset)
                }
                .prefix(maxDetections)
                .map(\.element)
            groundTruthCount += truths.count
            let ious: [[Double]]
            switch iouType {
            case .box: ious = detections.map { d in truths.map { cocoIoU(d.box, $0) } }
            case .mask:
                let truthMasks = truthObjects.map { $0.mask?.mask }
                ious = detections.map { d in
                    let dm = d.mask?.mask
                    return zip(truthMasks, truths).map { g, gBox in
                        // Disjoint boxes cannot hold overlapping masks: skip the pixel count.
                        guard let dm, let g, dm.width == g.width, dm.height == g.height, cocoIoU(d.box, gBox) > 0 else { return 0 }
                        return dm.iou(g)
                    }
                }
            }
            var matches = [[Bool]](
                repeating: [Bool](repeating: false, count: thresholds.count), count: detections.count)
            for (t, threshold) in thresholds.enumerated() {
                var taken = [Bool](repeating: false, count: truths.count)
                for d in detections.indices {
                    var best = Swift.min(threshold, 1 - 1e-10)
                    var match = -1
                    for g in truths.indices where !taken[g] && ious[d][g] >= best {
                        best = ious[d][g]
                        match = g
                    }
                    if match >= 0 {
                        taken[match] = true
                        matches[d][t] = true
                    }
                }
            }
            for (rank, d) in detections.enumerated() {
                ranked.append((d.score, imageIndex, rank, matches[rank]))
            }
        }
        ranked.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            return a.image != b.image ? a.image < b.image : a.rank < b.rank
        }

        return thresholds.indices.map { t in
            var recall: [Double] = []
            var precision: [Double] = []
            recall.reserveCapacity(ranked.count)
            precision.reserveCapacity(ranked.count)
            var tp = 0.0
            var fp = 0.0
            for detection in ranked {
                if detection.matched[t] { tp += 1 } else { fp += 1 }
                recall.append(tp / Double(groundTruthCount))
                precision.append(tp / (fp + tp + Double.ulpOfOne))  // np.spacing(1), as pycocotools
            }
            if precision.count > 1 {
                for i in stride(from: precision.count - 1, to: 0, by: -1) where precision[i] > precision[i - 1] {
                    precision[i - 1] = precision[i]
                }
            }
            // The first rank whose recall reaches each point (numpy's searchsorted, side "left").
            var out = [Double](repeating: 0, count: recallThresholds.count)
            var i = 0
            for (r, point) in recallThresholds.enumerated() {
                while i < recall.count && recall[i] < point { i += 1 }
                if i < recall.count { out[r] = precision[i] }
            }
            return out
        }
    }

    /// IoU from COCO's [x, y, w, h] form in pycocotools' operation order (`maskApi.c`'s bbIou), so
    /// threshold comparisons agree with the reference to the last bit.
    static func cocoIoU(_ d: Box, _ g: Box) -> Double {
        let (dx, dy, dw, dh) = (d.x1, d.y1, d.x2 - d.x1, d.y2 - d.y1)
        let (gx, gy, gw, gh) = (g.x1, g.y1, g.x2 - g.x1, g.y2 - g.y1)
        let w = Swift.min(dw + dx, gw + gx) - Swift.max(dx, gx)
        guard w > 0 else { return 0 }
        let h = Swift.min(dh + dy, gh + gy) - Swift.max(dy, gy)
        guard h > 0 else { return 0 }
        let intersection = w * h
        return intersection / (dw * dh + gw * gh - intersection)
    }
}
