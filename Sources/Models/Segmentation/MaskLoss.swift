import Torch

/// YOLACT's mask loss with a Dice term: for sampled positive locations, BCE between the assembled mask
/// and the soft ground-truth mask of the object the location is assigned to, counted only inside
/// that object's box (the rest of the image is not this instance's business) and normalised by the
/// box area; plus soft Dice inside the box.
func maskLoss(coef: Tensor, prototypes: Tensor, targets: [DetectionTargets], masks: [Tensor?], boxes: [[Box]],
              stride: Double, perImage: Int, diceWeight: Double, rng: inout SeededGenerator) throws -> Tensor? {
    var total: Tensor? = nil, count = 0.0
    let p = coef.size(1), h = prototypes.size(2), w = prototypes.size(3)
    let ys = try Tensor.arange(0, Double(h), dtype: .float32, device: coef.device).reshape([1, h, 1]) * stride + stride / 2
    let xs = try Tensor.arange(0, Double(w), dtype: .float32, device: coef.device).reshape([1, 1, w]) * stride + stride / 2
    for (i, t) in targets.enumerated() {
        guard let gt = masks[i] else { continue }  // [objects, H/4, W/4] soft targets
        var positives = t.objects.enumerated().filter { $0.element >= 0 }.map(\.offset)
        guard !positives.isEmpty else { continue }
        positives.shuffle(using: &rng)
        positives = Array(positives.prefix(perImage))
        let locations = try Tensor(positives.map { Int64(i * p + $0) }, shape: [positives.count], device: coef.device)
        let objectIndex = try Tensor(positives.map { Int64(t.objects[$0]) }, shape: [positives.count], device: coef.device)
        let c = try coef.reshape([-1, coef.size(2)]).indexSelect(dim: 0, locations)  // [N, k]
        let logits = try assembleMasks(coefficients: c, prototypes: prototypes.slice(dim: 0, start: i, end: i + 1).squeeze(0))  // [N, h, w]
        let target = try gt.indexSelect(dim: 0, objectIndex)
        let b = positives.map { boxes[i][t.objects[$0]] }
        let x1 = try Tensor(b.map { Float($0.x1) }, shape: [b.count, 1, 1], device: coef.device)
        let y1 = try Tensor(b.map { Float($0.y1) }, shape: [b.count, 1, 1], device: coef.device)
        let x2 = try Tensor(b.map { Float($0.x2) }, shape: [b.count, 1, 1], device: coef.device)
        let y2 = try Tensor(b.map { Float($0.y2) }, shape: [b.count, 1, 1], device: coef.device)
        let inBox = try (xs.ge(x1).logicalAnd(xs.lt(x2))).logicalAnd(ys.ge(y1).logicalAnd(ys.lt(y2))).to(.float32)  // [N, h, w]
        let area = try inBox.sum(dims: [1, 2]).clamp(min: 1)
        let bce = try (F.binaryCrossEntropyWithLogits(logits, target, reduction: .none) * inBox).sum(dims: [1, 2]) / area
        let prob = try logits.sigmoid() * inBox
        let dice = try 1 - ((prob * target).sum(dims: [1, 2]) * 2 + 1) / (prob.sum(dims: [1, 2]) + (target * inBox).sum(dims: [1, 2]) + 1)
        let l = try (bce + dice * diceWeight).sum()
        total = try total.map { try $0 + l } ?? l
        count += Double(positives.count)
    }
    return try total.map { try $0 / Swift.max(count, 1) }
}
