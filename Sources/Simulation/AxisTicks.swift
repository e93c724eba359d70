import Foundation

/// Round tick values for a chart axis: steps of 1, 2 or 5 times a power of ten.
public struct AxisTicks: Sendable, Equatable {
    /// The axis runs from 0 (or below, for negative data) to `upper`, a whole number of steps.
    public var lower: Double
    public var upper: Double
    public var step: Double

    /// Ticks covering `lower...upper` with about `target` intervals.
    public init(covering lower: Double, _ upper: Double, target: Int = 6) {
        let span = upper - lower
        guard span > 0, span.isFinite else {
            self.init(lower: lower, upper: lower + 1, step: 1)
            return
        }
        let raw = span / Double(max(1, target))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        self.init(
            lower: floor(lower / step + 1e-9) * step,
            upper: ceil(upper / step - 1e-9) * step,
            step: step)
    }

    public init(lower: Double, upper: Double, step: Double) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    public var values: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Decimals a label needs so that neighbouring ticks read differently.
    public var decimals: Int { step >= 1 ? 0 : Int(ceil(-log10(step) - 1e-9)) }

    public func label(_ value: Double) -> String { NumberText.fixed(value, decimals: decimals) }
}
