extension Image {
    /// Per-channel mean and standard deviation of ImageNet (RGB, on pixel / 255), the statistics
    /// torchvision's pretrained backbones expect.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// Float32 samples in CHW order (all of channel 0, then channel 1, ...), each
    /// `(pixel / 255 - mean[c]) / std[c]`: torchvision's `ToTensor` followed by `Normalize`.
    public func normalizedCHW(mean: [Float], std: [Float]) -> [Float] {
        precondition(
            mean.count == channels && std.count == channels,
            "need \(channels) means and standard deviations, got \(mean.count) and \(std.count)")
        precondition(std.allSatisfy { $0 != 0 }, "standard deviations must be non-zero")
        let planeSize = width * height
        // 256 values per channel, computed with torchvision's exact operation order.
        let tables = (0..<channels).map { c in
            (0..<256).map { (Float($0) / 255 - mean[c]) / std[c] }
        }
        var out = [Float](repeating: 0, count: planeSize * channels)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for c in 0..<channels {
                    let table = tables[c]
                    let plane = c * planeSize
                    for i in 0..<planeSize {
                        target[plane + i] = table[Int(source[i * channels + c])]
                    }
                }
            }
        }
        return out
    }
}
