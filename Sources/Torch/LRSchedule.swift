import Foundation

/// Linear warm-up from 0 to `base` over `warmupSteps`, then a half cosine down to `minimum` at
/// `totalSteps`, flat after. Warm-up keeps the first updates on a pretrained backbone small.
public struct WarmupCosine: Sendable, Equatable, Codable {
    public var base: Double, minimum: Double
    public var warmupSteps: Int, totalSteps: Int

    public init(base: Double, minimum: Double = 0, warmupSteps: Int, totalSteps: Int) {
        self.base = base
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    public func learningRate(at step: Int) -> Double {
        if step < warmupSteps { return base * Double(step) / Double(warmupSteps) }
        if step >= totalSteps { return minimum }
        let progress = Double(step - warmupSteps) / Double(max(totalSteps - warmupSteps, 1))
        return minimum + 0.5 * (base - minimum) * (1 + cos(Double.pi * progress))
    }
}
