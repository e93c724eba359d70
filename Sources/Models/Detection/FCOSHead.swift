import Torch

/// The FCOS head (Tian et al. 2019), one set of weights shared by every pyramid level: a conv tower
/// with GroupNorm (batch-size independent: live batches are tiny) then per-location class logits,
/// box distances (left, top, right, bottom) and centerness.
public final class FCOSHead: Module {
    public let tower: Sequential
    public let cls: Conv2d
    public let box: Conv2d
    public let ctr: Conv2d
    /// Instance segmentation only: per-location coefficients over the prototype masks (YOLACT).
    public let coef: Conv2d?

    /// Outputs per level: class logits [B, C, H, W], raw box outputs [B, 4, H, W], centerness logits
    /// [B, 1, H, W], mask coefficients [B, k, H, W] when the head has them.
    public struct Output {
        public var cls: Tensor, box: Tensor, ctr: Tensor
        public var coef: Tensor?
    }

    public init(channels: Int, classes: Int, towerDepth: Int = 2, groups: Int = 8, maskCoefficients: Int = 0) throws {
        var layers: [any Layer] = []
        for _ in 0..<towerDepth {
            layers += [try Conv2d(channels, channels, kernel: 3, bias: false), try GroupNorm(groups: groups, channels: channels), Lambda.relu]
        }
        tower = Sequential(layers)
        cls = try Conv2d(channels, classes, kernel: 3)
        box = try Conv2d(channels, 4, kernel: 3)
        ctr = try Conv2d(channels, 1, kernel: 3)
        coef = maskCoefficients > 0 ? try Conv2d(channels, maskCoefficients, kernel: 3) : nil
        super.init()
        // Start with every location saying "background" at probability 0.99 (RetinaNet's prior), so the
        // focal loss of the first steps is not swamped by thousands of confident false positives.
        try withNoGrad { try cls.bias?.fillInPlace(-4.595) }
    }

    public func callAsFunction(_ level: Tensor) throws -> Output {
        let t = try tower(level)
        return Output(cls: try cls(t), box: try box(t), ctr: try ctr(t), coef: try coef.map { try $0(t).tanh() })
    }
}
