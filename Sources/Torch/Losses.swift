import CTorch

/// How a loss folds its per-element values.
public enum Reduction: Int32, Sendable {
    case none = 0, mean = 1, sum = 2

    func apply(_ t: Tensor) throws -> Tensor {
        switch self {
        case .none: t
        case .mean: try t.mean()
        case .sum: try t.sum()
        }
    }
}

extension F {
    /// Cross entropy over class logits [N, C, ...] and int64 targets [N, ...].
    public static func crossEntropy(
        _ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: Reduction = .mean, labelSmoothing: Double = 0
    ) throws -> Tensor {
        try Tensor.wrap(ct_cross_entropy(logits.raw, target.raw, weight?.raw, Int64(ignoreIndex), reduction.rawValue, labelSmoothing))
    }

    public static func binaryCrossEntropyWithLogits(
        _ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil, reduction: Reduction = .mean
    ) throws -> Tensor {
        try Tensor.wrap(ct_bce_with_logits(logits.raw, target.raw, weight?.raw, posWeight?.raw, reduction.rawValue))
    }

    public static func l1Loss(_ x: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.wrap(ct_l1_loss(x.raw, target.raw, reduction.rawValue))
    }

    /// The focal loss of RetinaNet on sigmoid logits: BCE scaled by (1 - p_t)^γ and weighted by α for
    /// positives, so the many easy negatives of a dense detector do not drown the few positives.
    public static func sigmoidFocalLoss(
        _ logits: Tensor, _ target: Tensor, alpha: Double = 0.25, gamma: Double = 2, reduction: Reduction = .none
    ) throws -> Tensor {
        let p = try logits.sigmoid()
        let ce = try binaryCrossEntropyWithLogits(logits, target, reduction: .none)
        let pt = try p * target + (1 - p) * (1 - target)
        var loss = try ce * (1 - pt).pow(gamma)
        if alpha >= 0 {
            loss = try loss * (target * alpha + (1 - target) * (1 - alpha))
        }
        return try reduction.apply(loss)
    }
}
