import Foundation
import Torch

/// PyTorch's numbers for the model tests, made by scripts/reference and kept in this target's Fixtures/.
enum ReferenceFixture {
    static func tensors(_ name: String) throws -> [String: Tensor] {
        try Safetensors.read(Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures")!)
    }
}
