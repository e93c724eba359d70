import Torch

/// ResNet-50 (He et al. 2016) in torchvision's layout ("v1.5": the stride sits on the 3×3 conv), so a
/// torchvision state dict converted to safetensors loads as is. No ImageNet weights ship: users bring them.
public final class ResNet50: Module, Backbone, ImageClassifier {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let layer1: Sequential
    public let layer2: Sequential
    public let layer3: Sequential
    public let layer4: Sequential
    public let fc: Linear?

    /// (bottleneck width, blocks, first stride) per stage; each block outputs 4 × its width.
    static let stages = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]

    public let featureChannels = [512, 1024, 2048]
    public let stride4Channels = 256
    public let normalization = Normalization.imageNet

    /// `classifier: false` omits `fc` (detection does not use it); pretrained loading then skips `fc.*`.
    public init(classes: Int = 1000, classifier: Bool = true) throws {
        conv1 = try Conv2d(3, 64, kernel: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(64)
        var layers: [Sequential] = []
        var channels = 64
        for (width, blocks, stride) in Self.stages {
            var stage: [any Layer] = []
            for i in 0..<blocks {
                stage.append(try Bottleneck(channels, width: width, stride: i == 0 ? stride : 1))
                channels = width * Bottleneck.expansion
            }
            layers.append(Sequential(stage))
        }
        layer1 = layers[0]
        layer2 = layers[1]
        layer3 = layers[2]
        layer4 = layers[3]
        fc = classifier ? try Linear(2048, classes) : nil
        super.init()
    }

    public func features(_ x: Tensor) throws -> [Tensor] {
        Array(try featuresFromStride4(x).dropFirst())
    }

    public func featuresFromStride4(_ x: Tensor) throws -> [Tensor] {
        let stem = try F.maxPool2d(bn1(conv1(x)).relu(), kernel: 3, stride: 2, padding: 1)  // [B, 64, H/4, W/4]
        let c2 = try layer1(stem)  // [B, 256, H/4, W/4]
        let c3 = try layer2(c2)  // [B, 512, H/8, W/8]
        let c4 = try layer3(c3)  // [B, 1024, H/16, W/16]
        let c5 = try layer4(c4)  // [B, 2048, H/32, W/32]
        return [c2, c3, c4, c5]
    }

    public func classify(_ x: Tensor) throws -> Tensor {
        guard let fc else { throw TorchError("ResNet-50 was built without its classifier") }
        let pooled = try F.adaptiveAvgPool2d(features(x)[2], size: (1, 1)).flatten(from: 1)  // [B, 2048]
        return try fc(pooled)
    }
}

/// 1×1 reduce -> 3×3 (carries the stride) -> 1×1 expand ×4, added to the input or its 1×1 projection.
final class Bottleneck: Module, Layer {
    static let expansion = 4
    let conv1: Conv2d, bn1: BatchNorm2d
    let conv2: Conv2d, bn2: BatchNorm2d
    let conv3: Conv2d, bn3: BatchNorm2d
    /// torchvision's `downsample`: Sequential(conv 1×1 stride s, BatchNorm) when the shape changes.
    let downsample: Sequential?

    init(_ inC: Int, width: Int, stride: Int) throws {
        let outC = width * Self.expansion
        conv1 = try Conv2d(inC, width, kernel: 1, bias: false)
        bn1 = try BatchNorm2d(width)
        conv2 = try Conv2d(width, width, kernel: 3, stride: stride, padding: 1, bias: false)
        bn2 = try BatchNorm2d(width)
        conv3 = try Conv2d(width, outC, kernel: 1, bias: false)
        bn3 = try BatchNorm2d(outC)
        downsample =
            stride != 1 || inC != outC
            ? Sequential([try Conv2d(inC, outC, kernel: 1, stride: stride, bias: false), try BatchNorm2d(outC)]) : nil
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try bn1(conv1(x)).relu()
        y = try bn2(conv2(y)).relu()
        y = try bn3(conv3(y))
        let shortcut = try downsample.map { try $0(x) } ?? x
        return try (y + shortcut).relu()
    }
}
