import Foundation
import TestSupport
import Testing
import Torch
import Vision

@testable import Models

/// The new backbones plug into all three live models: the necks take their channels and strides, a
/// training step gives a finite loss, and a prediction comes back in the image's coordinates.
@Suite("live models on the new backbones", .serialized)
struct BackboneLiveModelTests {
    @Test(
        "train a step and predict on every task",
        arguments: [BackboneKind.efficientNetLite2, .resNet50, .convNeXtTiny, .dinov2ViTSmall])
    func trainsAndPredicts(kind: BackboneKind) throws {
        // Lite2 loads its real ImageNet weights; the others the parity fixtures' random ones, through
        // the same loader a user's folder goes through.
        let weights = kind.shipsWeights ? PackagePaths.weights : BackboneParityTests.folder.appendingPathComponent("weights")
        for task in VisionTask.allCases {
            var spec = LiveModelSpec(task: task, classes: 2)
            (spec.backbone, spec.inputSize, spec.batchSize) = (kind, 96, 2)
            let model = try spec.make(weights: weights)
            let sample = warmUpSample(size: 96, classes: 2, semantic: task == .semantic)
            if task != .instance {  // the warm-up sample has no mask for the instance loss
                let loss = try model.trainStep([sample, sample])
                #expect(loss.total.isFinite, "\(kind.rawValue) \(task) loss \(loss.total)")
            }
            try model.warmUp()
            let image = Image(width: 120, height: 80, channels: 3, fill: 90)
            _ = try model.predict(image)
        }
    }
}
