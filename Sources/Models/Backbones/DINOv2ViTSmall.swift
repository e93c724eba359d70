import Torch

/// DINOv2 ViT-S/14 (Oquab et al. 2023): a plain ViT with LayerScale, in the key layout of the original
/// release and timm's `vit_small_patch14_dinov2`, so those safetensors load as is. No weights ship: users
/// bring them.
///
/// Multi-scale adapter: the detection and segmentation necks want strides 4, 8, 16 and 32, a ViT has one
/// grid at stride 14. The normalised patch tokens of the last block are resized bilinearly to each stride
/// (parameter-free, like the simplest variant of ViTDet's pyramid): all learning stays in the FPN's
/// lateral convs, and every tensor of the backbone comes from the user's file.
public final class DINOv2ViTSmall: Module, Backbone, ImageClassifier {
    public let clsToken: Tensor  // [1, 1, 384]
    /// [1, 1 + 37·37, 384]: learnt for 518-px inputs, resampled to the input's grid at run time.
    public let posEmbed: Tensor
    public let patchEmbed: PatchEmbed
    public let blocks: [Module]
    public let norm: LayerNorm

    static let patch = 14, dim = 384, depth = 12, heads = 6, trainedGrid = 37

    public let featureChannels = [384, 384, 384]
    public let stride4Channels = 384
    public let normalization = Normalization.imageNet

    /// `classifier` is accepted for a uniform factory; DINOv2 has no ImageNet classifier.
    public init(classifier: Bool = false) throws {
        let d = Self.dim
        clsToken = try (Tensor.randn([1, 1, d]) * 1e-6).requiringGrad()
        posEmbed = try (Tensor.randn([1, 1 + Self.trainedGrid * Self.trainedGrid, d]) * 0.02).requiringGrad()
        patchEmbed = try PatchEmbed(patch: Self.patch, dim: d)
        blocks = try (0..<Self.depth).map { _ in try ViTBlock(dim: d, heads: Self.heads) }
        norm = try LayerNorm(d, eps: 1e-6)
        super.init()
    }

    /// [B, 3, H, W] -> [B, 384, ⌈H/14⌉, ⌈W/14⌉], the final normalised patch tokens as a grid. Inputs are
    /// zero-padded at the bottom and right to whole patches, so no pixel is dropped.
    public func patchGrid(_ x: Tensor) throws -> Tensor {
        let p = Self.patch
        let padH = (p - x.size(2) % p) % p
        let padW = (p - x.size(3) % p) % p
        let padded = padH + padW == 0 ? x : try x.padded([0, padW, 0, padH])
        let grid = try patchEmbed.proj(padded)  // [B, 384, h, w]
        let (b, h, w) = (grid.size(0), grid.size(2), grid.size(3))
        var tokens = try grid.flatten(from: 2).transpose(1, 2)  // [B, hw, 384]
        tokens = try Tensor.cat([clsToken.expand([b, 1, Self.dim]), tokens], dim: 1)  // [B, 1 + hw, 384]
        tokens = try tokens + positions(h, w)
        for block in blocks { tokens = try (block as! ViTBlock)(tokens) }
        let patches = try norm(tokens).slice(dim: 1, start: 1)  // drop the class token: [B, hw, 384]
        return try patches.transpose(1, 2).reshape([b, Self.dim, h, w])
    }

    /// Position embeddings for an h×w grid: the class token's as is, the 37×37 grid resized bicubically
    /// with antialiasing (timm's `resample_abs_pos_embed`, so features match the reference at any size).
    func positions(_ h: Int, _ w: Int) throws -> Tensor {
        let n = Self.trainedGrid
        guard h != n || w != n else { return posEmbed }
        let cls = try posEmbed.slice(dim: 1, start: 0, end: 1)
        let grid = try posEmbed.slice(dim: 1, start: 1).reshape([1, n, n, Self.dim]).permute([0, 3, 1, 2])  // [1, 384, 37, 37]
        let resized = try F.interpolateBicubic(grid, size: (h, w), antialias: true)
        return try Tensor.cat([cls, resized.permute([0, 2, 3, 1]).reshape([1, h * w, Self.dim])], dim: 1)
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        Array(try featuresFromStride4(x).dropFirst())
    }

    public func featuresFromStride4(_ x: Tensor) throws -> [Tensor] {
        let grid = try patchGrid(x)
        let (height, width) = (x.size(2), x.size(3))
        return try [4, 8, 16, 32].map { s in
            try F.interpolate(grid, size: ((height + s - 1) / s, (width + s - 1) / s), mode: .bilinear)
        }
    }

    public func classify(_ x: Tensor) throws -> Tensor {
        throw TorchError("DINOv2 ViT-S/14 has no ImageNet classifier (self-supervised weights)")
    }
}

/// A stride-14 conv cutting the image into 14×14 patches (timm's `patch_embed.proj`).
public final class PatchEmbed: Module {
    public let proj: Conv2d

    init(patch: Int, dim: Int) throws {
        proj = try Conv2d(3, dim, kernel: patch, stride: patch, padding: 0)
        super.init()
    }
}

/// Pre-norm transformer block with LayerScale: x + γ₁·attn(norm₁ x), then x + γ₂·mlp(norm₂ x).
final class ViTBlock: Module, Layer {
    let norm1: LayerNorm, attn: SelfAttention, ls1: LayerScale
    let norm2: LayerNorm, mlp: MLP, ls2: LayerScale

    init(dim: Int, heads: Int) throws {
        norm1 = try LayerNorm(dim, eps: 1e-6)
        attn = try SelfAttention(dim: dim, heads: heads)
        ls1 = try LayerScale(dim)
        norm2 = try LayerNorm(dim, eps: 1e-6)
        mlp = try MLP(dim: dim, hidden: 4 * dim)
        ls2 = try LayerScale(dim)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try x + ls1(attn(norm1(x)))
        return try y + ls2(mlp(norm2(y)))
    }
}

/// Multi-head self-attention with one packed q/k/v projection (`qkv`, [3·dim, dim]) and `proj`.
final class SelfAttention: Module, Layer {
    let qkv: Linear
    let proj: Linear
    let heads: Int

    init(dim: Int, heads: Int) throws {
        qkv = try Linear(dim, 3 * dim)
        proj = try Linear(dim, dim)
        self.heads = heads
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let (b, n, c) = (x.size(0), x.size(1), x.size(2))
        let packed = try qkv(x).reshape([b, n, 3, heads, c / heads]).permute([2, 0, 3, 1, 4])  // [3, B, heads, N, c/heads]
        let parts = try (0..<3).map { try packed.slice(dim: 0, start: $0, end: $0 + 1).squeeze(0) }  // q, k, v
        let (q, k, v) = (parts[0], parts[1], parts[2])
        let attended = try F.scaledDotProductAttention(q, k, v)  // [B, heads, N, c/heads]
        return try proj(attended.transpose(1, 2).reshape([b, n, c]))
    }
}

/// Per-channel scale of a residual branch (`gamma`, 1e-5 at init in DINOv2).
final class LayerScale: Module, Layer {
    let gamma: Tensor

    init(_ dim: Int) throws {
        gamma = try (Tensor.ones([dim]) * 1e-5).requiringGrad()
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try x * gamma }
}

/// Linear -> GELU -> Linear (`fc1`, `fc2`).
final class MLP: Module, Layer {
    let fc1: Linear
    let fc2: Linear

    init(dim: Int, hidden: Int) throws {
        fc1 = try Linear(dim, hidden)
        fc2 = try Linear(hidden, dim)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try fc2(fc1(x).gelu()) }
}
