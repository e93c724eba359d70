import Torch

/// YOLACT's prototype network (Bolya et al. 2019): k image-wide mask bases at stride 4 from P3. Every
/// instance mask is a sigmoid of a linear combination of them, so masks cost one matrix product each.
public final class Protonet: Module {
    public let body: Sequential
    public let refine: Sequential

    public init(channels: Int, prototypes: Int) throws {
        body = Sequential([try Conv2d(channels, channels, kernel: 3), Lambda.relu, try Conv2d(channels, channels, kernel: 3), Lambda.relu])
        refine = Sequential([try Conv2d(channels, channels, kernel: 3), Lambda.relu, try Conv2d(channels, prototypes, kernel: 1), Lambda.relu])
        super.init()
    }

    /// P3 [B, C, H/8, W/8] -> prototypes [B, k, H/4, W/4].
    public func callAsFunction(_ p3: Tensor) throws -> Tensor {
        let x = try body(p3)
        return try refine(F.interpolate(x, size: (x.size(2) * 2, x.size(3) * 2)))
    }
}

/// FCOS detector whose head also emits mask coefficients, plus the prototype network.
public final class InstanceSegmenter: Module {
    public let detector: Detector
    public let protonet: Protonet

    public init(config: SegmenterConfig, backbone: any Backbone) throws {
        detector = try Detector(backbone: backbone, fpnChannels: config.fpnChannels, classes: config.classes, maskCoefficients: config.prototypes)
        protonet = try Protonet(channels: config.fpnChannels, prototypes: config.prototypes)
        super.init()
    }
}

/// Instance mask logits [N, H, W] for N locations' coefficients [N, k] over prototypes [k, H, W].
func assembleMasks(coefficients: Tensor, prototypes: Tensor) throws -> Tensor {
    let k = prototypes.size(0), h = prototypes.size(1), w = prototypes.size(2)
    return try F.matmul(coefficients, prototypes.reshape([k, h * w])).reshape([coefficients.size(0), h, w])
}
