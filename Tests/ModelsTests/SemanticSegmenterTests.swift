import Foundation
import TestSupport
import Testing
import Torch
import Vision
@testable import Models

@Suite("semantic segmenter", .serialized)
struct SemanticSegmenterTests {
    /// IoU of class `c` between prediction and truth over a set of images.
    func iou(_ pairs: [(LabelMap, LabelMap)], _ c: UInt16) -> Double {
        var inter = 0, union = 0
        for (p, t) in pairs {
            for (a, b) in zip(p.labels, t.labels) {
                if a == c && b == c { inter += 1 }
                if a == c || b == c { union += 1 }
            }
        }
        return union > 0 ? Double(inter) / Double(union) : 0
    }

    @Test("from pretrained weights it learns thin road cracks from four images")
    func learnsCracks() throws {
        let set = try SemanticDataset(contentsOf: PackagePaths.datasets.appendingPathComponent("crackforest-cracks/dataset.json"))
        #expect(set.classes == ["background", "crack"])
        let samples = try set.entries.prefix(4).map { try set.sample($0) }
        var config = SegmenterConfig(classes: 2)
        config.inputSize = 320
        let model = try LiveSemanticSegmenter(config: config, weights: PackagePaths.weights, seed: 2)
        let steps = Int(ProcessInfo.processInfo.environment["SEGMENTER_TEST_STEPS"] ?? "60")!
        var losses: [Double] = []
        for i in 0..<steps {
            losses.append(try model.trainStep((0..<4).map { samples[($0 + i) % 4] }).total)
        }
        let pairs = try samples.map { (try #require(model.predict($0.image).labels), $0.annotation.labels!) }
        let crackIoU = iou(pairs, 1)
        print("semantic: loss \(losses.first!) -> \(losses.suffix(3)), crack IoU \(crackIoU)")
        #expect(pairs.allSatisfy { $0.0.width == $0.1.width && $0.0.height == $0.1.height })
        #expect(crackIoU > 0.2)
    }
}
