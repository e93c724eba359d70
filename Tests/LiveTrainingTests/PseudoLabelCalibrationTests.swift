import Models
import Testing
import Vision

@testable import LiveTraining

/// Pseudo-label thresholds from the live evaluation, and turning a teacher's prediction into labels.
@Suite("pseudo-label calibration")
struct PseudoLabelCalibrationTests {
    static func box(_ x: Double) -> Box { Box(x1: x, y1: 0, x2: x + 10, y2: 10) }
    static func object(_ c: Int, _ x: Double, _ score: Double) -> Prediction.Object { .init(classIndex: c, box: box(x), score: score) }

    @Test("a class's threshold is the least score at which its predictions were right often enough")
    func perClassThresholds() throws {
        // Class 0: right at 0.9, 0.8, 0.7, 0.6, wrong at 0.5 and 0.4 → precision stays >= 0.8 down to 0.6
        // (4/4), drops to 4/5 = 0.8 at 0.5 (still enough) and 4/6 at 0.4. Class 1: right only twice (support 3).
        let truth = Annotation(objects: [0, 20, 40, 60].map { AnnotatedObject(classIndex: 0, box: Self.box($0)) }
                                   + [100, 120].map { AnnotatedObject(classIndex: 1, box: Self.box($0)) })
        let prediction = Prediction(objects: [
            Self.object(0, 0, 0.9), Self.object(0, 20, 0.8), Self.object(0, 40, 0.7), Self.object(0, 60, 0.6),
            Self.object(0, 200, 0.5), Self.object(0, 220, 0.4),
            Self.object(1, 100, 0.95), Self.object(1, 120, 0.9),
        ])
        let t = try #require(PseudoLabelCalibration().thresholds([(prediction, truth)], classes: 2))
        #expect(t.perClass == [0.5, nil])
        #expect(t.ignoreAbove == 0.25)
        // A wrong class is not a right prediction: class 1's boxes on class 0's objects count as wrong.
        let swapped = Prediction(objects: [0, 20, 40, 60].map { Self.object(1, $0, 0.9) })
        #expect(PseudoLabelCalibration().thresholds([(swapped, truth)], classes: 2) == nil)
        #expect(PseudoLabelCalibration().thresholds([], classes: 2) == nil)
    }

    @Test("each object is matched once: a duplicate on the same object is wrong")
    func duplicatesAreWrong() {
        let truth = Annotation(objects: [AnnotatedObject(classIndex: 0, box: Self.box(0))])
        let prediction = Prediction(objects: [Self.object(0, 0, 0.9), Self.object(0, 1, 0.8)])
        #expect(PseudoLabelCalibration.matches(CalibrationImage(prediction: prediction, truth: truth), iou: 0.5) == [true, false])
    }

    @Test("semantic: a class predicted reliably needs less confidence than a shaky one; one never right gets none")
    func semanticThresholds() throws {
        // 4 pixels: truth 0 0 1 1; predicted 0 1 1 2 → class 0 precision 1, class 1 precision 1/2, class 2 never right.
        let truth = Annotation(labels: LabelMap(width: 4, height: 1, labels: [0, 0, 1, 1]))
        let prediction = Prediction(labels: LabelMap(width: 4, height: 1, labels: [0, 1, 1, 2]))
        let t = try #require(PseudoLabelCalibration().thresholds([(prediction, truth)], classes: 3))
        #expect(abs(t.perClass[0]! - 0.8) < 1e-12)
        #expect(abs(t.perClass[1]! - 0.9) < 1e-12)
        #expect(t.perClass[2] == nil)
    }

    @Test("a prediction becomes labels above its class's threshold, ignored regions between, nothing below")
    func pseudoLabel() {
        let mask = COCORLE(BinaryMask(width: 4, height: 4))
        var kept = Self.object(0, 0, 0.7)
        kept.mask = mask
        let prediction = Prediction(objects: [kept, Self.object(0, 20, 0.4), Self.object(0, 40, 0.1), Self.object(1, 60, 0.9), Self.object(7, 80, 0.9)])
        let (annotation, ignored) = prediction.pseudoLabel(PseudoLabelThresholds(perClass: [0.6, nil], ignoreAbove: 0.3))
        #expect(annotation.objects == [AnnotatedObject(classIndex: 0, box: Self.box(0), mask: mask)])
        // Class 1 has no threshold and class 7 does not exist: their likely objects are ignored, not labels.
        #expect(ignored == [Self.box(20), Self.box(60), Self.box(80)])
    }

    @Test("the pool draws every image before any again, and forgets labelled ones")
    func poolTurns() throws {
        let image = Image(width: 2, height: 2, channels: 3, fill: 0)
        let pool = UnlabelledPool(["a", "b", "c"].map { Sample(id: $0, image: image, annotation: Annotation()) })
        #expect(pool.draw(2).map(\.id) == ["a", "b"])
        #expect(pool.draw(2).map(\.id) == ["c", "a"])
        #expect(pool.remove(id: "b") && !pool.remove(id: "b"))
        pool.insert(Sample(id: "c", image: image, annotation: Annotation()))  // a replacement keeps its turn
        #expect(pool.draw(5).map(\.id) == ["c", "a"] && pool.count == 2)
        #expect(pool.draw(-1).isEmpty)
    }

    @Test("the pool keeps an image's pseudo-label until it is stale, made under other thresholds, or the image is replaced")
    func poolKeepsPseudoLabels() throws {
        let image = Image(width: 2, height: 2, channels: 3, fill: 0)
        let pool = UnlabelledPool([Sample(id: "a", image: image, annotation: Annotation())])
        let t = PseudoLabelThresholds(perClass: [0.5], ignoreAbove: 0.2)
        let first = try #require(pool.drawForPseudoLabels(1).first)
        #expect(first.kept == nil)
        var labelled = first.sample
        labelled.annotation = Annotation(objects: [AnnotatedObject(classIndex: 0, box: Self.box(0))])
        pool.keep(.init(sample: labelled, teacherUpdate: 10, thresholds: t), for: first)
        let kept = try #require(pool.drawForPseudoLabels(1).first?.kept)
        #expect(kept.sample.annotation.objects.count == 1)
        #expect(kept.serves(thresholds: t, teacherUpdate: 110, maxAge: 100))
        #expect(!kept.serves(thresholds: t, teacherUpdate: 111, maxAge: 100), "stale")
        #expect(!kept.serves(thresholds: PseudoLabelThresholds(perClass: [0.6], ignoreAbove: 0.2), teacherUpdate: 10, maxAge: 100))
        #expect(!kept.serves(thresholds: t, teacherUpdate: 9, maxAge: 100), "a teacher older than the label (after a resume)")

        // Replaced between the draw and the label being kept: the label is of the old image, not kept.
        let drawn = try #require(pool.drawForPseudoLabels(1).first)
        pool.insert(Sample(id: "a", image: image, annotation: Annotation()))
        #expect(pool.drawForPseudoLabels(1).first?.kept == nil, "a replacement forgets the kept label")
        pool.keep(.init(sample: labelled, teacherUpdate: 20, thresholds: t), for: drawn)
        #expect(pool.drawForPseudoLabels(1).first?.kept == nil)

        let current = try #require(pool.drawForPseudoLabels(1).first)
        pool.keep(.init(sample: labelled, teacherUpdate: 20, thresholds: t), for: current)
        #expect(pool.remove(id: "a"))
        pool.insert(Sample(id: "a", image: image, annotation: Annotation()))  // labelled, then its annotation deleted
        #expect(pool.drawForPseudoLabels(1).first?.kept == nil)
    }
}
