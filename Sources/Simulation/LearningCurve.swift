import Foundation

/// How good a model's pre-labels are after it has learned from a number of labelled images.
public protocol LearningCurve: Sendable {
    /// Pre-label quality (the live evaluator's metric, 0...1) after learning from `images` images.
    func quality(afterLearningFrom images: Int) -> Double
}

/// The assumed learning curve `q(n) = maxQuality * (1 - exp(-n / imagesScale))`.
///
/// - `imagesScale` (τ): images after which the model has closed 63 % (1 - 1/e) of the gap to
///   `maxQuality`; after 3τ, 95 %. Smaller is faster learning. It is the one free number the
///   simulator fits so that live training takes the seed's 102 h (τ ≈ 373 images with the
///   seed's parameters; `swift test --filter SimulationTests`).
/// - `maxQuality`: the plateau; 1 means annotation eventually costs only the review floor.
/// The exponential family was chosen because, fitted to live = 102 h alone, it reproduces the
/// seed's human-in-the-loop row (145 h / 24 d) within 0.2 % by the simulator's own mechanics;
/// a model that saturates within a few thousand images is what a fine-tuned pretrained
/// segmenter does on one domain.
public struct ExponentialLearningCurve: LearningCurve, Codable, Equatable {
    public var imagesScale: Double
    public var maxQuality: Double

    public init(imagesScale: Double, maxQuality: Double = 1) {
        self.imagesScale = imagesScale
        self.maxQuality = maxQuality
    }

    public func quality(afterLearningFrom images: Int) -> Double {
        guard images > 0 else { return 0 }
        return maxQuality * (1 - exp(-Double(images) / imagesScale))
    }
}

/// A learning curve measured by `livetrain replay`: quality at some image counts.
///
/// Between points the quality is interpolated linearly; before the first point it rises linearly
/// from 0 at zero images (an untrained head draws nothing useful); after the last point it stays at
/// the last measured value, since a replay on a smaller data set cannot say more.
public struct MeasuredLearningCurve: LearningCurve, Codable, Equatable {
    public var points: [ReplayReport.CurvePoint]

    /// Sorts the points by image count; throws when there are none or a quality is outside 0...1.
    public init(points: [ReplayReport.CurvePoint]) throws(SimulationError) {
        guard !points.isEmpty else { throw .invalidReplayReport("the live curve has no points") }
        for point in points {
            guard point.imagesLabelled >= 0 else {
                throw .invalidReplayReport("negative imagesLabelled \(point.imagesLabelled)")
            }
            guard (0...1).contains(point.quality) else {
                throw .invalidReplayReport(
                    "quality \(point.quality) at \(point.imagesLabelled) images is outside 0...1")
            }
        }
        self.points = points.sorted { $0.imagesLabelled < $1.imagesLabelled }
    }

    public func quality(afterLearningFrom images: Int) -> Double {
        let measured = points.map { (x: $0.imagesLabelled, y: $0.quality) }
        let zero = (points.first?.imagesLabelled ?? 0) > 0 ? [(x: 0, y: 0.0)] : []
        return interpolated(at: images, through: zero + measured)
    }
}
