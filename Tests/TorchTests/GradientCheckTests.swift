import Testing
@testable import Torch

/// Autograd through each op family agrees with finite differences (float64, small shapes).
@Suite("gradients match finite differences")
struct GradientCheckTests {
    init() { Torch.manualSeed(7) }

    @Test func conv2dStridedPadded() throws {
        try expectGradientsMatch([[1, 2, 5, 5], [3, 2, 3, 3], [3]]) { try F.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    }

    @Test func depthwiseConv() throws {
        try expectGradientsMatch([[1, 3, 4, 4], [3, 1, 3, 3]]) { try F.conv2d($0[0], weight: $0[1], padding: 1, groups: 3) }
    }

    @Test func linearAndMatmul() throws {
        try expectGradientsMatch([[3, 4], [2, 4], [2]]) { try F.linear($0[0], weight: $0[1], bias: $0[2]) }
        try expectGradientsMatch([[2, 3], [3, 2]]) { try F.matmul($0[0], $0[1]) }
    }

    @Test func norms() throws {
        try expectGradientsMatch([[2, 4, 3, 3], [4], [4]]) { try F.groupNorm($0[0], groups: 2, weight: $0[1], bias: $0[2]) }
        try expectGradientsMatch([[2, 3, 4], [4], [4]]) { try F.layerNorm($0[0], shape: [4], weight: $0[1], bias: $0[2]) }
        try expectGradientsMatch([[3, 2, 2, 2], [2], [2]], tolerance: 1e-5) {
            try F.batchNorm($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
        }
    }

    @Test func activations() throws {
        try expectGradientsMatch([[7]]) { try $0[0].sigmoid() + $0[0].gelu() + $0[0].tanh() }
        try expectGradientsMatch([[2, 5]]) { try F.softmax($0[0], dim: -1) }
    }

    @Test func poolingAndResizing() throws {
        try expectGradientsMatch([[1, 1, 4, 4]]) { try F.maxPool2d($0[0], kernel: 2) }
        try expectGradientsMatch([[1, 2, 3, 3]]) { try F.interpolate($0[0], size: (5, 4)) }
        try expectGradientsMatch([[1, 2, 3, 3]]) { try F.adaptiveAvgPool2d($0[0], size: (1, 1)) }
    }

    @Test func attention() throws {
        try expectGradientsMatch([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]) { try F.scaledDotProductAttention($0[0], $0[1], $0[2]) }
    }

    @Test func losses() throws {
        let t = try Tensor.rand([4, 3], dtype: .float64).gt(0.5).to(.float64)
        try expectGradientsMatch([[4, 3]]) { try F.sigmoidFocalLoss($0[0], t, reduction: .sum) }
        try expectGradientsMatch([[4, 3]]) { try F.binaryCrossEntropyWithLogits($0[0], t) }
        let classes = try Tensor([Int64(0), 2, 1, 2], shape: [4])
        try expectGradientsMatch([[4, 3]]) { try F.crossEntropy($0[0], classes) }
        try expectGradientsMatch([[4, 3]]) { try F.l1Loss($0[0], t) }
    }

    @Test func generalizedIoU() throws {
        let b = try Tensor([0.0, 0, 2, 2, 1, 1, 4, 3], shape: [2, 4])
        // Boxes built from free variables so x2 > x1 and y2 > y1 always hold.
        try expectGradientsMatch([[2, 2], [2, 2]], tolerance: 1e-5) {
            let a = try Tensor.cat([$0[0], $0[0] + $0[1].exp() + 0.5], dim: 1)
            return try BoxOps.generalizedIoULoss(a, b)
        }
    }

    @Test func indexingAndShape() throws {
        try expectGradientsMatch([[2, 3], [2, 2]]) { try Tensor.cat([$0[0], $0[1]], dim: 1).permute([1, 0]).reshape([10]) }
        try expectGradientsMatch([[4, 3]]) { try $0[0].index([try Tensor([Int64(3), 0], shape: [2])]).sum(dims: [1]) }
    }
}
