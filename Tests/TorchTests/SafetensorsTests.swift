import Foundation
import Testing
@testable import Torch

@Suite("safetensors")
struct SafetensorsTests {
    @Test("every dtype round-trips bit for bit")
    func roundTrip() throws {
        let tensors: [String: Tensor] = [
            "f": try Tensor.randn([3, 4]), "d": try Tensor.randn([2], dtype: .float64),
            "h": try Tensor.randn([5]).to(.float16), "i": try Tensor([Int64(-3), 9], shape: [2]),
            "b": try Tensor([true, false, true], shape: [3]), "s": try Tensor(scalar: 4),
        ]
        let back = try Safetensors.decode(Safetensors.encode(tensors, metadata: ["format": "pt"]))
        #expect(Set(back.keys) == Set(tensors.keys))
        for (name, t) in tensors {
            #expect(back[name]!.shape == t.shape && back[name]!.dtype == t.dtype, "\(name)")
            #expect(try back[name]!.bytes() == t.bytes(), "\(name)")
        }
    }

    @Test("a truncated or corrupt file is an error naming the file")
    func corrupt() throws {
        let good = try Safetensors.encode(["w": try Tensor.randn([16])])
        for bad in [Data(), good.prefix(5), good.prefix(good.count - 4), Data(repeating: 0xFF, count: 64)] {
            let error = #expect(throws: TorchError.self) { try Safetensors.decode(bad, name: "w.safetensors") }
            #expect(error?.message.contains("w.safetensors") == true)
        }
    }

    @Test("a header shape that is negative or overflows is an error, not a trap")
    func impossibleShapes() throws {
        for shape in ["[4294967296,4294967296]", "[-2,-3]", "[1152921504606846976]"] {
            let header = Data(#"{"w":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,0]}}"#.utf8)
            var file = Data()
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
            file.append(header)
            let error = #expect(throws: TorchError.self) { try Safetensors.decode(file, name: "w.safetensors") }
            #expect(error?.message.contains("impossible shape") == true, "\(shape)")
        }
    }
}
