import Foundation
import TestSupport
import Testing
import Torch
import Vision
@testable import Models

/// The Swift backbones load PyTorch's ImageNet weights and compute what PyTorch computes.
@Suite("pretrained backbones", .serialized)
struct PretrainedBackboneTests {
    /// Largest |swift - pytorch| of two tensors.
    func maxDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
        try (a - b).abs().amax().item()
    }

    /// The kinds with committed ImageNet-weight fixtures (Tests/ModelsTests/Fixtures); the others are
    /// pinned on random weights by BackboneParityTests.
    @Test("forward pass matches PyTorch within 1e-4", arguments: [BackboneKind.mobileNetV2, .efficientNetLite0])
    func parity(kind: BackboneKind) throws {
        let model = try kind.pretrained(in: PackagePaths.weights)
        model.eval()
        let reference = try ReferenceFixture.tensors(kind.rawValue)
        let input = reference["input"]!
        let logits = try withNoGrad { try model.classify(input) }
        let difference = try maxDifference(logits, reference["logits"]!)
        #expect(difference <= 1e-4, "\(kind.rawValue) logits differ by \(difference)")
        let first = try input.slice(dim: 0, start: 0, end: 1)
        let maps = try withNoGrad { try model.features(first) }
        for (map, name) in zip(maps, ["c3", "c4", "c5"]) {
            let d = try maxDifference(map, reference[name]!)
            #expect(d <= 1e-4, "\(kind.rawValue) \(name) differs by \(d)")
        }
        #expect(try logits.sorted(dim: -1, descending: true).indices.slice(dim: -1, end: 5).array(Int64.self) == reference["top5"]!.array(Int64.self))
    }

    @Test("real photos are classified as what they show", arguments: BackboneKind.allCases.filter(\.shipsWeights))
    func classifiesPhotos(kind: BackboneKind) throws {
        let model = try kind.pretrained(in: PackagePaths.weights)
        model.eval()
        let cats: Set<Int64> = [281, 282, 283, 284, 285, 287]  // tabby, tiger, Persian, Siamese, Egyptian cat, lynx
        let coffee: Set<Int64> = [967, 968, 504]  // espresso, cup, coffee mug
        for (photo, expected) in [("chelsea.png", cats), ("coffee.png", coffee)] {
            let image = try Image(contentsOf: PackagePaths.photo(photo))
            let x = try model.normalization.apply(centerCrop224(image.tensor()))
            let top = try withNoGrad { try model.classify(x).argmax(dim: 1).array(Int64.self)[0] }
            #expect(expected.contains(top), "\(kind.rawValue) called \(photo) class \(top)")
        }
    }

    @Test("weights are loaded strictly: every tensor named like torchvision / efficientnet-lite")
    func keyNames() throws {
        let mobile = try MobileNetV2()
        let names = Set(mobile.stateDict().keys)
        #expect(names.contains("features.2.conv.1.0.weight"))
        #expect(names.contains("features.1.conv.2.running_var"))
        #expect(names.contains("classifier.1.bias"))
        #expect(names.count == 314)
        let lite = try EfficientNetLite(.lite0)
        #expect(Set(lite.stateDict().keys).contains("_blocks.15._project_conv.weight"))
        #expect(lite.stateDict().count == 296)
        #expect(try EfficientNetLite(.lite2).stateDict().count == 386)
    }
}
