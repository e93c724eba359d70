import Testing
@testable import Torch

@Suite("training")
struct TrainingTests {
    @Test("a tiny conv net drives its loss to near zero on a fixed batch")
    func overfit() throws {
        Torch.manualSeed(1)
        let net = Sequential([
            try Conv2d(3, 8, kernel: 3), try GroupNorm(groups: 2, channels: 8), Lambda.relu,
            Lambda { try F.adaptiveAvgPool2d($0, size: (1, 1)).flatten(from: 1) }, try Linear(8, 3),
        ])
        let x = try Tensor.randn([6, 3, 8, 8])
        let y = try Tensor([Int64(0), 1, 2, 0, 1, 2], shape: [6])
        let optimizer = AdamW(net.parameters(), learningRate: 0.05, weightDecay: 0)
        var first = 0.0, last = 0.0
        for step in 0..<150 {
            try optimizer.zeroGrad()
            let loss = try F.crossEntropy(net(x), y)
            try loss.backward()
            try clipGradNorm(net.parameters(), maxNorm: 5)
            try optimizer.update()
            if step == 0 { first = try loss.item() }
            last = try loss.item()
        }
        #expect(first > 0.8)
        #expect(last < 0.02, "loss \(first) -> \(last)")
    }

    @Test("optimiser state saved and restored continues identically")
    func optimizerResume() throws {
        Torch.manualSeed(3)
        let w0 = try Tensor.randn([4])
        func run(_ steps: Int, restartAt: Int?) throws -> [Float] {
            var w = try w0.clone().requiringGrad()
            var opt = AdamW([w], learningRate: 0.1)
            for i in 0..<steps {
                if i == restartAt {
                    let state = try opt.state(), saved = try w.detached().clone()
                    w = try saved.requiringGrad()
                    opt = AdamW([w], learningRate: 0.1)
                    try opt.load(state)
                }
                try opt.zeroGrad()
                try (w * w * w).sum().backward()
                try opt.update()
            }
            return try w.floats()
        }
        #expect(try run(6, restartAt: nil) == run(6, restartAt: 3))
    }
}
