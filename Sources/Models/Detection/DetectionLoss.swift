import Torch

/// FCOS losses for a batch: focal loss on classes over all locations, GIoU on positive boxes weighted by
/// their centerness target, BCE on centerness; all normalised by the number of positives (at least 1).
/// `classificationOnly` (pseudo-labels): only the focal term, since a teacher's boxes are too rough to
/// regress to (Unbiased Teacher, arXiv 2102.09480, trains no box regression on pseudo-labels).
/// Ignored locations (`DetectionTargets.ignored`) add no classification loss, and count with the
/// positives in the classification normaliser: a pseudo-label keeps only the teacher's confident objects,
/// and dividing the background's loss by those few alone would weigh it many times a labelled image's,
/// teaching the student that the likely objects left out are background.
func detectionLoss(
    _ out: Detector.Output, targets: [DetectionTargets], grid: PointGrid, classes: Int, classificationOnly: Bool = false
) throws -> (total: Tensor, parts: [String: Tensor]) {
    let device = out.cls.device
    let b = targets.count, p = grid.points.count
    var clsTarget = [Float](repeating: 0, count: b * p * classes)
    var positive: [Int64] = [], boxTarget: [Double] = [], ctrTarget: [Float] = [], anchors: [Double] = []
    for (i, t) in targets.enumerated() {
        for (j, c) in t.classes.enumerated() where c >= 0 {
            clsTarget[(i * p + j) * classes + c] = 1
            positive.append(Int64(i * p + j))
            let box = t.boxes[j]!
            boxTarget += [box.x1, box.y1, box.x2, box.y2]
            ctrTarget.append(Float(t.centerness[j]))
            anchors += [grid.points[j].x, grid.points[j].y]
        }
    }
    let numPositive = Double(Swift.max(positive.count, 1))
    let clsTargetT = try Tensor(clsTarget, shape: [b, p, classes], device: device)
    var focal = try F.sigmoidFocalLoss(out.cls, clsTargetT, reduction: .none)
    var ignoredCount = 0
    if targets.contains(where: { $0.ignored.contains(true) }) {
        let keep = targets.flatMap { t in (0..<p).map { j in j < t.ignored.count && t.ignored[j] ? Float(0) : 1 } }
        ignoredCount = keep.count { $0 == 0 }
        focal = try focal * Tensor(keep, shape: [b, p, 1], device: device)
    }
    let clsLoss = try focal.sum() / Swift.max(Double(positive.count + ignoredCount), 1)
    if classificationOnly { return (clsLoss, ["cls": clsLoss]) }
    guard !positive.isEmpty else {
        let zero = try out.box.sum() * 0 + out.ctr.sum() * 0  // keeps every output in the graph
        return (try clsLoss + zero, ["cls": clsLoss, "box": zero, "ctr": zero])
    }
    let index = try Tensor(positive, shape: [positive.count], device: device)
    let predDistances = try out.box.reshape([b * p, 4]).indexSelect(dim: 0, index)  // [N, 4] l, t, r, b
    let centres = try Tensor(anchors.map(Float.init), shape: [positive.count, 2], device: device)
    let d = try predDistances.split([1, 1, 1, 1], dim: 1), c = try centres.split([1, 1], dim: 1)
    let predBoxes = try Tensor.cat([c[0] - d[0], c[1] - d[1], c[0] + d[2], c[1] + d[3]], dim: 1)
    let gtBoxes = try Tensor(boxTarget.map(Float.init), shape: [positive.count, 4], device: device)
    let ctrT = try Tensor(ctrTarget, shape: [positive.count], device: device)
    let giou = try BoxOps.generalizedIoULoss(predBoxes, gtBoxes)
    let boxLoss = try (giou * ctrT).sum() / Swift.max(Double(ctrTarget.reduce(0, +)), 1e-6)
    let ctrLogits = try out.ctr.reshape([b * p]).indexSelect(dim: 0, index)
    let ctrLoss = try F.binaryCrossEntropyWithLogits(ctrLogits, ctrT, reduction: .sum) / numPositive
    return (try clsLoss + boxLoss + ctrLoss, ["cls": clsLoss, "box": boxLoss, "ctr": ctrLoss])
}
