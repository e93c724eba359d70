import Models
import Testing
import Vision

@testable import LiveTraining

/// The overlaps a session computes once per submitted image, and what the three calibrations read from them.
@Suite("calibration image")
struct CalibrationImageTests {
    /// A 10-wide box at x; two such boxes offset by d overlap (10 − d) / (10 + d).
    static func box(_ x: Double) -> Box { Box(x1: x, y1: 0, x2: x + 10, y2: 10) }

    @Test("stored overlaps serve a stricter match by filtering and a looser one by computing again")
    func overlapRules() {
        // Offsets 1, 3, 5: IoU 9/11 ≈ 0.82, 7/13 ≈ 0.54, 5/15 ≈ 0.33.
        let truth = Annotation(objects: [0, 100, 200].map { AnnotatedObject(classIndex: 0, box: Self.box($0)) })
        let prediction = Prediction(objects: [(1.0, 0.2), (103, 0.9), (205, 0.5)].map { .init(classIndex: 0, box: Self.box($0.0), score: $0.1) })
        let image = CalibrationImage(prediction: prediction, truth: truth)
        // Held by falling score: 103 (0.9), 205 (0.5), 1 (0.2).
        #expect(image.prediction.objects.map(\.score) == [0.9, 0.5, 0.2])
        #expect(image.overlaps(atLeast: 0.5).map { [$0.p, $0.t] } == [[2, 0], [0, 1]])
        #expect(image.overlaps(atLeast: 0.7).map { [$0.p, $0.t] } == [[2, 0]])
        #expect(image.overlaps(atLeast: 0.3).map { [$0.p, $0.t] } == [[2, 0], [0, 1], [1, 2]])
        var rule = CorrectionCostModel.Matching()
        rule.matchIoU = 0.3
        #expect(image.overlaps(atLeast: 0.3).map(\.iou) == Corrections.overlaps(image.prediction, truth, rule: rule).map(\.iou))
    }

    @Test("pseudo-label matching: by falling score, each prediction takes its best free object of its own class")
    func matching() {
        // Objects: class 0 at 0 and 4, class 1 at 2. The 0.9 box at 2 overlaps the class-1 object exactly
        // but is class 0: it takes the better of the two class-0 objects (at 0 and 4 tie at 8/12; the
        // first wins). The 0.8 box at 7 is left the object at 4 (7/13 ≈ 0.54). The 0.7 class-1 box at 9
        // overlaps the class-1 object at 2 only 3/17: wrong.
        let truth = Annotation(objects: [(0, 0.0), (0, 4), (1, 2)].map { AnnotatedObject(classIndex: $0.0, box: Self.box($0.1)) })
        let prediction = Prediction(objects: [(1, 9.0, 0.7), (0, 7, 0.8), (0, 2, 0.9)].map { .init(classIndex: $0.0, box: Self.box($0.1), score: $0.2) })
        let image = CalibrationImage(prediction: prediction, truth: truth)
        #expect(PseudoLabelCalibration.matches(image, iou: 0.5) == [true, true, false])
        // At a stricter match the 0.8 box's 0.54 no longer counts.
        #expect(PseudoLabelCalibration.matches(image, iou: 0.6) == [true, false, false])
    }

    @Test("calibration does not depend on the order the model listed its objects in")
    func orderFree() throws {
        let history = ClassThresholdsTests.history
        let reversed = history.map { (prediction: Prediction(objects: $0.prediction.objects.reversed(), labels: nil), truth: $0.truth) }
        let model = CorrectionCostModel()
        #expect(model.calibratedClassThresholds(reversed) == model.calibratedClassThresholds(history))
        #expect(model.calibratedThreshold(reversed) == model.calibratedThreshold(history))
        let images = history.map { CalibrationImage(prediction: $0.prediction, truth: $0.truth) }
        #expect(model.calibratedClassThresholds(images: images) == model.calibratedClassThresholds(history))
    }
}
