/// An 8-bit image in memory: `height` rows of `width` pixels, each `channels` interleaved samples (HWC).
///
/// Channels are 1 (grey), 3 (RGB) or 4 (RGBA). Rows run top to bottom with no padding, so the sample
/// for (x, y, c) sits at `(y * width + x) * channels + c`.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public private(set) var pixels: [UInt8]

    /// Largest width x height the decoders accept unless told otherwise: 100 MP is 300 MB as RGB.
    public static let defaultMaxPixels = 100_000_000

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image sides must be positive, got \(width)x\(height)")
        precondition([1, 3, 4].contains(channels), "channels must be 1, 3 or 4, got \(channels)")
        precondition(
            pixels.count == width * height * channels,
            "\(width)x\(height)x\(channels) needs \(width * height * channels) samples, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image with every sample set to `fill`.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        precondition(width > 0 && height > 0, "image sides must be positive, got \(width)x\(height)")
        self.init(
            width: width, height: height, channels: channels,
            pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    public subscript(x x: Int, y y: Int, channel channel: Int) -> UInt8 {
        get {
            precondition(contains(x: x, y: y, channel: channel), "(\(x), \(y), \(channel)) outside the image")
            return pixels[(y * width + x) * channels + channel]
        }
        set {
            precondition(contains(x: x, y: y, channel: channel), "(\(x), \(y), \(channel)) outside the image")
            pixels[(y * width + x) * channels + channel] = newValue
        }
    }

    private func contains(x: Int, y: Int, channel: Int) -> Bool {
        (0..<width).contains(x) && (0..<height).contains(y) && (0..<channels).contains(channel)
    }

    /// The same picture as 3-channel RGB: grey is repeated into R, G and B; alpha is dropped (not
    /// composited), because models see the stored colours, as PIL's `convert("RGB")` does.
    public func rgb() -> Image {
        switch channels {
        case 3:
            return self
        case 1:
            var out = [UInt8](repeating: 0, count: width * height * 3)
            for i in 0..<width * height {
                let v = pixels[i]
                out[3 * i] = v
                out[3 * i + 1] = v
                out[3 * i + 2] = v
            }
            return Image(width: width, height: height, channels: 3, pixels: out)
        default:
            var out = [UInt8](repeating: 0, count: width * height * 3)
            for i in 0..<width * height {
                out[3 * i] = pixels[4 * i]
                out[3 * i + 1] = pixels[4 * i + 1]
                out[3 * i + 2] = pixels[4 * i + 2]
            }
            return Image(width: width, height: height, channels: 3, pixels: out)
        }
    }
}
