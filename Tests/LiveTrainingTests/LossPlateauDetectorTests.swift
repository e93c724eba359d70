import Foundation
import Models
import Testing

@testable import LiveTraining

@Suite("loss plateau detector")
struct LossPlateauDetectorTests {
    /// Multiplicative uniform noise of +-`amplitude` around 1, seeded.
    struct Noise {
        var generator: SeededGenerator
        let amplitude: Double
        init(seed: UInt64, amplitude: Double) {
            generator = SeededGenerator(seed: seed)
            self.amplitude = amplitude
        }
        mutating func next() -> Double {
            1 + amplitude * (2 * Double(generator.next() >> 11) / 9_007_199_254_740_992 - 1)
        }
    }

    /// Steps until the detector declares a plateau on `curve`, or nil within `limit` steps.
    static func stepsToPlateau(_ detector: inout LossPlateauDetector, limit: Int, curve: (Int) -> Double) -> Int? {
        for t in 1...limit where detector.observe(curve(t)) { return t }
        return nil
    }

    @Test("a flat loss is a plateau exactly `patience` steps after its first value")
    func flat() {
        var detector = LossPlateauDetector()
        #expect(Self.stepsToPlateau(&detector, limit: 1000) { _ in 0.7 } == detector.configuration.patience + 1)
        #expect(abs(detector.smoothedLoss! - 0.7) < 1e-12)
    }

    @Test("a falling noisy loss never plateaus while it keeps falling")
    func falling() {
        var detector = LossPlateauDetector()
        var noise = Noise(seed: 1, amplitude: 0.3)
        // 2.1 -> 0.17 over 1,000 steps: still ~12 % lower every 100 steps at the end.
        #expect(
            Self.stepsToPlateau(&detector, limit: 1000) { t in (0.1 + 2 * exp(-Double(t) / 300)) * noise.next() } == nil
        )
    }

    @Test("a noisy flat loss plateaus within a few patience windows", arguments: [1, 2, 3] as [UInt64])
    func noisyFlat(seed: UInt64) throws {
        var detector = LossPlateauDetector()
        var noise = Noise(seed: seed, amplitude: 0.3)
        let steps = try #require(Self.stepsToPlateau(&detector, limit: 2000) { _ in noise.next() })
        print(
            "measured: +-30 % noise on a flat loss, seed \(seed): plateau after \(steps) steps (patience \(detector.configuration.patience))"
        )
        #expect(steps <= 4 * detector.configuration.patience)
    }

    @Test("after a plateau, reset() starts afresh: a new fall trains on, a new flat parks again")
    func fallingAgainAfterReset() throws {
        var detector = LossPlateauDetector()
        var noise = Noise(seed: 4, amplitude: 0.2)
        let first = try #require(
            Self.stepsToPlateau(&detector, limit: 3000) { t in (0.2 + exp(-Double(t) / 100)) * noise.next() })
        #expect(detector.isPlateau)
        #expect(detector.observe(0.21) == true, "stays parked until reset")

        detector.reset()  // a new sample: its loss starts high and falls again
        #expect(!detector.isPlateau && detector.smoothedLoss == nil && detector.bestSmoothedLoss == nil)
        #expect(
            Self.stepsToPlateau(&detector, limit: 400) { t in (0.15 + 0.8 * exp(-Double(t) / 80)) * noise.next() }
                == nil)
        let second = try #require(Self.stepsToPlateau(&detector, limit: 2000) { _ in 0.15 * noise.next() })
        print(
            "measured: falling curve plateau after \(first) steps; after reset and a second fall, \(second) flat steps")
    }

    @Test("the smoothed loss is a bias-corrected EMA: the first value as is, then weighted means")
    func smoothing() throws {
        var detector = LossPlateauDetector(configuration: .init(smoothing: 0.5))
        detector.observe(4)
        #expect(detector.smoothedLoss == 4)
        detector.observe(1)
        // raw EMA 0.5 * 2 + 0.5 * 1 = 1.5, divided by 1 - 0.5^2 = 0.75: 2, the mean of 4 and 1 weighted 1:2
        #expect(abs(try #require(detector.smoothedLoss) - 2.0) < 1e-12)
    }

    @Test("non-finite losses are ignored")
    func nonFinite() {
        var detector = LossPlateauDetector()
        detector.observe(1)
        detector.observe(.nan)
        detector.observe(.infinity)
        #expect(detector.observations == 1 && abs(detector.smoothedLoss! - 1) < 1e-12)
    }

    @Test("state survives JSON mid-curve and continues identically")
    func codable() throws {
        var detector = LossPlateauDetector(configuration: .init(patience: 30))
        var noise = Noise(seed: 9, amplitude: 0.3)
        for _ in 0..<50 { detector.observe(noise.next()) }
        var restored = try JSONDecoder().decode(LossPlateauDetector.self, from: JSONEncoder().encode(detector))
        #expect(restored == detector)
        for _ in 0..<200 {
            let loss = noise.next()
            #expect(restored.observe(loss) == detector.observe(loss))
        }
        #expect(restored == detector)
    }
}
