/// How an image was fitted into a `size` x `size` square: scaled to fit (keeping its aspect ratio),
/// then centred with padding. Maps points both ways, so model outputs on the square can be drawn
/// on the original image.
///
/// Coordinates are continuous pixel coordinates (0 is the left edge of the first pixel, `width` the
/// right edge of the last), as COCO boxes use; a box maps by mapping its two corners.
public struct Letterbox: Sendable, Equatable {
    public let size: Int
    public let originalWidth: Int
    public let originalHeight: Int
    /// The scaled image inside the square, before padding.
    public let resizedWidth: Int
    public let resizedHeight: Int
    /// Padding columns left of, and rows above, the scaled image; any odd extra goes right / below.
    public let padX: Int
    public let padY: Int

    /// The geometry of fitting `originalWidth` x `originalHeight` into a `size` square.
    public init(originalWidth: Int, originalHeight: Int, size: Int) {
        precondition(originalWidth > 0 && originalHeight > 0 && size > 0, "letterbox needs positive sizes")
        let scale = Double(size) / Double(max(originalWidth, originalHeight))
        self.size = size
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        resizedWidth = min(size, max(1, Int((Double(originalWidth) * scale).rounded())))
        resizedHeight = min(size, max(1, Int((Double(originalHeight) * scale).rounded())))
        padX = (size - resizedWidth) / 2
        padY = (size - resizedHeight) / 2
    }

    /// Horizontal scale actually applied (the resized width is rounded, so it can differ from
    /// the vertical one by a fraction of a pixel over the whole side).
    public var scaleX: Double { Double(resizedWidth) / Double(originalWidth) }
    public var scaleY: Double { Double(resizedHeight) / Double(originalHeight) }

    /// A point on the original image -> the same point on the square.
    public func toLetterboxed(x: Double, y: Double) -> (x: Double, y: Double) {
        (x * scaleX + Double(padX), y * scaleY + Double(padY))
    }

    /// A point on the square -> the same point on the original image (not clamped: points in the
    /// padding land outside it).
    public func toOriginal(x: Double, y: Double) -> (x: Double, y: Double) {
        ((x - Double(padX)) / scaleX, (y - Double(padY)) / scaleY)
    }
}

extension Image {
    /// This image scaled to fit a `size` square (bilinear, see `resized`), centred on `fill`.
    public func letterboxed(to size: Int, fill: UInt8) -> (Image, Letterbox) {
        let box = Letterbox(originalWidth: width, originalHeight: height, size: size)
        let scaled = resized(width: box.resizedWidth, height: box.resizedHeight)
        var out = [UInt8](repeating: fill, count: size * size * channels)
        let rowLength = box.resizedWidth * channels
        for y in 0..<box.resizedHeight {
            let from = y * rowLength
            let to = ((y + box.padY) * size + box.padX) * channels
            out.replaceSubrange(to..<to + rowLength, with: scaled.pixels[from..<from + rowLength])
        }
        return (Image(width: size, height: size, channels: channels, pixels: out), box)
    }
}
