import Foundation
import TestSupport
import Testing
import Torch

@testable import Models

/// The Swift architectures compute what the PyPI reference implementations compute, on the random weights
/// and input of assets/fixtures/backbones (scripts/setup_backbone_fixtures.sh, run by `make test` and `make fixtures`).
@Suite("backbone parity on random weights", .serialized)
struct BackboneParityTests {
    static let folder = PackagePaths.assets.appendingPathComponent("fixtures/backbones")

    /// Largest |swift − reference| over the largest |reference|: the maps' scales differ by orders of magnitude.
    func relativeError(_ a: Tensor, _ b: Tensor) throws -> Double {
        let scale: Double = try b.abs().amax().item()
        return try (a - b).abs().amax().item() / Swift.max(scale, 1e-12)
    }

    func fixture(_ kind: BackboneKind) throws -> [String: Tensor] {
        let url = Self.folder.appendingPathComponent("\(kind.rawValue).safetensors")
        // Missing fixtures fail the test: set-up makes them, and a skipped parity check proves nothing.
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TorchError("parity fixture '\(url.path)' missing: run `make fixtures` (scripts/setup_backbone_fixtures.sh)")
        }
        return try Safetensors.read(url)
    }

    @Test(
        "features at strides 4-32 match the reference within 1e-4 relative",
        arguments: [BackboneKind.resNet50, .convNeXtTiny, .efficientNetLite2, .dinov2ViTSmall])
    func features(kind: BackboneKind) throws {
        let reference = try fixture(kind)
        let hasClassifier = reference["logits"] != nil
        let model = try kind.pretrained(in: Self.folder.appendingPathComponent("weights"), classifier: hasClassifier)
        model.eval()
        let input = try #require(reference["input"])
        let maps = try withNoGrad { try model.featuresFromStride4(input) }
        #expect(maps.map { $0.size(1) } == [model.stride4Channels] + model.featureChannels)
        for (map, name) in zip(maps, ["c2", "c3", "c4", "c5"]) {
            let expected = try #require(reference[name])
            #expect(map.shape == expected.shape, "\(kind.rawValue) \(name)")
            guard map.shape == expected.shape else { continue }
            let error = try relativeError(map, expected)
            print("parity \(kind.rawValue) \(name) \(map.shape): relative error \(error)")
            #expect(error <= 1e-4, "\(kind.rawValue) \(name) differs by \(error) relative")
        }
        if let logits = reference["logits"] {
            let error = try relativeError(try withNoGrad { try model.classify(input) }, logits)
            print("parity \(kind.rawValue) logits: relative error \(error)")
            #expect(error <= 1e-4, "\(kind.rawValue) logits differ by \(error) relative")
        }
    }

    @Test("DINOv2's patch grid matches timm's final tokens, position embeddings resampled 37x37 -> 8x8")
    func dinoGrid() throws {
        let reference = try fixture(.dinov2ViTSmall)
        let model = try #require(
            try BackboneKind.dinov2ViTSmall.pretrained(in: Self.folder.appendingPathComponent("weights")) as? DINOv2ViTSmall)
        model.eval()
        let grid = try withNoGrad { try model.patchGrid(#require(reference["input"])) }
        let error = try relativeError(grid, #require(reference["grid"]))
        #expect(error <= 1e-4, "grid differs by \(error) relative")
    }

    @Test("new backbones carry the reference's tensor names and counts")
    func keyCounts() throws {
        #expect(try ResNet50().stateDict().count == 320)
        #expect(try ConvNeXtTiny().stateDict().count == 182)
        #expect(try DINOv2ViTSmall().stateDict().count == 174)
        let names = Set(try ConvNeXtTiny().stateDict().keys)
        #expect(
            names.isSuperset(of: ["features.1.0.block.5.weight", "features.1.0.layer_scale", "features.2.0.weight", "classifier.2.bias"]))
        #expect(Set(try ResNet50(classifier: false).stateDict().keys).contains("layer4.0.downsample.1.running_var"))
        #expect(
            Set(try DINOv2ViTSmall().stateDict().keys).isSuperset(of: ["pos_embed", "blocks.11.ls2.gamma", "blocks.0.attn.qkv.weight"]))
    }

    @Test("odd input sizes give ceil(size / stride) maps")
    func oddSizes() throws {
        for kind in [BackboneKind.resNet50, .convNeXtTiny, .dinov2ViTSmall] {
            let model = try kind.make(classifier: false)
            model.eval()
            let maps = try withNoGrad { try model.featuresFromStride4(Tensor.randn([1, 3, 72, 72])) }
            // ConvNeXt's patchify stem and stride-2 convs without padding floor instead: 18, 9, 4, 2.
            let expected = kind == .convNeXtTiny ? [18, 9, 4, 2] : [18, 9, 5, 3]
            #expect(maps.map { $0.size(2) } == expected, "\(kind.rawValue)")
        }
    }
}
