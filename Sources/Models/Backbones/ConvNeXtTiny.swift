import Torch

/// ConvNeXt-Tiny (Liu et al. 2022) in torchvision's layout, so a torchvision state dict converted to
/// safetensors loads as is. No ImageNet weights ship: users bring them. LayerNorm has no batch statistics,
/// so nothing needs freezing for tiny live batches.
public final class ConvNeXtTiny: Module, Backbone, ImageClassifier {
    /// torchvision's `features`: 0 stem, 1/3/5/7 stages, 2/4/6 downsamplings.
    public let features: Sequential
    /// LayerNorm2d (0), flatten (1), Linear (2): torchvision's `classifier`.
    public let classifier: Sequential?

    static let widths = [96, 192, 384, 768]
    static let depths = [3, 3, 9, 3]
    /// torchvision's LayerNorm epsilon everywhere in ConvNeXt.
    static let eps = 1e-6

    public let featureChannels = [192, 384, 768]
    public let stride4Channels = 96
    public let normalization = Normalization.imageNet

    /// `classifier: false` omits the final norm and classifier; pretrained loading then skips `classifier.*`.
    public init(classes: Int = 1000, classifier: Bool = true) throws {
        // Stem: 4×4 patchify conv (stride 4), then LayerNorm over channels.
        var layers: [any Layer] = [Sequential([try Conv2d(3, 96, kernel: 4, stride: 4, padding: 0), try LayerNorm2d(96, eps: Self.eps)])]
        for (i, (width, depth)) in zip(Self.widths, Self.depths).enumerated() {
            if i > 0 {
                let previous = Self.widths[i - 1]
                layers.append(
                    Sequential([try LayerNorm2d(previous, eps: Self.eps), try Conv2d(previous, width, kernel: 2, stride: 2, padding: 0)]))
            }
            layers.append(Sequential(try (0..<depth).map { _ in try ConvNeXtBlock(width) }))
        }
        features = Sequential(layers)
        self.classifier =
            classifier
            ? Sequential([try LayerNorm2d(768, eps: Self.eps), Lambda { try $0.flatten(from: 1) }, try Linear(768, classes)]) : nil
        super.init()
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        Array(try featuresFromStride4(x).dropFirst())
    }

    public func featuresFromStride4(_ x: Tensor) throws -> [Tensor] {
        let c2 = try features.run(x, features.layers[0...1])  // [B, 96, H/4, W/4]
        let c3 = try features.run(c2, features.layers[2...3])  // [B, 192, H/8, W/8]
        let c4 = try features.run(c3, features.layers[4...5])  // [B, 384, H/16, W/16]
        let c5 = try features.run(c4, features.layers[6...7])  // [B, 768, H/32, W/32]
        return [c2, c3, c4, c5]
    }

    public func classify(_ x: Tensor) throws -> Tensor {
        guard let classifier else { throw TorchError("ConvNeXt-Tiny was built without its classifier") }
        return try classifier(F.adaptiveAvgPool2d(features(x)[2], size: (1, 1)))  // [B, 1000]
    }
}

/// 7×7 depthwise conv -> LayerNorm -> Linear 4× -> GELU -> Linear back, scaled per channel and added.
/// `block` is numbered like torchvision's (1 and 6 are its Permutes, 4 its GELU).
final class ConvNeXtBlock: Module, Layer {
    let block: Sequential
    /// [C, 1, 1], learnt per-channel scale of the residual branch (1e-6 at init in the paper).
    let layerScale: Tensor

    init(_ channels: Int) throws {
        block = Sequential([
            try Conv2d(channels, channels, kernel: 7, padding: 3, groups: channels),
            Lambda { try $0.permute([0, 2, 3, 1]) },  // [B, C, H, W] -> [B, H, W, C]
            try LayerNorm(channels, eps: ConvNeXtTiny.eps),
            try Linear(channels, 4 * channels),
            Lambda { try $0.gelu() },
            try Linear(4 * channels, channels),
            Lambda { try $0.permute([0, 3, 1, 2]) },  // [B, H, W, C] -> [B, C, H, W]
        ])
        layerScale = try (Tensor.ones([channels, 1, 1]) * 1e-6).requiringGrad()
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        // Stochastic depth (torchvision's default rate 0.1 for Tiny) is left out: the backbone trains in eval mode.
        try x + layerScale * block(x)
    }
}

/// LayerNorm over the channels of [B, C, H, W] (torchvision's `LayerNorm2d`).
final class LayerNorm2d: Module, Layer {
    let weight: Tensor
    let bias: Tensor
    let eps: Double

    init(_ channels: Int, eps: Double) throws {
        weight = try Tensor.ones([channels]).requiringGrad()
        bias = try Tensor.zeros([channels]).requiringGrad()
        self.eps = eps
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let channelsLast = try x.permute([0, 2, 3, 1])  // [B, H, W, C]
        return try F.layerNorm(channelsLast, shape: [weight.size(0)], weight: weight, bias: bias, eps: eps).permute([0, 3, 1, 2])
    }
}
