import Torch

/// Feature pyramid (Lin et al. 2017) over C3-C5: 1×1 laterals, top-down nearest upsampling, 3×3 smoothing.
public final class FPN: Module {
    public let lateral: [Module]
    public let output: [Module]

    public init(inChannels: [Int], channels: Int) throws {
        lateral = try inChannels.map { try Conv2d($0, channels, kernel: 1) }
        output = try inChannels.map { _ in try Conv2d(channels, channels, kernel: 3) }
        super.init()
    }

    /// [C3, C4, C5] -> [P3, P4, P5], all `channels` wide, strides 8, 16, 32.
    public func callAsFunction(_ features: [Tensor]) throws -> [Tensor] {
        let laterals = try zip(lateral, features).map { try ($0 as! Conv2d)($1) }
        var merged = [laterals[laterals.count - 1]]
        for l in laterals.dropLast().reversed() {
            let up = try F.interpolate(merged[0], size: (l.size(2), l.size(3)), mode: .nearest)
            merged.insert(try l + up, at: 0)
        }
        return try zip(output, merged).map { try ($0 as! Conv2d)($1) }
    }
}
