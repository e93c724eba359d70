import CImageCodecs
import Foundation

extension Image {
    /// Lossless PNG of the pixels as they are (grey, RGB or RGBA, 8-bit). `compressionLevel` 0...9.
    public func pngData(compressionLevel: Int = 6) throws(ImageError) -> Data {
        try encodePNG(
            pixels, width: width, height: height, channels: channels, bitDepth: 8,
            compressionLevel: compressionLevel)
    }

    /// Baseline JPEG at `quality` 1...100. JPEG has no alpha: RGBA is written as its RGB.
    public func jpegData(quality: Int = 90) throws(ImageError) -> Data {
        let source = channels == 4 ? rgb() : self
        return try encodeJPEG(
            source.pixels, width: width, height: height, channels: source.channels,
            quality: quality)
    }
}

/// `channels` 1, 3, or 4 for CMYK in Adobe's inverted convention (what Photoshop writes).
func encodeJPEG(_ samples: [UInt8], width: Int, height: Int, channels: Int, quality: Int) throws(ImageError) -> Data {
    let side = UInt32(clamping: width)
    let otherSide = UInt32(clamping: height)
    return try encode(.jpeg) { output, size, message, capacity in
        samples.withUnsafeBufferPointer { source in
            ic_jpeg_encode(
                source.baseAddress, side, otherSide, UInt32(clamping: channels),
                Int32(clamping: quality), output, size, message, capacity)
        }
    }
}

/// `samples` holds UInt8 (bit depth 8) or UInt16 (bit depth 16) values; `channels` 1...4.
func encodePNG<Sample: FixedWidthInteger & UnsignedInteger>(
    _ samples: [Sample], width: Int, height: Int, channels: Int, bitDepth: Int, compressionLevel: Int
) throws(ImageError) -> Data {
    precondition(Sample.bitWidth == bitDepth, "\(bitDepth)-bit PNG needs \(bitDepth)-bit samples")
    let side = UInt32(clamping: width)
    let otherSide = UInt32(clamping: height)
    return try encode(.png) { output, size, message, capacity in
        samples.withUnsafeBytes { source in
            ic_png_encode(
                source.baseAddress, side, otherSide, UInt32(clamping: channels),
                UInt32(clamping: bitDepth), Int32(clamping: compressionLevel), output, size,
                message, capacity)
        }
    }
}
