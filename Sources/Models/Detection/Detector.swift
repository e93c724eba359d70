import Torch

/// Pretrained backbone -> FPN -> shared FCOS head. Anchor-free and NMS-light, it needs no anchor
/// tuning per dataset, which matters when the dataset is two images old.
public final class Detector: Module {
    public let backbone: any Backbone
    public let fpn: FPN
    public let head: FCOSHead
    /// One learnable multiplier per level on the box outputs (FCOS's `Scale`), so a shared head can
    /// emit distances of different magnitudes per stride.
    public let scales: Tensor

    public convenience init(config: DetectorConfig, backbone: any Backbone) throws {
        try self.init(backbone: backbone, fpnChannels: config.fpnChannels, classes: config.classes, levels: config.strides.count)
    }

    public init(backbone: any Backbone, fpnChannels: Int, classes: Int, levels: Int = 3, maskCoefficients: Int = 0) throws {
        self.backbone = backbone
        fpn = try FPN(inChannels: backbone.featureChannels, channels: fpnChannels)
        head = try FCOSHead(channels: fpnChannels, classes: classes, maskCoefficients: maskCoefficients)
        scales = try Tensor.ones([levels]).requiringGrad()
        super.init()
    }

    /// Flattened over levels and locations (level-major, then row-major):
    /// class logits [B, P, C], box distances in pixels [B, P, 4] (l, t, r, b), centerness logits [B, P],
    /// mask coefficients [B, P, k] (instance heads only), and the P3 map the prototypes are built from.
    public struct Output {
        public var cls: Tensor, box: Tensor, ctr: Tensor
        public var coef: Tensor?
        public var p3: Tensor
        /// (height, width) of each level's grid.
        public var grids: [(Int, Int)]
    }

    public func callAsFunction(_ x: Tensor, strides: [Int]) throws -> Output {
        let pyramid = try fpn(backbone.features(x))
        var cls: [Tensor] = [], box: [Tensor] = [], ctr: [Tensor] = [], coef: [Tensor] = [], grids: [(Int, Int)] = []
        let b = x.size(0)
        for (l, level) in pyramid.enumerated() {
            let out = try head(level)
            grids.append((level.size(2), level.size(3)))
            // [B, K, H, W] -> [B, HW, K]
            func flat(_ t: Tensor) throws -> Tensor { try t.permute([0, 2, 3, 1]).reshape([b, -1, t.size(1)]) }
            cls.append(try flat(out.cls))
            let scale = try scales.slice(dim: 0, start: l, end: l + 1)
            box.append(try (flat(out.box) * scale).clamp(max: 10).exp() * Double(strides[l]))
            ctr.append(try flat(out.ctr).squeeze(-1))
            if let c = out.coef { coef.append(try flat(c)) }
        }
        return Output(cls: try Tensor.cat(cls, dim: 1), box: try Tensor.cat(box, dim: 1), ctr: try Tensor.cat(ctr, dim: 1),
                      coef: coef.isEmpty ? nil : try Tensor.cat(coef, dim: 1), p3: pyramid[0], grids: grids)
    }
}
