import Foundation
import Testing

@testable import Vision

@Suite("JPEG decoding")
struct JPEGDecodingTests {
    /// Mean and largest absolute difference between two same-shaped images.
    static func difference(_ a: Image, _ b: Image) -> (mean: Double, max: Int) {
        let diffs = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }
        return (Double(diffs.reduce(0, +)) / Double(diffs.count), diffs.max() ?? 0)
    }

    @Test("JPEG round trip of a smooth RGB image is close at quality 95")
    func roundTrip() throws {
        let image = TestImages.smooth(width: 64, height: 48)
        let data = try image.jpegData(quality: 95)
        #expect(ImageFormat.sniff(data) == .jpeg)
        let decoded = try Image(decoding: data, name: "smooth.jpg")
        #expect(decoded.width == 64 && decoded.height == 48 && decoded.channels == 3)
        let (mean, largest) = Self.difference(decoded, image)
        #expect(mean < 1.5, "mean error \(mean)")
        #expect(largest <= 12, "largest error \(largest)")
    }

    @Test("lower quality gives a smaller file")
    func quality() throws {
        let image = TestImages.pattern(width: 64, height: 64, channels: 3)
        #expect(try image.jpegData(quality: 30).count < image.jpegData(quality: 95).count)
    }

    @Test("grey JPEG decodes to one channel")
    func grey() throws {
        let image = TestImages.pattern(width: 32, height: 16, channels: 1)
        let decoded = try Image(decoding: image.jpegData(quality: 100), name: "grey.jpg")
        #expect(decoded.channels == 1)
        #expect(Self.difference(decoded, image).mean < 2)
    }

    @Test("RGBA is written to JPEG as its RGB")
    func alphaDropped() throws {
        let rgb = TestImages.smooth(width: 16, height: 16)
        var rgba = Image(width: 16, height: 16, channels: 4)
        for y in 0..<16 {
            for x in 0..<16 {
                for c in 0..<3 { rgba[x: x, y: y, channel: c] = rgb[x: x, y: y, channel: c] }
                rgba[x: x, y: y, channel: 3] = UInt8(y * 16 + x)
            }
        }
        let decoded = try Image(decoding: rgba.jpegData(quality: 100), name: "rgba.jpg")
        #expect(decoded.channels == 3)
        #expect(Self.difference(decoded, rgb).mean < 2)
    }

    @Test("CMYK JPEG (Adobe, inverted) decodes to RGB")
    func cmyk() throws {
        // Stored inverted, as Photoshop writes: 255 means no ink. Pixels: white, pure cyan, 50 % black.
        let stored: [UInt8] = [255, 255, 255, 255, 0, 255, 255, 255, 255, 255, 255, 128]
        let row = (0..<8).flatMap { i in stored[(i % 3 * 4)..<(i % 3 * 4 + 4)] }
        let samples = Array((0..<8).map { _ in row }.joined())
        let data = try encodeJPEG(samples, width: 8, height: 8, channels: 4, quality: 100)
        let decoded = try Image(decoding: data, name: "cmyk.jpg")
        #expect(decoded.channels == 3)
        let expected: [[Int]] = [[255, 255, 255], [0, 255, 255], [128, 128, 128]]
        for x in 0..<3 {
            for c in 0..<3 {
                let value = Int(decoded[x: x, y: 0, channel: c])
                #expect(abs(value - expected[x][c]) <= 8, "pixel \(x) channel \(c): \(value)")
            }
        }
    }

    @Test("encoding a side longer than JPEG allows throws encodingFailed")
    func tooWideToEncode() throws {
        let wide = Image(width: 70_000, height: 1, channels: 1)
        #expect {
            try wide.jpegData()
        } throws: { error in
            guard let error = error as? ImageError, case .encodingFailed(.jpeg, _) = error else { return false }
            return error.description.contains("70000x1")
        }
    }
}
