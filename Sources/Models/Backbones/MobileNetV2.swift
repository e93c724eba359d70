import Torch

/// MobileNetV2 (Sandler et al. 2018) in torchvision's layout, so its ImageNet state dict loads as is.
public final class MobileNetV2: Module, Backbone, ImageClassifier {
    public let features: Sequential
    public let classifier: Sequential?

    /// (expansion t, output channels c, repeats n, first stride s) per stage, from the paper's Table 2.
    static let stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    /// Indices in `features` whose outputs are the stride 8, 16 and 32 maps.
    static let taps = [6, 13, 17]

    public let featureChannels = [32, 96, 320]
    public let normalization = Normalization.imageNet

    /// `classifier: false` builds only what detection uses (features 0-17): no 1280-channel head conv
    /// and no ImageNet classifier; pretrained loading then skips those keys.
    public init(classes: Int = 1000, classifier: Bool = true) throws {
        var layers: [any Layer] = [try convBN(3, 32, kernel: 3, stride: 2)]
        var channels = 32
        for (t, c, n, s) in Self.stages {
            for i in 0..<n {
                layers.append(try InvertedResidual(channels, c, stride: i == 0 ? s : 1, expansion: t))
                channels = c
            }
        }
        if classifier { layers.append(try convBN(channels, 1280, kernel: 1)) }
        features = Sequential(layers)
        self.classifier = classifier ? Sequential([Dropout(0.2), try Linear(1280, classes)]) : nil
        super.init()
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        Array(try featuresFromStride4(x).dropFirst())
    }

    public let stride4Channels = 24

    public func featuresFromStride4(_ x: Tensor) throws -> [Tensor] {
        let c2 = try features.run(x, features.layers[0...3])
        let c3 = try features.run(c2, features.layers[4...6])
        let c4 = try features.run(c3, features.layers[7...13])
        let c5 = try features.run(c4, features.layers[14...17])
        return [c2, c3, c4, c5]
    }

    public func classify(_ x: Tensor) throws -> Tensor {
        guard let classifier else { throw TorchError("MobileNetV2 was built without its classifier") }
        let pooled = try F.adaptiveAvgPool2d(features.callAsFunction(x), size: (1, 1)).flatten(from: 1)  // [B, 1280]
        return try classifier(pooled)
    }
}

/// Expand (1×1) -> depthwise 3×3 -> linear project (1×1), with a residual when shapes allow.
final class InvertedResidual: Module, Layer {
    let conv: Sequential
    let residual: Bool

    init(_ inC: Int, _ outC: Int, stride: Int, expansion: Int) throws {
        let hidden = inC * expansion
        var layers: [any Layer] = expansion == 1 ? [] : [try convBN(inC, hidden, kernel: 1)]
        layers.append(try convBN(hidden, hidden, kernel: 3, stride: stride, groups: hidden))
        layers.append(try Conv2d(hidden, outC, kernel: 1, bias: false))
        layers.append(try BatchNorm2d(outC))
        conv = Sequential(layers)
        residual = stride == 1 && inC == outC
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        residual ? try x + conv(x) : try conv(x)
    }
}
