import Foundation
import Testing
@testable import Torch

/// Every op against PyTorch 2.15.0's own numbers (Fixtures/ops.safetensors, see its README).
@Suite("parity with PyTorch")
struct ReferenceParityTests {
    static let fixtures: [String: Tensor] = {
        let url = Bundle.module.url(forResource: "ops", withExtension: "safetensors", subdirectory: "Fixtures")!
        return try! Safetensors.read(url)
    }()

    /// Inputs of `name` as fresh leaves that record gradients.
    func inputs(_ name: String, _ keys: [String]) throws -> [Tensor] {
        try keys.map { try Self.fixtures["\(name).\($0)"]!.clone().requiringGrad() }
    }

    func fixture(_ key: String) -> Tensor { Self.fixtures[key]! }

    /// Checks `out` and, through `(out * gout).sum()`, the gradient of every input.
    func expectMatches(_ name: String, _ keys: [String], gradKeys: [String]? = nil, _ f: ([Tensor]) throws -> Tensor) throws {
        let xs = try inputs(name, keys)
        let out = try f(xs)
        try expectClose(out, fixture("\(name).out"), "\(name).out")
        try (out * fixture("\(name).gout")).sum().backward()
        for (key, x) in zip(gradKeys ?? keys, xs) {
            try expectClose(try #require(x.grad), fixture("\(name).g\(key)"), "\(name).g\(key)")
        }
    }

    @Test func convolutions() throws {
        try expectMatches("conv2d", ["x", "w", "b"]) { try F.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
        try expectMatches("conv2d_dw", ["x", "w", "b"]) { try F.conv2d($0[0], weight: $0[1], bias: $0[2], padding: 1, groups: 4) }
        try expectMatches("conv2d_dil", ["x", "w"]) { try F.conv2d($0[0], weight: $0[1], padding: 2, dilation: 2) }
        try expectMatches("linear", ["x", "w", "b"]) { try F.linear($0[0], weight: $0[1], bias: $0[2]) }
        try expectMatches("matmul", ["a", "b"]) { try F.matmul($0[0], $0[1]) }
    }

    @Test func batchNormUpdatesRunningStatistics() throws {
        let mean = try fixture("batch_norm_train.running_mean").clone(), variance = try fixture("batch_norm_train.running_var").clone()
        try expectMatches("batch_norm_train", ["x", "weight", "bias"]) {
            try F.batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: mean, runningVar: variance, training: true)
        }
        try expectClose(mean, fixture("batch_norm_train.running_mean_after"), "running_mean")
        try expectClose(variance, fixture("batch_norm_train.running_var_after"), "running_var")
        let m = fixture("batch_norm_eval.running_mean"), v = fixture("batch_norm_eval.running_var")
        try expectMatches("batch_norm_eval", ["x", "weight", "bias"]) {
            try F.batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: m, runningVar: v, training: false)
        }
    }

    @Test func norms() throws {
        try expectMatches("group_norm", ["x", "weight", "bias"]) { try F.groupNorm($0[0], groups: 4, weight: $0[1], bias: $0[2]) }
        try expectMatches("layer_norm", ["x", "weight", "bias"]) { try F.layerNorm($0[0], shape: [8], weight: $0[1], bias: $0[2]) }
    }

    @Test func attention() throws {
        try expectMatches("sdpa", ["q", "k", "v"]) { try F.scaledDotProductAttention($0[0], $0[1], $0[2]) }
        let mha = try MultiheadAttention(embedDim: 16, heads: 4)
        try mha.load(["in_proj_weight": fixture("mha.in_proj_weight"), "in_proj_bias": fixture("mha.in_proj_bias"),
                      "out_proj.weight": fixture("mha.out_proj.weight"), "out_proj.bias": fixture("mha.out_proj.bias")])
        let x = try fixture("mha.x").clone().requiringGrad()
        let out = try mha(query: x, key: x, value: x)
        try expectClose(out, fixture("mha.out"), "mha.out")
        try (out * fixture("mha.gout")).sum().backward()
        try expectClose(try #require(x.grad), fixture("mha.gx"), "mha.gx")
        try expectClose(try #require(mha.inProjWeight.grad), fixture("mha.gin_proj_weight"), "mha.gin_proj_weight")
        try expectClose(try #require(mha.outProj.weight.grad), fixture("mha.gout_proj.weight"), "mha.gout_proj.weight")
    }

    @Test func activations() throws {
        try expectMatches("softmax", ["x"]) { try F.softmax($0[0], dim: -1) }
        try expectMatches("relu", ["x"]) { try $0[0].relu() }
        try expectMatches("relu6", ["x"]) { try $0[0].relu6() }
        try expectMatches("sigmoid", ["x"]) { try $0[0].sigmoid() }
        try expectMatches("gelu", ["x"]) { try $0[0].gelu() }
    }

    @Test func poolingAndResizing() throws {
        try expectMatches("max_pool2d", ["x"]) { try F.maxPool2d($0[0], kernel: 3, stride: 2, padding: 1) }
        try expectMatches("adaptive_avg_pool2d", ["x"]) { try F.adaptiveAvgPool2d($0[0], size: (1, 1)) }
        try expectMatches("interp_bilinear", ["x"]) { try F.interpolate($0[0], size: (9, 7)) }
        try expectMatches("interp_nearest", ["x"]) { try F.interpolate($0[0], size: (8, 8), mode: .nearest) }
    }

    @Test func losses() throws {
        let t = { (name: String) in self.fixture("\(name).t") }
        try expectMatches("focal", ["x"]) { try F.sigmoidFocalLoss($0[0], t("focal"), reduction: .sum) }
        try expectMatches("ce", ["x"]) { try F.crossEntropy($0[0], t("ce"), weight: fixture("ce.w_class")) }
        try expectMatches("bce_logits", ["x"]) { try F.binaryCrossEntropyWithLogits($0[0], t("bce_logits")) }
        try expectMatches("l1", ["x"]) { try F.l1Loss($0[0], t("l1")) }
        try expectMatches("giou", ["a"]) { try BoxOps.generalizedIoULoss($0[0], fixture("giou.b")) }
    }

    @Test func adamwMatchesTorchOptim() throws {
        let p = try fixture("adamw.p0").clone().requiringGrad()
        let optimizer = AdamW([p], learningRate: 1e-2, weightDecay: 0.05)
        for step in 1...3 {
            try p.setGrad(fixture("adamw.g\(step)").clone())
            try optimizer.update()
            try expectClose(p, fixture("adamw.p\(step)"), "adamw.p\(step)")
        }
    }

    @Test func gradientClipping() throws {
        let a = try Tensor.zeros([3, 3]).requiringGrad(), b = try Tensor.zeros([4]).requiringGrad()
        try a.setGrad(fixture("clip_grad.ga").clone())
        try b.setGrad(fixture("clip_grad.gb").clone())
        let total = try clipGradNorm([a, b], maxNorm: 0.5)
        #expect(Swift.abs(total - (try fixture("clip_grad.total_norm").item())) < 1e-5)
        try expectClose(try #require(a.grad), fixture("clip_grad.ga_after"), "ga_after")
        try expectClose(try #require(b.grad), fixture("clip_grad.gb_after"), "gb_after")
    }
}

/// |a - b| <= atol + rtol·|b| elementwise, reporting the worst element.
func expectClose(_ a: Tensor, _ b: Tensor, _ what: String, rtol: Double = 1e-4, atol: Double = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(a.shape == b.shape, "\(what): shape \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
    guard a.shape == b.shape else { return }
    let x = try a.to(.float64).array(Double.self), y = try b.to(.float64).array(Double.self)
    let worst = zip(x, y).map { Swift.abs($0 - $1) - rtol * Swift.abs($1) }.max() ?? 0
    #expect(worst <= atol, "\(what): worst excess \(worst)", sourceLocation: sourceLocation)
}
