import Vision

/// Small images with structure (gradients plus a diagonal), so misplaced rows or channels show up.
enum TestImages {
    static func pattern(width: Int, height: Int, channels: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let value = (x * 255 / max(1, width - 1) + y * 3 + c * 60 + (x == y ? 90 : 0)) % 256
                    pixels[(y * width + x) * channels + c] = UInt8(value)
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A smooth RGB image that JPEG reproduces closely.
    static func smooth(width: Int, height: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8(x * 255 / (width - 1))
                pixels[i + 1] = UInt8(y * 255 / (height - 1))
                pixels[i + 2] = UInt8((x + y) * 255 / (width + height - 2))
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}
