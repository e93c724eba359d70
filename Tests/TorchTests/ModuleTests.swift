import Foundation
import Testing
@testable import Torch

final class Block: Module, Layer {
    let conv: Conv2d
    let norm: BatchNorm2d
    let extra: Linear?
    override init() {
        conv = try! Conv2d(3, 4, kernel: 3, bias: false)
        norm = try! BatchNorm2d(4)
        extra = nil
        super.init()
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try norm(conv(x)).relu() }
}

@Suite("modules")
struct ModuleTests {
    @Test("parameters and buffers are named like PyTorch's state dict")
    func naming() throws {
        let net = Sequential([try Block(), Lambda.relu, try Conv2d(4, 2, kernel: 1)])
        #expect(net.namedParameters().map(\.0) == ["0.conv.weight", "0.norm.weight", "0.norm.bias", "2.weight", "2.bias"])
        #expect(net.namedBuffers().map(\.0) == ["0.norm.running_mean", "0.norm.running_var", "0.norm.num_batches_tracked"])
    }

    @Test("eval mode uses running statistics; train mode updates them")
    func trainEval() throws {
        let bn = try BatchNorm2d(2)
        let x = try Tensor.randn([4, 2, 3, 3]) * 3 + 5
        _ = try bn(x)
        let mean = try bn.runningMean.tensor.floats()
        #expect(mean.allSatisfy { $0 > 0.2 })  // moved 10 % toward ~5
        bn.eval()
        #expect(!bn.isTraining)
        let before = try bn.runningMean.tensor.floats()
        _ = try bn(x)
        #expect(try bn.runningMean.tensor.floats() == before)
    }

    @Test("state saved as safetensors loads into a fresh model exactly")
    func saveLoad() throws {
        let a = try Block(), b = try Block()
        _ = try a(try Tensor.randn([2, 3, 5, 5]))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("block-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try a.save(to: url)
        try b.load(contentsOf: url)
        for ((name, x), (_, y)) in zip(a.stateDict().sorted { $0.key < $1.key }, b.stateDict().sorted { $0.key < $1.key }) {
            #expect(try x.to(.float64).array(Double.self) == y.to(.float64).array(Double.self), "\(name)")
        }
    }

    @Test("loading a mismatched state dict names the offending keys")
    func strictLoad() throws {
        let block = try Block()
        var state = block.stateDict()
        state["conv.weight"] = try Tensor.zeros([4, 3, 5, 5])
        #expect(throws: TorchError.self) { try block.load(state) }
        state.removeValue(forKey: "conv.weight")
        let error = #expect(throws: TorchError.self) { try block.load(state) }
        #expect(error?.message.contains("conv.weight") == true)
    }
}
