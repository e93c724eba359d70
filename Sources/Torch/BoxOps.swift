/// Box geometry on [N, 4] tensors in (x1, y1, x2, y2) form: the building blocks of IoU-based losses.
public enum BoxOps {
    public static func area(_ b: Tensor) throws -> Tensor {
        let c = try b.split([1, 1, 1, 1], dim: -1)
        return try ((c[2] - c[0]) * (c[3] - c[1])).squeeze(-1)
    }

    /// Elementwise IoU and the area of the smallest enclosing box for paired boxes a[i], b[i].
    public static func pairedIoU(_ a: Tensor, _ b: Tensor, eps: Double = 1e-7) throws -> (iou: Tensor, union: Tensor, enclosing: Tensor) {
        let ca = try a.split([1, 1, 1, 1], dim: -1), cb = try b.split([1, 1, 1, 1], dim: -1)
        let iw = try (ca[2].minimum(cb[2]) - ca[0].maximum(cb[0])).clamp(min: 0)
        let ih = try (ca[3].minimum(cb[3]) - ca[1].maximum(cb[1])).clamp(min: 0)
        let inter = try (iw * ih).squeeze(-1)
        let union = try area(a) + area(b) - inter
        let iou = try inter / (union + eps)
        let ew = try ca[2].maximum(cb[2]) - ca[0].minimum(cb[0])
        let eh = try ca[3].maximum(cb[3]) - ca[1].minimum(cb[1])
        return (iou, union, try (ew * eh).squeeze(-1))
    }

    /// 1 - GIoU for paired boxes (Rezatofighi et al. 2019), per pair.
    public static func generalizedIoULoss(_ a: Tensor, _ b: Tensor, eps: Double = 1e-7, reduction: Reduction = .none) throws -> Tensor {
        let (iou, union, enclosing) = try pairedIoU(a, b, eps: eps)
        let giou = try iou - (enclosing - union) / (enclosing + eps)
        return try reduction.apply(1 - giou)
    }
}
