import Foundation
import Torch

/// Files made by `make setup` (scripts/setup_assets.sh) under the package's git-ignored assets/.
enum Assets {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("assets")
    static let weights = root.appendingPathComponent("weights")
    static func photo(_ name: String) -> URL { root.appendingPathComponent("photos/\(name)") }

    static func fixture(_ name: String) throws -> [String: Tensor] {
        try Safetensors.read(Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures")!)
    }
}
