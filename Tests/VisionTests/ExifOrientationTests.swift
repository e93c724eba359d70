import Foundation
import Testing
import Vision

@Suite("EXIF orientation")
struct ExifOrientationTests {
    /// An APP1 segment holding one IFD entry: orientation = `value`.
    static func exifSegment(orientation value: UInt8, bigEndian: Bool) -> [UInt8] {
        let tiff: [UInt8] =
            bigEndian
            ? [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0]
            : [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// `jpeg` with an EXIF segment inserted right after SOI, where cameras put it.
    static func withOrientation(_ jpeg: Data, _ value: UInt8, bigEndian: Bool = true) -> Data {
        var bytes = [UInt8](jpeg)
        bytes.insert(contentsOf: exifSegment(orientation: value, bigEndian: bigEndian), at: 2)
        return Data(bytes)
    }

    /// 3 wide, 2 high, one channel: values 1...6 row by row.
    static let stored = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])

    @Test("each orientation turns the stored pixels upright as EXIF defines it")
    func transforms() {
        // Upright views of the stored 3x2 grid [1 2 3 / 4 5 6], row by row.
        let expected: [ExifOrientation: (Int, Int, [UInt8])] = [
            .up: (3, 2, [1, 2, 3, 4, 5, 6]),
            .mirrored: (3, 2, [3, 2, 1, 6, 5, 4]),
            .rotated180: (3, 2, [6, 5, 4, 3, 2, 1]),
            .flippedVertically: (3, 2, [4, 5, 6, 1, 2, 3]),
            .transposed: (2, 3, [1, 4, 2, 5, 3, 6]),
            .rotatedClockwise: (2, 3, [4, 1, 5, 2, 6, 3]),
            .transversed: (2, 3, [6, 3, 5, 2, 4, 1]),
            .rotatedCounterClockwise: (2, 3, [3, 6, 2, 5, 1, 4]),
        ]
        for orientation in ExifOrientation.allCases {
            let (width, height, pixels) = expected[orientation]!
            let upright = Self.stored.oriented(orientation)
            #expect(upright.width == width && upright.height == height, "\(orientation)")
            #expect(upright.pixels == pixels, "\(orientation)")
        }
    }

    @Test("orientation tag is read in both byte orders, and absent means nil")
    func readsTag() throws {
        let jpeg = try TestImages.pattern(width: 8, height: 8, channels: 3).jpegData()
        #expect(ExifOrientation(jpeg: jpeg) == nil)
        #expect(ExifOrientation(jpeg: Self.withOrientation(jpeg, 6)) == .rotatedClockwise)
        #expect(ExifOrientation(jpeg: Self.withOrientation(jpeg, 8, bigEndian: false)) == .rotatedCounterClockwise)
        #expect(ExifOrientation(jpeg: Self.withOrientation(jpeg, 0)) == nil)  // out of range
    }

    @Test("decoding applies EXIF orientation 6 unless told not to")
    func decodeRotates() throws {
        let image = TestImages.pattern(width: 32, height: 16, channels: 3)
        let rotatedFile = Self.withOrientation(try image.jpegData(quality: 100), 6)
        let upright = try Image(decoding: rotatedFile, name: "phone.jpg")
        #expect(upright.width == 16 && upright.height == 32)
        let raw = try Image(decoding: rotatedFile, name: "phone.jpg", applyingOrientation: false)
        #expect(raw.width == 32 && raw.height == 16)
        #expect(upright == raw.oriented(.rotatedClockwise))
    }

    @Test("damaged EXIF segments are ignored, never read out of bounds")
    func damagedExif() throws {
        let jpeg = try TestImages.pattern(width: 8, height: 8, channels: 3).jpegData()
        let good = [UInt8](Self.withOrientation(jpeg, 3))
        var generator = SeededGenerator(state: 7)
        for cut in 2..<40 {  // truncated inside the EXIF segment
            _ = ExifOrientation(jpeg: Data(good.prefix(cut)))
        }
        for _ in 0..<200 {  // random bytes over the TIFF header and IFD
            var bytes = good
            let at = Int.random(in: 12..<40, using: &generator)
            bytes[at] = UInt8.random(in: 0...255, using: &generator)
            _ = ExifOrientation(jpeg: Data(bytes))
            _ = try? Image(decoding: Data(bytes), name: "fuzzed.jpg")
        }
    }
}
