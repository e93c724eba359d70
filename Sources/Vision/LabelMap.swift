import CImageCodecs
import Foundation

/// One integer per pixel naming a class or an instance (semantic masks, instance maps), read from
/// PNG with the stored values kept: a 16-bit instance map keeps ids above 255, a palette PNG gives
/// its indices. `Image` would rescale both.
public struct LabelMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major, `labels[y * width + x]`.
    public private(set) var labels: [UInt16]

    public init(width: Int, height: Int, labels: [UInt16]) {
        precondition(width > 0 && height > 0, "label map sides must be positive, got \(width)x\(height)")
        precondition(
            labels.count == width * height, "\(width)x\(height) needs \(width * height) labels, got \(labels.count)")
        self.width = width
        self.height = height
        self.labels = labels
    }

    public subscript(x x: Int, y y: Int) -> UInt16 {
        get {
            precondition((0..<width).contains(x) && (0..<height).contains(y), "(\(x), \(y)) outside the map")
            return labels[y * width + x]
        }
        set {
            precondition((0..<width).contains(x) && (0..<height).contains(y), "(\(x), \(y)) outside the map")
            labels[y * width + x] = newValue
        }
    }

    /// Decodes a greyscale (1 to 16 bits) or palette PNG label map file.
    public init(contentsOf url: URL, maxPixels: Int = Image.defaultMaxPixels) throws(ImageError) {
        let data = try readImageFile(url)
        try self.init(decoding: data, name: url.lastPathComponent, maxPixels: maxPixels)
    }

    /// Decodes a greyscale (1 to 16 bits) or palette PNG label map; alpha is ignored. JPEG and colour
    /// PNGs are `unsupportedFormat`: lossy or RGB-coded labels cannot be read back as ids.
    public init(decoding data: Data, name: String, maxPixels: Int = Image.defaultMaxPixels) throws(ImageError) {
        if data.isEmpty { throw .emptyFile(name: name) }
        switch ImageFormat.sniff(data) {
        case .png:
            break
        case .jpeg:
            throw .unsupportedFormat(name: name, reason: "a label map must be PNG; JPEG compression alters labels")
        case nil:
            throw .unsupportedFormat(name: name, reason: ImageFormat.describeUnrecognised(data))
        }
        self = try decode(ic_png_decode_labels, data, name: name, format: .png, maxPixels: maxPixels) { decoded in
            let count = Int(decoded.width) * Int(decoded.height)
            let values = UnsafeBufferPointer(start: decoded.pixels.assumingMemoryBound(to: UInt16.self), count: count)
            return LabelMap(width: Int(decoded.width), height: Int(decoded.height), labels: Array(values))
        }
    }

    /// Greyscale PNG: 8-bit when every label fits in a byte, else 16-bit.
    public func pngData(compressionLevel: Int = 6) throws(ImageError) -> Data {
        if labels.allSatisfy({ $0 <= UInt8.max }) {
            return try encodePNG(
                labels.map { UInt8($0) }, width: width, height: height, channels: 1, bitDepth: 8,
                compressionLevel: compressionLevel)
        }
        return try encodePNG(
            labels, width: width, height: height, channels: 1, bitDepth: 16,
            compressionLevel: compressionLevel)
    }
}
