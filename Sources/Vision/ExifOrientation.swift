import Foundation

/// EXIF orientation: how a camera's stored pixels must be turned to show the scene upright.
///
/// Cases are named for what the display must do with the stored pixels; raw values are the EXIF tag's.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case up = 1
    case mirrored = 2
    case rotated180 = 3
    case flippedVertically = 4
    case transposed = 5
    case rotatedClockwise = 6
    case transversed = 7
    case rotatedCounterClockwise = 8

    /// The orientation tag of a JPEG's EXIF block (APP1), or nil when there is none or it is damaged.
    public init?(jpeg data: Data) {
        guard let value = data.withUnsafeBytes({ exifOrientationValue(jpeg: $0) }) else { return nil }
        self.init(rawValue: value)
    }

    /// Whether displaying swaps width and height.
    var swapsSides: Bool { rawValue >= 5 }
}

extension Image {
    /// The pixels turned upright as `orientation` prescribes (a no-op for `.up`).
    public func oriented(_ orientation: ExifOrientation) -> Image {
        if orientation == .up { return self }
        let (outWidth, outHeight) = orientation.swapsSides ? (height, width) : (width, height)
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                // Where stored (x, y) lands on screen; e.g. .rotatedClockwise puts stored row 0 on the right.
                let (dx, dy): (Int, Int)
                switch orientation {
                case .up: (dx, dy) = (x, y)
                case .mirrored: (dx, dy) = (width - 1 - x, y)
                case .rotated180: (dx, dy) = (width - 1 - x, height - 1 - y)
                case .flippedVertically: (dx, dy) = (x, height - 1 - y)
                case .transposed: (dx, dy) = (y, x)
                case .rotatedClockwise: (dx, dy) = (height - 1 - y, x)
                case .transversed: (dx, dy) = (height - 1 - y, width - 1 - x)
                case .rotatedCounterClockwise: (dx, dy) = (y, width - 1 - x)
                }
                let from = (y * width + x) * channels
                let to = (dy * outWidth + dx) * channels
                for c in 0..<channels { out[to + c] = pixels[from + c] }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: out)
    }
}

/// Walks the JPEG markers before the image data and reads tag 0x0112 from an `Exif` APP1 segment.
/// Every read is bounds-checked: this runs on untrusted uploads.
private func exifOrientationValue(jpeg bytes: UnsafeRawBufferPointer) -> Int? {
    func u16(_ at: Int, bigEndian: Bool = true) -> Int? {
        guard at >= 0, at + 2 <= bytes.count else { return nil }
        let (a, b) = (Int(bytes[at]), Int(bytes[at + 1]))
        return bigEndian ? a << 8 | b : b << 8 | a
    }
    func u32(_ at: Int, bigEndian: Bool) -> Int? {
        guard let high = u16(bigEndian ? at : at + 2, bigEndian: bigEndian),
            let low = u16(bigEndian ? at + 2 : at, bigEndian: bigEndian)
        else { return nil }
        return high << 16 | low
    }
    guard u16(0) == 0xFFD8 else { return nil }
    var at = 2
    while at + 4 <= bytes.count, bytes[at] == 0xFF {
        let marker = bytes[at + 1]
        if marker == 0xFF {  // fill byte before the real marker
            at += 1
            continue
        }
        if marker == 0xDA || marker == 0xD9 { return nil }  // image data starts: no EXIF before it
        guard let length = u16(at + 2), length >= 2 else { return nil }
        let segment = at + 4
        let end = at + 2 + length
        guard end <= bytes.count else { return nil }
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        if marker == 0xE1, end - segment >= 14, Array(bytes[segment..<segment + 6]) == exifHeader {
            let tiff = segment + 6
            let bigEndian: Bool
            switch (bytes[tiff], bytes[tiff + 1]) {
            case (0x4D, 0x4D): bigEndian = true  // "MM"
            case (0x49, 0x49): bigEndian = false  // "II"
            default: return nil
            }
            guard u16(tiff + 2, bigEndian: bigEndian) == 42, let ifd = u32(tiff + 4, bigEndian: bigEndian),
                let count = u16(tiff + ifd, bigEndian: bigEndian)
            else { return nil }
            for index in 0..<count {
                let entry = tiff + ifd + 2 + index * 12
                guard entry + 12 <= end else { return nil }
                if u16(entry, bigEndian: bigEndian) == 0x0112 {
                    guard u16(entry + 2, bigEndian: bigEndian) == 3 else { return nil }  // SHORT
                    return u16(entry + 8, bigEndian: bigEndian)
                }
            }
            return nil
        }
        at = end
    }
    return nil
}
