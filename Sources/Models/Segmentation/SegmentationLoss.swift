import Torch

/// Cross entropy with per-batch inverse-square-root class-frequency weights plus soft Dice over the
/// foreground classes present; pixels labelled `ignore` (padding) count in neither.
func semanticLoss(_ logits: Tensor, _ target: Tensor, classes: Int, diceWeight: Double, ignore: Int = 255) throws -> (total: Tensor, parts: [String: Tensor]) {
    let valid = try target.ne(Double(ignore))
    let labels = try target.to(.int64)
    var counts = [Double](repeating: 0, count: classes)
    let flat = try Tensor.where(valid, labels, try Tensor.full([], Double(classes), dtype: .int64, device: labels.device)).flatten()
    let histogram = try Tensor.zeros([classes + 1], device: labels.device).scatter(dim: 0, flat, try Tensor.ones([flat.size(0)], device: labels.device), add: true).floats()
    for c in 0..<classes { counts[c] = Double(histogram[c]) }
    let total = Swift.max(counts.reduce(0, +), 1)
    let present = counts.map { $0 > 0 }
    var weights = counts.map { $0 > 0 ? 1 / ($0 / total).squareRoot() : 0 }
    let mean = weights.reduce(0, +) / Double(Swift.max(present.filter { $0 }.count, 1))
    weights = weights.map { $0 / mean }
    let ce = try F.crossEntropy(logits, labels, weight: Tensor(weights.map(Float.init), shape: [classes], device: logits.device), ignoreIndex: ignore)
    let probs = try F.softmax(logits, dim: 1)
    let mask = try valid.unsqueeze(1).to(.float32)
    var dice: Tensor? = nil, n = 0.0
    for c in 1..<classes where present[c] {
        let p = try probs.slice(dim: 1, start: c, end: c + 1) * mask
        let t = try labels.eq(Double(c)).unsqueeze(1).to(.float32) * mask
        let d = try 1 - ((p * t).sum() * 2 + 1) / (p.sum() + t.sum() + 1)
        dice = try dice.map { try $0 + d } ?? d
        n += 1
    }
    let diceLoss = try dice.map { try $0 / n } ?? (logits.sum() * 0)
    return (try ce + diceLoss * diceWeight, ["ce": ce, "dice": diceLoss])
}
