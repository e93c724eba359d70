import Foundation
import Testing
import Vision

@Suite("label maps")
struct LabelMapTests {
    @Test("16-bit ids round trip, including ids above 255")
    func sixteenBit() throws {
        let map = LabelMap(width: 4, height: 2, labels: [0, 1, 255, 256, 1000, 40000, 65535, 2])
        let data = try map.pngData()
        #expect(try LabelMap(decoding: data, name: "ids.png") == map)
        // The same file read as an Image is scaled to 8 bits: 256/257 of full scale is 1.
        #expect(try Image(decoding: data, name: "ids.png").pixels == [0, 0, 1, 1, 4, 156, 255, 0])
    }

    @Test("small ids are written as 8-bit PNG and read back unchanged")
    func eightBit() throws {
        let map = LabelMap(width: 3, height: 1, labels: [0, 1, 255])
        let data = try map.pngData()
        #expect(try LabelMap(decoding: data, name: "classes.png") == map)
        #expect(try Image(decoding: data, name: "classes.png").pixels == [0, 1, 255])
    }

    @Test("palette label maps give indices, not colours")
    func paletteIndices() throws {
        var png = PNGWriter(width: 3, height: 1, colorType: .palette, bitDepth: 4, samples: [0, 2, 15])
        png.palette = (0..<16).flatMap { [UInt8($0 * 16), 0, 128] }
        #expect(try LabelMap(decoding: png.data(), name: "voc.png").labels == [0, 2, 15])
    }

    @Test("low bit depth grey keeps raw values (1-bit mask is 0/1, not 0/255)", arguments: [1, 2, 4])
    func lowBitDepth(bitDepth: Int) throws {
        let values = (0..<(1 << bitDepth)).map { UInt16($0) }
        let png = PNGWriter(width: values.count, height: 1, colorType: .grey, bitDepth: bitDepth, samples: values)
        #expect(try LabelMap(decoding: png.data(), name: "mask.png").labels == values)
    }

    @Test("alpha in a grey+alpha label map is ignored")
    func greyAlpha() throws {
        let png = PNGWriter(width: 2, height: 1, colorType: .greyAlpha, bitDepth: 16, samples: [300, 0, 7, 65535])
        #expect(try LabelMap(decoding: png.data(), name: "ga.png").labels == [300, 7])
    }

    @Test("colour PNGs and JPEGs are refused as label maps")
    func refused() throws {
        let rgb = try TestImages.pattern(width: 4, height: 4, channels: 3).pngData()
        #expect(
            throws: ImageError.unsupportedFormat(
                name: "rgb.png", reason: "a label map must be a greyscale or palette PNG, not colour")
        ) {
            try LabelMap(decoding: rgb, name: "rgb.png")
        }
        let jpeg = try TestImages.pattern(width: 4, height: 4, channels: 1).jpegData()
        #expect { try LabelMap(decoding: jpeg, name: "mask.jpg") } throws: { error in
            guard case .unsupportedFormat("mask.jpg", _) = error as? ImageError else { return false }
            return true
        }
    }

    @Test("truncated label maps throw corrupt errors")
    func truncated() throws {
        let data = try LabelMap(width: 8, height: 8, labels: (0..<64).map { UInt16($0 * 1000) }).pngData()
        for cut in stride(from: 0, to: data.count, by: 7) {
            #expect(throws: ImageError.self) { try LabelMap(decoding: data.prefix(cut), name: "cut.png") }
        }
    }
}
