import Foundation

/// Fits the assumed learning curve's one free number, τ, to a target time for live training.
public enum LiveCurveFit {
    /// The `ExponentialLearningCurve` with plateau `maxQuality` whose live simulation takes
    /// `liveHours` working hours, found by bisection on log τ.
    ///
    /// Live time rises monotonically with τ (a slower learner leaves every image slower), from
    /// "review floor after the first image" at τ → 0 towards the manual time at τ → ∞, so one
    /// bracket holds every reachable target; targets outside it throw and name the range.
    public static func fit(
        liveHours: Double, simulator: Simulator, maxQuality: Double = 1
    ) throws(SimulationError) -> ExponentialLearningCurve {
        func hours(_ tau: Double) -> Double {
            simulator.workingHours(.live(ExponentialLearningCurve(imagesScale: tau, maxQuality: maxQuality)))
        }
        var low = 1e-3
        var high = 1e9
        let fastest = hours(low)
        let slowest = hours(high)
        guard liveHours > fastest, liveHours < slowest else {
            throw .cannotFit(
                "live training can take between \(format(fastest)) h and \(format(slowest)) h with these parameters,"
                    + " not \(format(liveHours)) h")
        }
        for _ in 0..<200 where high / low - 1 > 1e-12 {
            let middle = (low * high).squareRoot()
            if hours(middle) < liveHours { low = middle } else { high = middle }
        }
        return ExponentialLearningCurve(imagesScale: (low * high).squareRoot(), maxQuality: maxQuality)
    }

    private static func format(_ hours: Double) -> String { String(format: "%.1f", hours) }
}
