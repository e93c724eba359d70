import Foundation
import Models
import Testing
import Vision

@testable import LiveTraining

@Suite("live evaluator")
struct LiveEvaluatorTests {
    static let box = Box(x1: 10, y1: 10, x2: 50, y2: 50)
    static let elsewhere = Box(x1: 200, y1: 200, x2: 240, y2: 240)
    static let truth = Annotation(objects: [AnnotatedObject(classIndex: 0, box: box)])
    static func prediction(_ b: Box) -> Prediction { Prediction(objects: [.init(classIndex: 0, box: b, score: 0.9)]) }

    @Test("the first score is taken as is, later ones move the EMA by the factor; ready once it is above 0")
    func ema() throws {
        var evaluator = LiveEvaluator(emaFactor: 0.2)
        let first = evaluator.record(imageID: "1", prediction: Self.prediction(Self.elsewhere), annotation: Self.truth)
        #expect(first.primary == 0 && first.primaryEMA == 0 && !evaluator.isReady)

        let second = evaluator.record(imageID: "2", prediction: Self.prediction(Self.box), annotation: Self.truth)
        #expect(abs(second.primary - 1) < 1e-12 && abs(second.primaryEMA - 0.2) < 1e-12 && abs(second.secondaryEMA - 0.2) < 1e-12)
        #expect(evaluator.isReady)

        let third = evaluator.record(imageID: "3", prediction: Self.prediction(Self.box), annotation: Self.truth)
        #expect(abs(third.primaryEMA - (0.2 + 0.2 * (1 - 0.2))) < 1e-12)
        #expect(
            evaluator.evaluations.map(\.imageID) == ["1", "2", "3"] && evaluator.evaluations.map(\.index) == [0, 1, 2])
    }

    @Test("rebuilding from stored scores gives the EMAs and readiness of the original run")
    func rebuiltFromScores() throws {
        var original = LiveEvaluator(emaFactor: 0.2)
        let two = Annotation(objects: [AnnotatedObject(classIndex: 0, box: Self.box), AnnotatedObject(classIndex: 1, box: Self.elsewhere)])
        for (i, p) in [Self.elsewhere, Self.box, Self.box].enumerated() {
            original.record(imageID: "\(i)", prediction: Self.prediction(p), annotation: i == 1 ? two : Self.truth)
        }
        var rebuilt = LiveEvaluator(emaFactor: 0.2)
        for e in original.evaluations { rebuilt.add(imageID: e.imageID, primary: e.primary, secondary: e.secondary, perClass: e.perClass) }
        #expect(rebuilt.primaryEMA == original.primaryEMA && rebuilt.secondaryEMA == original.secondaryEMA)
        #expect(rebuilt.perClassEMA == original.perClassEMA && rebuilt.isReady == original.isReady)
        #expect(rebuilt.evaluations.map(\.primaryEMA) == original.evaluations.map(\.primaryEMA))
    }

    @Test("an empty final annotation scores 1 for an empty prediction and 0 otherwise")
    func emptyAnnotation() {
        let empty = Annotation(objects: [])
        #expect(LiveEvaluator.score(prediction: Prediction(objects: []), annotation: empty) == (1, 1))
        #expect(LiveEvaluator.score(prediction: Self.prediction(Self.box), annotation: empty) == (0, 0))
    }

    @Test("per-class scores: each class's EMA moves only on images that score it")
    func perClass() throws {
        var evaluator = LiveEvaluator(emaFactor: 0.5)
        let two = Annotation(objects: [AnnotatedObject(classIndex: 0, box: Self.box), AnnotatedObject(classIndex: 1, box: Self.elsewhere)])
        // Class 0 found, class 1 missed.
        let first = evaluator.record(imageID: "1", prediction: Self.prediction(Self.box), annotation: two)
        #expect(first.perClass?["0"].map { abs($0 - 1) < 1e-12 } == true && first.perClass?["1"] == 0)
        // Only class 0 in the next image, missed: class 1's average stays.
        let second = evaluator.record(imageID: "2", prediction: Self.prediction(Self.elsewhere), annotation: Self.truth)
        #expect(second.perClass?.keys.sorted() == ["0"])
        #expect(evaluator.perClassEMA?["0"].map { abs($0 - 0.5) < 1e-12 } == true && evaluator.perClassEMA?["1"] == 0)

        // Semantic: IoU per class of the image, background included.
        let truth = LabelMap(width: 4, height: 1, labels: [0, 0, 1, 1])
        let predicted = LabelMap(width: 4, height: 1, labels: [0, 1, 1, 1])
        let ious = LiveEvaluator.perClass(prediction: Prediction(labels: predicted), annotation: Annotation(objects: [], labels: truth),
                                          task: .semantic, classes: 3)
        #expect(ious == [0: 0.5, 1: 2.0 / 3.0])
    }

    @Test("a semantic project's primary and secondary values are mIoU and foreground mIoU, and its metric says so")
    func semanticMetricNames() {
        let truth = LabelMap(width: 4, height: 1, labels: [0, 0, 1, 1])
        let predicted = LabelMap(width: 4, height: 1, labels: [0, 1, 1, 1])
        let score = LiveEvaluator.score(prediction: Prediction(labels: predicted), annotation: Annotation(objects: [], labels: truth), task: .semantic)
        // Background IoU 1/2, class 1 IoU 2/3.
        #expect(abs(score.primary - (0.5 + 2.0 / 3.0) / 2) < 1e-12 && abs(score.secondary - 2.0 / 3.0) < 1e-12)
        #expect(VisionTask.semantic.metric.id == "mIoU" && VisionTask.semantic.metric.secondary == "foreground mIoU")
        #expect(Set(VisionTask.allCases.map(\.metric.id)) == ["boxAP", "maskAP", "mIoU"])
    }

    @Test("state survives JSON")
    func codable() throws {
        var evaluator = LiveEvaluator(emaFactor: 0.3)
        evaluator.record(imageID: "a", prediction: Self.prediction(Self.box), annotation: Self.truth, at: Date(timeIntervalSince1970: 1_000))
        let restored = try JSONDecoder().decode(LiveEvaluator.self, from: JSONEncoder().encode(evaluator))
        #expect(restored == evaluator)
    }
}
