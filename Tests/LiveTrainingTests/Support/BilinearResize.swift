import Vision

// The trainer tests shrink real photos to a few dozen pixels so a tiny model trains in seconds. Only
// these tests resize images on the CPU (the models letterbox and resize in libtorch), so the resize
// lives here rather than in Vision.
extension Image {
    /// Bilinear resize with PyTorch's `F.interpolate(mode="bilinear", align_corners=False,
    /// antialias=False)` convention: output pixel centres map back to `(i + 0.5) * in / out - 0.5`,
    /// clamped at the edges. Each output is that float interpolation rounded to the nearest integer.
    /// Downscaling by more than 2x skips pixels (no antialiasing), as PyTorch does.
    func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize to a positive size, got \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let columns = BilinearTaps(from: width, to: newWidth)
        let rows = BilinearTaps(from: height, to: newHeight)
        let channels = channels
        let rowLength = width * channels
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * channels)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                var next = 0
                for oy in 0..<newHeight {
                    let top = rows.low[oy] * rowLength
                    let bottom = rows.high[oy] * rowLength
                    let lowerWeight = rows.highWeight[oy]
                    let upperWeight = 1 - lowerWeight
                    for ox in 0..<newWidth {
                        let left = columns.low[ox] * channels
                        let right = columns.high[ox] * channels
                        let rightWeight = columns.highWeight[ox]
                        let leftWeight = 1 - rightWeight
                        for c in 0..<channels {
                            let (topLeft, topRight) = (Float(source[top + left + c]), Float(source[top + right + c]))
                            let (bottomLeft, bottomRight) = (
                                Float(source[bottom + left + c]), Float(source[bottom + right + c])
                            )
                            // Same operation order as PyTorch's kernel: blend along x, then along y.
                            let upper = leftWeight * topLeft + rightWeight * topRight
                            let lower = leftWeight * bottomLeft + rightWeight * bottomRight
                            let value = upperWeight * upper + lowerWeight * lower
                            target[next] = UInt8(min(255, max(0, value.rounded())))
                            next += 1
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: out)
    }
}

/// For each output index along one axis: the two input indices it blends and the weight of the second.
struct BilinearTaps {
    var low: [Int] = []
    var high: [Int] = []
    var highWeight: [Float] = []

    init(from inputSize: Int, to outputSize: Int) {
        let scale = Float(inputSize) / Float(outputSize)
        low.reserveCapacity(outputSize)
        high.reserveCapacity(outputSize)
        highWeight.reserveCapacity(outputSize)
        for index in 0..<outputSize {
            let source = max(0, scale * (Float(index) + 0.5) - 0.5)
            let first = min(Int(source), inputSize - 1)
            low.append(first)
            high.append(first < inputSize - 1 ? first + 1 : first)
            highWeight.append(source - Float(first))
        }
    }
}
