import Models
import Vision

/// Semantic-segmentation metrics over a set of images: per-class IoU from the summed confusion
/// (intersection and union counted over all pixels of all images, as the Cityscapes/ADE20K
/// benchmarks do), their mean over classes present in truth or prediction (mIoU), and the mean over
/// foreground classes only (class 0 is background), which is what thin-structure tasks care about.
public struct SemanticMetrics: Codable, Sendable, Equatable {
    public var perClassIoU: [Int: Double]
    public var meanIoU: Double
    public var foregroundIoU: Double
    public var pixelAccuracy: Double

    public init(pairs: [(truth: LabelMap, prediction: LabelMap)], classes: Int) {
        var inter = [Int](repeating: 0, count: classes), union = [Int](repeating: 0, count: classes)
        var correct = 0, total = 0
        for (t, p) in pairs where t.width == p.width && t.height == p.height {
            for (a, b) in zip(t.labels, p.labels) {
                let ta = Int(a), pb = Int(b)
                total += 1
                if ta == pb {
                    correct += 1
                    if ta < classes { inter[ta] += 1; union[ta] += 1 }
                } else {
                    if ta < classes { union[ta] += 1 }
                    if pb < classes { union[pb] += 1 }
                }
            }
        }
        var ious: [Int: Double] = [:]
        for c in 0..<classes where union[c] > 0 { ious[c] = Double(inter[c]) / Double(union[c]) }
        perClassIoU = ious
        meanIoU = ious.isEmpty ? 0 : ious.values.reduce(0, +) / Double(ious.count)
        let fg = ious.filter { $0.key > 0 }
        // No foreground anywhere and none predicted: nothing to get wrong.
        foregroundIoU = fg.isEmpty ? 1 : fg.values.reduce(0, +) / Double(fg.count)
        pixelAccuracy = total > 0 ? Double(correct) / Double(total) : 0
    }
}
