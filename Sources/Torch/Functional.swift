import CTorch

/// Stateless neural-network operations, named like `torch.nn.functional`.
public enum F {
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try Tensor.wrap(ct_linear(x.raw, weight.raw, bias?.raw))
    }

    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try Tensor.wrap(ct_matmul(a.raw, b.raw)) }

    public static func conv2d(
        _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1
    ) throws -> Tensor {
        try conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }

    public static func conv2d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), groups: Int
    ) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)], p = [Int64(padding.0), Int64(padding.1)]
        let d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.wrap(ct_conv2d(x.raw, weight.raw, bias?.raw, s, p, d, Int64(groups)))
    }

    /// Batch norm; in training mode it normalises by batch statistics and updates the running ones in place.
    public static func batchNorm(
        _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?, training: Bool,
        momentum: Double = 0.1, eps: Double = 1e-5
    ) throws -> Tensor {
        try Tensor.wrap(ct_batch_norm(x.raw, weight?.raw, bias?.raw, runningMean?.raw, runningVar?.raw, training ? 1 : 0, momentum, eps))
    }

    public static func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        try Tensor.wrap(ct_group_norm(x.raw, Int64(groups), weight?.raw, bias?.raw, eps))
    }

    public static func layerNorm(_ x: Tensor, shape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        let s = shape.map(Int64.init)
        return try Tensor.wrap(ct_layer_norm(x.raw, s, Int32(s.count), weight?.raw, bias?.raw, eps))
    }

    public static func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) throws -> Tensor {
        let k = [Int64(kernel), Int64(kernel)], s = [Int64(stride ?? kernel), Int64(stride ?? kernel)], p = [Int64(padding), Int64(padding)]
        return try Tensor.wrap(ct_max_pool2d(x.raw, k, s, p, ceilMode ? 1 : 0))
    }

    public static func adaptiveAvgPool2d(_ x: Tensor, size: (Int, Int)) throws -> Tensor {
        try Tensor.wrap(ct_adaptive_avg_pool2d(x.raw, [Int64(size.0), Int64(size.1)]))
    }

    public enum InterpolationMode: Sendable { case nearest, bilinear }

    /// Resizes the last two dimensions of an [N, C, H, W] tensor.
    public static func interpolate(_ x: Tensor, size: (Int, Int), mode: InterpolationMode = .bilinear, alignCorners: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_interpolate(x.raw, [Int64(size.0), Int64(size.1)], mode == .bilinear ? 1 : 0, alignCorners ? 1 : 0))
    }

    /// Bicubic resize of the last two dimensions (align_corners false); `antialias` low-pass filters when
    /// shrinking, as PyTorch's `antialias=True` (how timm resamples a ViT's position embeddings).
    public static func interpolateBicubic(_ x: Tensor, size: (Int, Int), antialias: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_interpolate_bicubic(x.raw, [Int64(size.0), Int64(size.1)], antialias ? 1 : 0))
    }

    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { try Tensor.wrap(ct_softmax(x.raw, Int64(dim))) }

    public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor {
        try Tensor.wrap(ct_dropout(x.raw, p, training ? 1 : 0))
    }

    /// softmax(q kᵀ / √d + mask) v over [..., L, d] tensors (libtorch picks the fused kernel).
    public static func scaledDotProductAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor? = nil, causal: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_sdpa(q.raw, k.raw, v.raw, mask?.raw, causal ? 1 : 0))
    }
}
