/// Greedy per-class non-maximum suppression: keeps the highest-scoring box and drops every box of the
/// same class overlapping it by more than `iou`, repeatedly. Returns kept indices by falling score.
public func nonMaxSuppression(_ objects: [Prediction.Object], iou threshold: Double, limit: Int = .max) -> [Int] {
    let order = objects.indices.sorted { objects[$0].score > objects[$1].score }
    var kept: [Int] = []
    var suppressed = [Bool](repeating: false, count: objects.count)
    for i in order where !suppressed[i] {
        kept.append(i)
        if kept.count == limit { break }
        for j in order where !suppressed[j] && j != i && objects[j].classIndex == objects[i].classIndex {
            if objects[i].box.iou(objects[j].box) > threshold { suppressed[j] = true }
        }
    }
    return kept
}
