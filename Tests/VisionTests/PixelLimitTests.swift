import Foundation
import Testing
import Vision

/// A few bytes can declare a 40000x40000 image (4.8 GB of RGB); the decoders must refuse from the
/// header, before allocating anything.
@Suite("pixel limit")
struct PixelLimitTests {
    /// Signature, IHDR for `width` x `height` RGB, then the start of an IDAT (no real image data).
    static func pngHeader(width: Int, height: Int) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += chunk("IHDR", bigEndian32(width) + bigEndian32(height) + [8, 2, 0, 0, 0])
        bytes += chunk("IDAT", [0x78, 0x01])
        return Data(bytes)
    }

    /// A real JPEG whose frame header (SOF0) is rewritten to declare `width` x `height`.
    static func jpegDeclaring(width: Int, height: Int) throws -> Data {
        var bytes = [UInt8](try TestImages.pattern(width: 16, height: 16, channels: 3).jpegData())
        let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = UInt8(height >> 8)
        bytes[sof + 6] = UInt8(height & 0xFF)
        bytes[sof + 7] = UInt8(width >> 8)
        bytes[sof + 8] = UInt8(width & 0xFF)
        return Data(bytes)
    }

    @Test("a PNG declaring 40000x40000 is refused from its header")
    func hugePNG() {
        #expect(
            throws: ImageError.tooLarge(name: "huge.png", width: 40000, height: 40000, limit: Image.defaultMaxPixels)
        ) {
            try Image(decoding: Self.pngHeader(width: 40000, height: 40000), name: "huge.png")
        }
        let error = ImageError.tooLarge(name: "huge.png", width: 40000, height: 40000, limit: 100_000_000)
        #expect(error.description == "image too large 'huge.png': 40000x40000 > limit of 100000000 pixels")
    }

    @Test("a JPEG declaring 40000x40000 is refused from its header")
    func hugeJPEG() throws {
        let data = try Self.jpegDeclaring(width: 40000, height: 40000)
        #expect(
            throws: ImageError.tooLarge(name: "huge.jpg", width: 40000, height: 40000, limit: Image.defaultMaxPixels)
        ) {
            try Image(decoding: data, name: "huge.jpg")
        }
    }

    @Test("a PNG declaring the largest sides PNG allows is refused, not overflowed")
    func extremePNG() {
        let side = 0x7FFF_FFFF
        #expect(throws: ImageError.tooLarge(name: "max.png", width: side, height: side, limit: Image.defaultMaxPixels))
        {
            try Image(decoding: Self.pngHeader(width: side, height: side), name: "max.png")
        }
    }

    @Test("maxPixels is inclusive and applies to both formats and label maps")
    func customLimit() throws {
        let image = TestImages.pattern(width: 64, height: 32, channels: 1)
        for data in [try image.pngData(), try image.jpegData()] {
            #expect(try Image(decoding: data, name: "ok", maxPixels: 2048).width == 64)
            #expect(throws: ImageError.tooLarge(name: "big", width: 64, height: 32, limit: 2047)) {
                try Image(decoding: data, name: "big", maxPixels: 2047)
            }
        }
        #expect(throws: ImageError.tooLarge(name: "map.png", width: 64, height: 32, limit: 100)) {
            try LabelMap(decoding: image.pngData(), name: "map.png", maxPixels: 100)
        }
    }
}
