import Foundation
import Testing
import Torch
@testable import Models

/// A user's weight file that does not fit is refused with the names of what is wrong, before any copy.
@Suite("backbone weight files a user brings")
struct BackboneWeightsErrorTests {
    func folder(with state: [String: Tensor], as kind: BackboneKind) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Safetensors.write(state, to: dir.appendingPathComponent("\(kind.rawValue).safetensors"))
        return dir
    }

    @Test("missing, unexpected and mis-shaped tensors are each named")
    func namesEveryProblem() throws {
        var state = try MobileNetV2(classifier: false).stateDict()
        state["features.2.conv.1.0.weight"] = nil
        state["features.19.0.weight"] = try Tensor.zeros([4])
        state["features.0.0.weight"] = try Tensor.zeros([16, 3, 3, 3])
        state["classifier.1.weight"] = try Tensor.zeros([1000, 1280])  // the head: allowed without a classifier
        let dir = try folder(with: state, as: .mobileNetV2)
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: BackboneWeightsError.self) { try BackboneKind.mobileNetV2.pretrained(in: dir, classifier: false) }
        #expect(error.missing == ["features.2.conv.1.0.weight"])
        #expect(error.unexpected == ["features.19.0.weight"])
        #expect(error.mismatched == [.init(name: "features.0.0.weight", fileShape: [16, 3, 3, 3], modelShape: [32, 3, 3, 3])])
        #expect(error.description.contains("features.0.0.weight: file [16, 3, 3, 3], mobilenet_v2 [32, 3, 3, 3]"))
    }

    @Test("a deeper network's file (ResNet-101 for ResNet-50) is refused, not half-loaded")
    func deeperNetwork() throws {
        var state = try ResNet50(classifier: false).stateDict()
        let extra = try Tensor.zeros([256, 1024, 1, 1])
        state["layer3.6.conv1.weight"] = extra
        let dir = try folder(with: state, as: .resNet50)
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: BackboneWeightsError.self) { try BackboneKind.resNet50.pretrained(in: dir, classifier: false) }
        #expect(error.unexpected == ["layer3.6.conv1.weight"] && error.missing.isEmpty)
    }

    @Test("a complete file loads, and its values arrive")
    func loads() throws {
        var state = try ConvNeXtTiny(classifier: false).stateDict()
        state["features.1.0.layer_scale"] = try Tensor.ones([96, 1, 1]) * 0.25
        let dir = try folder(with: state, as: .convNeXtTiny)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try BackboneKind.convNeXtTiny.pretrained(in: dir, classifier: false)
        let loaded = try #require(model.stateDict()["features.1.0.layer_scale"])
        #expect(try loaded.floats().allSatisfy { $0 == 0.25 })
    }

    @Test("a missing file for a brought backbone says how to convert one")
    func missingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        #expect { try BackboneKind.dinov2ViTSmall.pretrained(in: dir) } throws: { error in
            "\(error)".contains("dinov2_vits14.safetensors") && "\(error)".contains("convert_backbone_weights.py")
        }
    }
}
