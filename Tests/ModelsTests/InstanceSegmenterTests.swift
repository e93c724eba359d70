import Foundation
import TestSupport
import Testing
import Torch
import Vision
@testable import Models

@Suite("instance segmenter", .serialized)
struct InstanceSegmenterTests {
    /// Fraction of true instances matched by a confident predicted mask with mask IoU >= 0.5.
    func maskRecall(_ p: Prediction, _ a: Annotation) -> Double {
        // Masks decoded once; pairs whose boxes miss each other cannot overlap and are skipped.
        let predicted = p.objects.filter { $0.score > 0.3 }.compactMap { o in o.mask.map { (box: o.box, mask: $0.mask) } }
        let hits = a.objects.filter { gt in
            let truth = gt.mask!.mask
            return predicted.contains { $0.box.iou(gt.box) > 0 && $0.mask.iou(truth) >= 0.5 }
        }.count
        return Double(hits) / Double(max(a.objects.count, 1))
    }

    @Test("from pretrained weights it learns nucleus masks from microscopy tiles")
    func learnsNuclei() throws {
        let set = try COCODataset.instances(contentsOf: PackagePaths.coco("stardist-nuclei"))
        let samples = try set.entries.map { Sample(id: "\($0.id)", image: try Image(contentsOf: $0.url), annotation: $0.annotation) }
        #expect(samples.allSatisfy { $0.annotation.objects.allSatisfy { $0.mask != nil } })
        var config = SegmenterConfig(classes: 1)
        config.inputSize = 256
        let model = try LiveInstanceSegmenter(config: config, weights: PackagePaths.weights, seed: 3)
        let steps = Int(ProcessInfo.processInfo.environment["SEGMENTER_TEST_STEPS"] ?? "40")!
        var losses: [StepLoss] = []
        for i in 0..<steps { losses.append(try model.trainStep((0..<4).map { samples[($0 + i) % samples.count] })) }
        let recall = samples.map { maskRecall(try! model.predict($0.image), $0.annotation) }.reduce(0, +) / Double(samples.count)
        print("instance: loss \(losses.first!.parts) -> \(losses.last!.parts), mask recall \(recall)")
        #expect((losses.last!.parts["mask"] ?? 9) < (losses.first!.parts["mask"] ?? 0))
        #expect(recall > 0.3)
    }
}
