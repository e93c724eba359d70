import Foundation
import Models
import Testing
import Vision

@testable import LiveTraining

/// Per-class thresholds on hand-worked images: pure functions, no trainer.
@Suite("class thresholds")
struct ClassThresholdsTests {
    typealias T = CorrectionCostTests
    static let d = Box(x1: 300, y1: 300, x2: 310, y2: 310)
    static let e = Box(x1: 400, y1: 0, x2: 420, y2: 20)

    /// Two trees (class 0) and one dead tree (class 1). Trees are learnt slowly: their right boxes score
    /// 0.38 and 0.32, a false one 0.15. Dead trees score high: right 0.85, a false one 0.55.
    static let truth = T.truth([(0, T.a), (0, T.b), (1, T.c)])
    static let prediction = T.shown([(0, T.aClose, 0.38), (0, T.b, 0.32), (0, d, 0.15), (1, T.c, 0.85), (1, e, 0.55)])
    static var history: [(prediction: Prediction, truth: Annotation)] { Array(repeating: (prediction, truth), count: 3) }

    @Test("each class gets the threshold that suits it, and the total falls below one global threshold")
    func perClassBeatsGlobal() throws {
        let model = CorrectionCostModel()
        // One threshold: at 0.30 all right boxes show but so does the 0.55 false dead tree:
        // 7.8 + 3 × 1.6 verify + 3.5 delete = 16.1 s. Above 0.32 a tree is lost (25.5 s to draw).
        #expect(model.calibratedThreshold(Self.history) == 0.3)
        let thresholds = try #require(model.calibratedClassThresholds(Self.history))
        #expect(thresholds.global == 0.3)
        // Trees keep their 0.32 box; dead trees hide the 0.55 one: 7.8 + 3 × 1.6 = 12.6 s.
        #expect(thresholds.perClass == [0: 0.32, 1: 0.85])
        let perClass = model.seconds(prediction: Self.prediction, truth: Self.truth, thresholds: thresholds)
        let global = model.seconds(prediction: Self.prediction, truth: Self.truth, threshold: 0.3)
        #expect(abs(perClass - 12.6) < 1e-9 && abs(global - 16.1) < 1e-9)
    }

    @Test("ties go to the higher threshold: trees at 0.32 and 0.30 show the same boxes, 0.32 is kept")
    func ties() throws {
        let thresholds = try #require(CorrectionCostModel().calibratedClassThresholds(Self.history))
        #expect(thresholds.threshold(for: 0) == 0.32)
        // A class whose pre-labels cost the same shown or not (every image already costs its manual
        // time) is hidden: 1.0 is its highest candidate.
        let crowded = T.truth([(0, T.a)])
        let noise: [(Int, Box, Double)] = (0..<6).map { (k: Int) -> (Int, Box, Double) in
            let x = 500 + 20 * Double(k)
            return (2, Box(x1: x, y1: 500, x2: x + 10, y2: 510), 0.9 - 0.1 * Double(k))
        }
        let capped = Array(repeating: (prediction: T.shown(noise), truth: crowded), count: 2)
        #expect(CorrectionCostModel().calibratedClassThresholds(capped)?.perClass[2] == 1.0)
    }

    @Test("a class with fewer than five scored pre-labels keeps the global threshold")
    func fallback() throws {
        // Class 1 has 2 pre-labels an image: with one image it has 2, with three it has 6.
        let one = try #require(CorrectionCostModel().calibratedClassThresholds(Array(Self.history.prefix(1))))
        #expect(one.perClass[1] == nil && one.threshold(for: 1) == one.global)
        #expect(one.perClass[0] == nil, "3 tree pre-labels are too few as well")
        #expect(one.threshold(for: 7) == one.global, "a class never predicted")
    }

    @Test("no images: no thresholds; semantic images: the global threshold only")
    func emptyAndSemantic() {
        #expect(CorrectionCostModel().calibratedClassThresholds([]) == nil)
        let map = LabelMap(width: 2, height: 1, labels: [0, 1])
        let semantic = Array(repeating: (prediction: Prediction(labels: map), truth: Annotation(labels: map)), count: 6)
        let t = CorrectionCostModel().calibratedClassThresholds(semantic)
        #expect(t != nil && t?.perClass.isEmpty == true)
    }

    @Test("odd scores and class indices neither crash nor become thresholds")
    func oddValues() throws {
        let odd = T.shown([(-3, T.a, .nan), (-3, T.b, 7), (-3, T.c, -1), (-3, Self.d, .infinity), (-3, Self.e, 0.5), (-3, T.aShifted, 0.4)])
        let history = Array(repeating: (prediction: odd, truth: T.truth([(0, T.a)])), count: 3)
        let t = try #require(CorrectionCostModel().calibratedClassThresholds(history))
        #expect(t.perClass.values.allSatisfy { (0...1).contains($0) })
        #expect(!t.shows(odd.objects[0]), "a NaN score is never shown")
    }
}
