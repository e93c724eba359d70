import CImageCodecs
import Foundation

extension Image {
    /// Decodes a JPEG or PNG file; errors name the file (its last path component).
    public init(
        contentsOf url: URL, maxPixels: Int = Image.defaultMaxPixels, applyingOrientation: Bool = true
    ) throws(ImageError) {
        let data = try readImageFile(url)
        try self.init(
            decoding: data, name: url.lastPathComponent, maxPixels: maxPixels,
            applyingOrientation: applyingOrientation)
    }

    /// Decodes JPEG or PNG bytes, recognised by their first bytes; `name` is only for error messages.
    ///
    /// JPEGs come back as grey or RGB, PNGs as grey, RGB or RGBA (see `ic_png_decode` for how other
    /// PNG layouts are expanded). With `applyingOrientation`, a JPEG's EXIF orientation is applied so
    /// the pixels are upright the way browsers show them, and the coordinates annotators draw in the
    /// browser are coordinates in this image.
    public init(
        decoding data: Data, name: String, maxPixels: Int = Image.defaultMaxPixels,
        applyingOrientation: Bool = true
    ) throws(ImageError) {
        if data.isEmpty { throw .emptyFile(name: name) }
        guard let format = ImageFormat.sniff(data) else {
            throw .unsupportedFormat(name: name, reason: ImageFormat.describeUnrecognised(data))
        }
        let decoder: CDecoder
        switch format {
        case .jpeg: decoder = ic_jpeg_decode
        case .png: decoder = ic_png_decode
        }
        let image = try decode(decoder, data, name: name, format: format, maxPixels: maxPixels) { decoded in
            let count = Int(decoded.width) * Int(decoded.height) * Int(decoded.channels)
            let samples = UnsafeBufferPointer(
                start: decoded.pixels.assumingMemoryBound(to: UInt8.self), count: count)
            return Image(
                width: Int(decoded.width), height: Int(decoded.height), channels: Int(decoded.channels),
                pixels: Array(samples))
        }
        if applyingOrientation, format == .jpeg, let orientation = ExifOrientation(jpeg: data) {
            self = image.oriented(orientation)
        } else {
            self = image
        }
    }
}
