import Foundation
import TestSupport
import Testing
import Torch
import Vision
@testable import Models

@Suite("detector", .serialized)
struct DetectorTests {
    @Test("a location inside two boxes is assigned to the smaller; far locations are background")
    func assignment() {
        var config = DetectorConfig(classes: 2)
        config.strides = [8]
        config.sizeRanges = [0...1e8]
        let grid = PointGrid(grids: [(4, 4)], strides: [8])  // centres at 4, 12, 20, 28
        let big = AnnotatedObject(classIndex: 0, box: Box(x1: 0, y1: 0, x2: 32, y2: 32))
        let small = AnnotatedObject(classIndex: 1, box: Box(x1: 8, y1: 8, x2: 18, y2: 18))
        let t = assignTargets(objects: [big, small], grid: grid, config: config)
        #expect(t.classes[1 * 4 + 1] == 1)  // (12, 12): inside both, small wins
        #expect(t.distances[5] == [4, 4, 6, 6])
        #expect(abs(t.centerness[5] - (4.0 / 6.0)) < 1e-12)
        #expect(t.classes[0] == -1)  // (4, 4): inside big but farther than 1.5 strides from its centre (16, 16)
        #expect(t.classes[2 * 4 + 2] == 0)  // (20, 20): only big
    }

    @Test("background locations inside an ignored region are marked; positives never are")
    func ignoredRegions() {
        var config = DetectorConfig(classes: 1)
        config.strides = [8]
        config.sizeRanges = [0...1e8]
        let grid = PointGrid(grids: [(4, 4)], strides: [8])  // centres at 4, 12, 20, 28
        let object = AnnotatedObject(classIndex: 0, box: Box(x1: 8, y1: 8, x2: 18, y2: 18))
        let t = assignTargets(objects: [object], ignored: [Box(x1: 0, y1: 0, x2: 16, y2: 32)], grid: grid, config: config)
        #expect(t.classes[5] == 0 && !t.ignored[5], "(12, 12) is the object's")
        #expect(t.ignored[0] && t.ignored[4] && t.ignored[13], "x 4 or 12: inside the region")
        #expect(!t.ignored[2] && !t.ignored[3], "x 20 and 28 lie outside it")
        #expect(assignTargets(objects: [object], grid: grid, config: config).ignored.isEmpty)
    }

    @Test("a pseudo-labelled image teaches classes only, and nothing where it is ignored")
    func pseudoLabelLoss() throws {
        var config = DetectorConfig(classes: 1)
        config.inputSize = 64
        let detector = try LiveDetector(config: config, weights: nil, seed: 3)
        let image = Image(width: 64, height: 64, channels: 3, fill: 90)
        let object = AnnotatedObject(classIndex: 0, box: Box(x1: 16, y1: 16, x2: 48, y2: 48))
        var sample = Sample(id: "u", image: image, annotation: Annotation(objects: [object]))
        let labelled = try detector.loss([sample])
        let pseudo = try detector.loss([sample], pseudo: true)
        #expect(Set(labelled.parts.keys) == ["cls", "box", "ctr"] && Set(pseudo.parts.keys) == ["cls"])
        sample.annotation = Annotation()
        let background = try detector.loss([sample], pseudo: true).total.item()
        sample.ignoredRegions = [Box(x1: -100, y1: -100, x2: 200, y2: 200)]  // augmentation moves the image; the region covers it anyway
        let ignored = try detector.loss([sample], pseudo: true).total.item()
        #expect(background > 0 && ignored == 0, "background \(background), all ignored \(ignored)")
        // A step on both: the weighted pseudo-label part is reported apart from the labelled loss.
        let step = try detector.trainStep([Sample(id: "l", image: image, annotation: Annotation(objects: [object]))], pseudoLabelled: [sample], weight: 2)
        #expect(step.unlabelled == 0 && step.parts["unlabelled"] == 0 && step.labelled == step.total)
    }

    @Test("ignored locations count with the positives in the classification normaliser")
    func ignoredNormaliser() throws {
        var config = DetectorConfig(classes: 1)
        config.strides = [8]
        config.sizeRanges = [0...1e8]
        let grid = PointGrid(grids: [(4, 4)], strides: [8])  // 16 locations
        // The teacher kept no object but saw a likely one over the left half: 8 locations ignored.
        let t = assignTargets(objects: [], ignored: [Box(x1: 0, y1: 0, x2: 16, y2: 32)], grid: grid, config: config)
        let out = Detector.Output(
            cls: try Tensor.zeros([1, 16, 1]), box: try Tensor.zeros([1, 16, 4]), ctr: try Tensor.zeros([1, 16, 1]),
            coef: nil, p3: try Tensor.zeros([1, 1, 4, 4]), grids: [(4, 4)])
        let loss = try detectionLoss(out, targets: [t], grid: grid, classes: 1, classificationOnly: true).total.item()
        // Focal loss of logit 0 on background: 0.75 × 0.5² × ln 2 per location; 8 kept over 8 ignored, not over 1.
        let perLocation = 0.75 * 0.25 * log(2.0)
        #expect(abs(loss - perLocation) < 1e-5, "\(loss) vs \(perLocation)")
    }

    @Test("NMS keeps the best of overlapping same-class boxes and boxes of other classes")
    func nms() {
        let a = Prediction.Object(classIndex: 0, box: Box(x1: 0, y1: 0, x2: 10, y2: 10), score: 0.9)
        let b = Prediction.Object(classIndex: 0, box: Box(x1: 1, y1: 1, x2: 11, y2: 11), score: 0.8)
        let c = Prediction.Object(classIndex: 1, box: Box(x1: 1, y1: 1, x2: 11, y2: 11), score: 0.7)
        let d = Prediction.Object(classIndex: 0, box: Box(x1: 50, y1: 50, x2: 60, y2: 60), score: 0.6)
        #expect(nonMaxSuppression([b, a, c, d], iou: 0.5) == [1, 2, 3])
    }

    /// Fraction of ground-truth boxes matched (IoU >= 0.5) by a prediction scoring above 0.3.
    func recall(_ p: Prediction, _ a: Annotation) -> Double {
        let confident = p.objects.filter { $0.score > 0.3 }
        let hits = a.objects.filter { gt in confident.contains { $0.box.iou(gt.box) >= 0.5 } }.count
        return Double(hits) / Double(max(a.objects.count, 1))
    }

    @Test("from pretrained weights it learns tree crowns from four aerial tiles")
    func learnsFromFewImages() throws {
        let dataset = try COCODataset(contentsOf: PackagePaths.coco("deepforest-trees"))
        let entries = dataset.entries.filter { $0.annotation.objects.count >= 5 }.prefix(4)
        let samples = try entries.map { Sample(id: "\($0.id)", image: try Image(contentsOf: $0.url), annotation: $0.annotation) }
        var config = DetectorConfig(classes: 1)
        config.inputSize = 320
        let detector = try LiveDetector(config: config, weights: PackagePaths.weights, seed: 1)
        let before = samples.map { recall(try! detector.predict($0.image), $0.annotation) }.reduce(0, +) / 4
        let steps = Int(ProcessInfo.processInfo.environment["DETECTOR_TEST_STEPS"] ?? "60")!
        var losses: [Double] = []
        for i in 0..<steps {
            let batch = (0..<4).map { samples[($0 + i) % samples.count] }
            losses.append(try detector.trainStep(batch).total)
        }
        let after = samples.map { recall(try! detector.predict($0.image), $0.annotation) }.reduce(0, +) / 4
        print("detector: loss \(losses.first!) -> \(losses.suffix(5)), recall \(before) -> \(after)")
        let early = losses.prefix(5).reduce(0, +) / 5, late = losses.suffix(5).reduce(0, +) / 5
        #expect(late < early * 0.7)
        #expect(after > 0.3 && after > before)
    }
}
