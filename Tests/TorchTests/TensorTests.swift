import Testing
@testable import Torch

@Suite("tensors")
struct TensorTests {
    @Test("values round-trip through libtorch in every dtype")
    func roundTrip() throws {
        #expect(try Tensor([1.5 as Float, -2, 3], shape: [3]).array(Float.self) == [1.5, -2, 3])
        #expect(try Tensor([Int64.max, -1], shape: [2]).array(Int64.self) == [Int64.max, -1])
        #expect(try Tensor([true, false], shape: [2]).array(Bool.self) == [true, false])
        #expect(try Tensor([UInt8(255), 0], shape: [2]).array(UInt8.self) == [255, 0])
        let half = try Tensor([0.5 as Float, 1, 2], shape: [3]).to(.float16)
        #expect(half.dtype == .float16)
        #expect(try half.to(.float32).array(Float.self) == [0.5, 1, 2])
        #expect(try Tensor([1 as Float, 3], shape: [2]).to(.bfloat16).floats() == [1, 3])
    }

    @Test("arithmetic broadcasts like PyTorch")
    func broadcasting() throws {
        let a = try Tensor([1 as Float, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([10 as Float, 20, 30], shape: [3])
        #expect(try (a + b).floats() == [11, 22, 33, 14, 25, 36])
        #expect(try (2 - a).floats() == [1, 0, -1, -2, -3, -4])
        #expect(try a.sum(dims: [1]).floats() == [6, 15])
        #expect(try a.mean().item() == 3.5)
        #expect(try a.argmax(dim: 1).array(Int64.self) == [2, 2])
        #expect(try a.transpose(0, 1).contiguous().floats() == [1, 4, 2, 5, 3, 6])
    }

    @Test("a wrong shape is a thrown error carrying libtorch's message")
    func badShape() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        let error = #expect(throws: TorchError.self) { try F.matmul(a, b) }
        #expect(error?.message.contains("cannot be multiplied") == true)
        #expect(throws: TorchError.self) { try a.reshape([7]) }
        #expect(throws: TorchError.self) { try Tensor([1 as Float, 2], shape: [3]) }
        #expect(throws: TorchError.self) { try a.array(Int64.self) }
        let conv = try Conv2d(3, 4, kernel: 3)
        #expect(throws: TorchError.self) { try conv(try Tensor.zeros([1, 5, 8, 8])) }
    }

    @Test("running out of memory is a thrown error, not a crash")
    func outOfMemory() throws {
        let error = #expect(throws: TorchError.self) { try Tensor.zeros([1 << 42]) }
        #expect(error?.message.lowercased().contains("memory") == true || error?.message.contains("allocate") == true)
        // The process still works afterwards.
        #expect(try Tensor.ones([2]).sum().item() == 2)
    }

    @Test("no-grad scopes stop graph recording and restore the previous mode")
    func noGrad() throws {
        let w = try Tensor.ones([2]).requiringGrad()
        let y = try withNoGrad { try w * 2 }
        #expect(!y.requiresGrad)
        #expect(Torch.isGradEnabled)
        #expect(try (w * 2).requiresGrad)
    }
}
