import Foundation
import Models
import Testing
import Vision

@testable import LiveTraining

/// Hand-worked cases of the correction counter and its seconds.
@Suite("correction cost")
struct CorrectionCostTests {
    static func truth(_ boxes: [(Int, Box)]) -> Annotation {
        Annotation(objects: boxes.map { AnnotatedObject(classIndex: $0.0, box: $0.1) })
    }
    static func shown(_ boxes: [(Int, Box, Double)]) -> Prediction {
        Prediction(objects: boxes.map { .init(classIndex: $0.0, box: $0.1, score: $0.2) })
    }
    static let a = Box(x1: 0, y1: 0, x2: 10, y2: 10)
    static let b = Box(x1: 100, y1: 100, x2: 120, y2: 120)
    static let c = Box(x1: 200, y1: 0, x2: 230, y2: 30)
    /// IoU with `a`: 8x10 / 10x10 = 0.8 (matched, imprecise).
    static let aShifted = Box(x1: 0, y1: 0, x2: 8, y2: 10)
    /// IoU with `a`: 0.9025 (precise).
    static let aClose = Box(x1: 0.5, y1: 0.5, x2: 10, y2: 10)

    @Test("each kind of edit is counted once: keep, adjust, reclass, delete, draw")
    func counts() {
        let truth = Self.truth([(0, Self.a), (1, Self.b), (0, Self.c)])
        // a: precise and right (keep); b: right place, wrong class, precise (reclass); c: missed (draw);
        // one box on nothing (delete).
        let shown = Self.shown([(0, Self.aClose, 0.9), (0, Self.b, 0.8), (0, Box(x1: 400, y1: 400, x2: 410, y2: 410), 0.7)])
        let c = Corrections(shown: shown, truth: truth)
        #expect(c.matched == 2 && c.kept == 1 && c.reclassed == 1 && c.adjusted == 0 && c.deleted == 1 && c.drawn == 1)
        // An imprecise box on the right object is adjusted, not redrawn.
        let adjusted = Corrections(shown: Self.shown([(0, Self.aShifted, 0.9)]), truth: Self.truth([(0, Self.a)]))
        #expect(adjusted.matched == 1 && adjusted.adjusted == 1 && adjusted.kept == 0 && adjusted.drawn == 0)
    }

    @Test("two pre-labels on one object: the better one is matched, the other deleted")
    func oneToOne() {
        let c = Corrections(shown: Self.shown([(0, Self.aShifted, 0.6), (0, Self.aClose, 0.9)]), truth: Self.truth([(0, Self.a)]))
        #expect(c.matched == 1 && c.kept == 1 && c.deleted == 1)
    }

    @Test("seconds: hand-worked sums with the published per-edit times, capped at drawing by hand")
    func seconds() {
        let model = CorrectionCostModel()
        var c = Corrections()
        (c.matched, c.kept, c.reclassed, c.deleted, c.drawn) = (2, 1, 1, 1, 1)
        // 7.8 check + 2 × 1.6 verify + 5.1 class + 3.5 delete + 25.5 draw = 45.1 s; by hand 7.8 + 3 × 25.5 = 84.3 s.
        #expect(abs(model.seconds(c, objects: 3, masks: false, semantic: false) - 45.1) < 1e-9)
        #expect(abs(model.manualSeconds(objects: 3, masks: false, semantic: false) - 84.3) < 1e-9)
        // Ten false positives on a one-object image: deleting them all costs more than drawing; capped.
        var noisy = Corrections()
        (noisy.deleted, noisy.drawn) = (10, 1)
        #expect(model.seconds(noisy, objects: 1, masks: false, semantic: false) == model.manualSeconds(objects: 1, masks: false, semantic: false))
        // Masks: an imprecise mask costs a verify and a 14 s fix, against 79 s to draw it.
        var mask = Corrections()
        (mask.matched, mask.adjusted) = (1, 1)
        #expect(abs(model.seconds(mask, objects: 1, masks: true, semantic: false) - (7.8 + 1.6 + 14)) < 1e-9)
    }

    @Test("semantic: the share of painted pixels to repaint, of the whole image's painting time")
    func semantic() {
        let truth = Annotation(labels: LabelMap(width: 4, height: 1, labels: [0, 0, 1, 1]))
        let c = Corrections(shown: Prediction(labels: LabelMap(width: 4, height: 1, labels: [0, 1, 1, 1])), truth: truth)
        #expect(c.repaintedFraction == 1.0 / 3, "one of the three pixels either map paints is wrong")
        let model = CorrectionCostModel()
        #expect(abs(model.seconds(c, objects: 0, masks: false, semantic: true) - (7.8 + 420.0 / 3)) < 1e-9)
        #expect(Corrections(shown: Prediction(), truth: truth).repaintedFraction == 1, "no map shown: paint it all")
        // A thin crack on 2 % of the image: an all-background pre-label leaves all of it to paint.
        let crack = Annotation(labels: LabelMap(width: 100, height: 1, labels: (0..<100).map { $0 < 2 ? 1 : 0 }))
        let blank = Prediction(labels: LabelMap(width: 100, height: 1, labels: [UInt16](repeating: 0, count: 100)))
        #expect(Corrections(shown: blank, truth: crack).repaintedFraction == 1)
        #expect(Corrections(shown: Prediction(labels: crack.labels), truth: crack).repaintedFraction == 0)
        let empty = Annotation(labels: LabelMap(width: 2, height: 1, labels: [0, 0]))
        #expect(Corrections(shown: Prediction(labels: empty.labels), truth: empty).repaintedFraction == 0, "nothing to paint")
    }

    @Test("the calibrated threshold is the one that cost least over the images; ties take the higher")
    func calibration() {
        let model = CorrectionCostModel()
        // Right boxes score 0.8-0.9, false positives 0.3-0.4: any threshold in (0.4, 0.8] shows only the right ones.
        let truth = Self.truth([(0, Self.a), (0, Self.b)])
        let prediction = Self.shown([(0, Self.aClose, 0.9), (0, Self.b, 0.8), (0, Self.c, 0.4), (0, Box(x1: 50, y1: 50, x2: 60, y2: 60), 0.3)])
        let history = Array(repeating: (prediction: prediction, truth: truth), count: 3)
        #expect(model.calibratedThreshold(history) == 0.8)
        #expect(model.seconds(prediction: prediction, truth: truth, threshold: 0.8) < model.seconds(prediction: prediction, truth: truth, threshold: 0.3))
        #expect(model.calibratedThreshold([]) == nil)
    }
}
