import Torch

/// Semantic-FPN head (Kirillov et al. 2019, panoptic FPN's semantic branch) extended down to stride 4:
/// every pyramid level is refined and upsampled to the stride-4 map, summed with a C2 lateral, and
/// classified per pixel. Stride 4 keeps 1-2 px wide structures (cracks) alive.
public final class SemanticHead: Module {
    public let refine: [Module]
    public let lateral: Conv2d
    public let fuse: Sequential
    public let classifier: Conv2d

    public init(c2Channels: Int, channels: Int, levels: Int, classes: Int) throws {
        refine = try (0..<levels).map { _ in
            Sequential([try Conv2d(channels, channels, kernel: 3, bias: false), try GroupNorm(groups: 8, channels: channels), Lambda.relu])
        }
        lateral = try Conv2d(c2Channels, channels, kernel: 1)
        fuse = Sequential([try Conv2d(channels, channels, kernel: 3, bias: false), try GroupNorm(groups: 8, channels: channels), Lambda.relu])
        classifier = try Conv2d(channels, classes, kernel: 1)
        super.init()
    }

    /// C2 [B, c2, H/4, W/4] and [P3, P4, P5] -> class logits [B, classes, H/4, W/4].
    public func callAsFunction(c2: Tensor, pyramid: [Tensor]) throws -> Tensor {
        let size = (c2.size(2), c2.size(3))
        var sum = try lateral(c2)
        for (level, module) in zip(pyramid, refine) {
            sum = try sum + F.interpolate((module as! Sequential)(level), size: size)
        }
        return try classifier(fuse(sum))
    }
}

/// Backbone -> FPN -> semantic head.
public final class SemanticSegmenter: Module {
    public let backbone: any Backbone
    public let fpn: FPN
    public let head: SemanticHead

    public init(config: SegmenterConfig, backbone: any Backbone) throws {
        self.backbone = backbone
        fpn = try FPN(inChannels: backbone.featureChannels, channels: config.fpnChannels)
        head = try SemanticHead(c2Channels: backbone.stride4Channels, channels: config.fpnChannels, levels: 3, classes: config.classes)
        super.init()
    }

    /// [B, 3, S, S] -> logits [B, classes, S, S].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let c = try backbone.featuresFromStride4(x)
        let logits = try head(c2: c[0], pyramid: fpn(Array(c.dropFirst())))
        return try F.interpolate(logits, size: (x.size(2), x.size(3)))
    }
}
