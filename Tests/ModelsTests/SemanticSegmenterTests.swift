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

    @Test("pseudo-labels: the argmax where its probability clears the class's threshold, the ignore label elsewhere; they train")
    func pseudoLabels() throws {
        var config = SegmenterConfig(classes: 3)
        config.inputSize = 64
        let model = try LiveSemanticSegmenter(config: config, weights: nil, seed: 4)
        var pixels = Image(width: 40, height: 30, channels: 3, fill: 60)
        for y in 0..<15 { for x in 0..<40 { for c in 0..<3 { pixels[x: x, y: y, channel: c] = 200 } } }
        let sample = Sample(id: "u", image: pixels, annotation: Annotation())
        let argmax = try #require(try model.predict(pixels).labels)
        let everything = try model.pseudoLabel(sample, thresholds: .init(perClass: [0, 0, 0], ignoreAbove: 1))
        #expect(everything.annotation.labels == argmax, "a threshold of 0 keeps every pixel's argmax")
        let nothing = try model.pseudoLabel(sample, thresholds: .init(perClass: [nil, nil, nil], ignoreAbove: 1))
        #expect(nothing.annotation.labels?.labels.allSatisfy { $0 == UInt16(LiveSemanticSegmenter.ignore) } == true)
        // Over three classes the top probability is at least 1/3: a threshold of 0.34 drops some pixels at most.
        let some = try #require(try model.pseudoLabel(sample, thresholds: .init(perClass: [0.34, 0.34, 0.34], ignoreAbove: 1)).annotation.labels)
        #expect(zip(some.labels, argmax.labels).allSatisfy { $0 == $1 || $0 == UInt16(LiveSemanticSegmenter.ignore) })
        let labelled = Sample(id: "l", image: pixels, annotation: Annotation(labels: LabelMap(width: 40, height: 30, labels: (0..<1200).map { $0 < 600 ? 1 : 0 })))
        let step = try model.trainStep([labelled], pseudoLabelled: [everything], weight: 0.5)
        #expect(step.total.isFinite && (step.unlabelled ?? 0) > 0 && abs(step.labelled + step.unlabelled! - step.total) < 1e-9)
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
