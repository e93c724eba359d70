import Foundation

/// Parameters sharing one weight decay and learning-rate multiplier (a pretrained backbone usually
/// learns slower than a fresh head; norm scales and biases usually get no decay).
public struct ParameterGroup: @unchecked Sendable {
    public var parameters: [Tensor]
    public var weightDecay: Double
    public var learningRateScale: Double
    public init(_ parameters: [Tensor], weightDecay: Double, learningRateScale: Double = 1) {
        self.parameters = parameters
        self.weightDecay = weightDecay
        self.learningRateScale = learningRateScale
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter), step for step the same arithmetic as
/// `torch.optim.AdamW`'s single-tensor path, so results match PyTorch to float rounding.
public final class AdamW: @unchecked Sendable {
    public var groups: [ParameterGroup]
    public var learningRate: Double
    public let beta1: Double, beta2: Double, eps: Double
    /// Optimiser steps taken; bias correction uses it.
    public private(set) var step = 0
    private var expAvg: [[Tensor?]]
    private var expAvgSq: [[Tensor?]]

    public init(_ groups: [ParameterGroup], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8) {
        self.groups = groups
        self.learningRate = learningRate
        (beta1, beta2) = betas
        self.eps = eps
        expAvg = groups.map { [Tensor?](repeating: nil, count: $0.parameters.count) }
        expAvgSq = expAvg
    }

    public convenience init(_ parameters: [Tensor], learningRate: Double = 1e-3, weightDecay: Double = 1e-2,
                            betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8) {
        self.init([ParameterGroup(parameters, weightDecay: weightDecay)], learningRate: learningRate, betas: betas, eps: eps)
    }

    /// Drops every gradient (set to none, which also frees their memory until the next backward).
    public func zeroGrad() throws {
        for group in groups { for p in group.parameters { try p.setGrad(nil) } }
    }

    /// One update of every parameter that has a gradient.
    public func update() throws {
        step += 1
        let bc1 = 1 - pow(beta1, Double(step)), bc2Sqrt = (1 - pow(beta2, Double(step))).squareRoot()
        try withNoGrad {
            for (g, group) in groups.enumerated() {
                let lr = learningRate * group.learningRateScale
                for (i, p) in group.parameters.enumerated() {
                    guard let grad = p.grad else { continue }
                    if expAvg[g][i] == nil {
                        expAvg[g][i] = try Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
                        expAvgSq[g][i] = try Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
                    }
                    let m = expAvg[g][i]!, v = expAvgSq[g][i]!
                    try p.mulInPlace(1 - lr * group.weightDecay)
                    try m.lerpInPlace(grad, weight: 1 - beta1)
                    try v.mulInPlace(beta2)
                    try v.addcmulInPlace(grad, grad, value: 1 - beta2)
                    let denom = try v.sqrt() / bc2Sqrt + eps
                    try p.addcdivInPlace(m, denom, value: -lr / bc1)
                }
            }
        }
    }

    /// Moments and step count by name, for checkpoints ("g.i.exp_avg", "g.i.exp_avg_sq", "step").
    public func state() throws -> [String: Tensor] {
        var out: [String: Tensor] = ["step": try Tensor([Int64(step)], shape: [])]
        for g in expAvg.indices {
            for i in expAvg[g].indices {
                if let m = expAvg[g][i] { out["\(g).\(i).exp_avg"] = m }
                if let v = expAvgSq[g][i] { out["\(g).\(i).exp_avg_sq"] = v }
            }
        }
        return out
    }

    /// Restores `state()` output onto the same parameter layout (devices follow the parameters).
    public func load(_ state: [String: Tensor]) throws {
        guard let s = state["step"] else { throw TorchError("optimizer state has no 'step'") }
        step = Int(try s.item())
        for (g, group) in groups.enumerated() {
            for (i, p) in group.parameters.enumerated() {
                expAvg[g][i] = try state["\(g).\(i).exp_avg"].map { try $0.to(p.device).clone() }
                expAvgSq[g][i] = try state["\(g).\(i).exp_avg_sq"].map { try $0.to(p.device).clone() }
            }
        }
    }
}

/// Scales all gradients so their joint L2 norm is at most `maxNorm` (`clip_grad_norm_`); returns the
/// norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) throws -> Double {
    let grads = parameters.compactMap(\.grad)
    guard !grads.isEmpty else { return 0 }
    return try withNoGrad {
        let total = try Tensor.stack(grads.map { try $0.norm() }).norm()
        let coefficient = try (total + 1e-6).reciprocal() * maxNorm
        let clamped = try coefficient.clamp(max: 1)
        for g in grads { try g.mulInPlace(clamped) }
        return try total.item()
    }
}
