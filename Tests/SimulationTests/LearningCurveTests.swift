import Foundation
import Testing

@testable import Simulation

@Suite struct LearningCurveTests {
    @Test func exponentialCurveStartsAtZeroAndClosesSixtyThreePercentAfterTau() {
        let curve = ExponentialLearningCurve(imagesScale: 400, maxQuality: 0.9)
        #expect(curve.quality(afterLearningFrom: 0) == 0)
        #expect(abs(curve.quality(afterLearningFrom: 400) - 0.9 * (1 - exp(-1))) < 1e-12)
        #expect(curve.quality(afterLearningFrom: 100_000) <= 0.9)
        #expect(curve.quality(afterLearningFrom: 100) < curve.quality(afterLearningFrom: 101))
    }

    @Test func measuredCurveInterpolatesBetweenPointsAndHoldsTheLast() throws {
        let curve = try MeasuredLearningCurve(points: [
            .init(imagesLabelled: 200, quality: 0.8),
            .init(imagesLabelled: 100, quality: 0.6),
        ])
        #expect(curve.quality(afterLearningFrom: 0) == 0)
        #expect(abs(curve.quality(afterLearningFrom: 50) - 0.3) < 1e-12)  // from 0 at zero images
        #expect(curve.quality(afterLearningFrom: 100) == 0.6)
        #expect(abs(curve.quality(afterLearningFrom: 150) - 0.7) < 1e-12)
        #expect(curve.quality(afterLearningFrom: 5_000) == 0.8)
    }

    @Test func measuredCurveRejectsEmptyOrOutOfRangeData() {
        #expect(throws: SimulationError.self) { try MeasuredLearningCurve(points: []) }
        #expect(throws: SimulationError.self) {
            try MeasuredLearningCurve(points: [.init(imagesLabelled: 10, quality: 42)])
        }
    }
}
