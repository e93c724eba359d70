import Foundation

/// PyTorch's default init for conv/linear weights and biases: U(-1/√fan_in, 1/√fan_in).
func defaultInit(_ shape: [Int], fanIn: Int) throws -> Tensor {
    let bound = 1 / Foundation.sqrt(Double(max(fanIn, 1)))
    return try Tensor.uniform(shape, low: -bound, high: bound).requiringGrad()
}

/// 2-D convolution over [N, C, H, W]; `groups == inChannels == outChannels` makes it depthwise.
public final class Conv2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    let stride: Int, padding: Int, dilation: Int, groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int? = nil,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true) throws {
        let fanIn = inChannels / groups * kernel * kernel
        weight = try defaultInit([outChannels, inChannels / groups, kernel, kernel], fanIn: fanIn)
        self.bias = bias ? try defaultInit([outChannels], fanIn: fanIn) : nil
        self.stride = stride
        self.padding = padding ?? (dilation * (kernel - 1) / 2)  // "same" for odd kernels at stride 1
        self.dilation = dilation
        self.groups = groups
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

public final class Linear: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        weight = try defaultInit([outFeatures, inFeatures], fanIn: inFeatures)
        self.bias = bias ? try defaultInit([outFeatures], fanIn: inFeatures) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.linear(x, weight: weight, bias: bias) }
}

/// Batch norm over channels of [N, C, H, W] with running statistics for eval mode.
public final class BatchNorm2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let numBatchesTracked: Buffer
    let eps: Double, momentum: Double

    public init(_ channels: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        weight = try Tensor.ones([channels]).requiringGrad()
        bias = try Tensor.zeros([channels]).requiringGrad()
        runningMean = Buffer(try Tensor.zeros([channels]))
        runningVar = Buffer(try Tensor.ones([channels]))
        numBatchesTracked = Buffer(try Tensor.zeros([], dtype: .int64))
        self.eps = eps
        self.momentum = momentum
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if isTraining { try withNoGrad { try numBatchesTracked.tensor.addInPlace(1) } }
        return try F.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean.tensor, runningVar: runningVar.tensor,
                               training: isTraining, momentum: momentum, eps: eps)
    }
}

/// Group norm: batch-size independent, which suits the tiny batches of live training.
public final class GroupNorm: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor
    let groups: Int, eps: Double

    public init(groups: Int, channels: Int, eps: Double = 1e-5) throws {
        weight = try Tensor.ones([channels]).requiringGrad()
        bias = try Tensor.zeros([channels]).requiringGrad()
        self.groups = groups
        self.eps = eps
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps) }
}

/// Layer norm over the last dimension.
public final class LayerNorm: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor
    let eps: Double

    public init(_ features: Int, eps: Double = 1e-5) throws {
        weight = try Tensor.ones([features]).requiringGrad()
        bias = try Tensor.zeros([features]).requiringGrad()
        self.eps = eps
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.layerNorm(x, shape: [weight.size(0)], weight: weight, bias: bias, eps: eps) }
}

/// A parameter-free layer from a closure (activations, pooling), so `Sequential` indices line up with
/// PyTorch's where those occupy a slot.
public final class Lambda: Module, Layer {
    let body: @Sendable (Tensor) throws -> Tensor
    public init(_ body: @escaping @Sendable (Tensor) throws -> Tensor) {
        self.body = body
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try body(x) }

    public static var relu: Lambda { Lambda { try $0.relu() } }
    public static var relu6: Lambda { Lambda { try $0.relu6() } }
    /// ReLU6 overwriting its input (torchvision's `ReLU6(inplace=True)`); for fresh conv/norm outputs only.
    public static var relu6InPlace: Lambda { Lambda { try $0.relu6InPlace(); return $0 } }
}

public final class Dropout: Module, Layer {
    let p: Double
    public init(_ p: Double) {
        self.p = p
        super.init()
    }
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.dropout(x, p: p, training: isTraining) }
}
