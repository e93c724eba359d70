import Foundation
import Testing
import Vision

@Suite("PNG decoding")
struct PNGDecodingTests {
    @Test("PNG round trip is exact for grey, RGB and RGBA", arguments: [1, 3, 4])
    func roundTrip(channels: Int) throws {
        let image = TestImages.pattern(width: 37, height: 23, channels: channels)
        let data = try image.pngData()
        #expect(ImageFormat.sniff(data) == .png)
        #expect(try Image(decoding: data, name: "round.png") == image)
    }

    @Test("uncompressed PNG round trips too")
    func levelZero() throws {
        let image = TestImages.pattern(width: 9, height: 4, channels: 3)
        #expect(try Image(decoding: image.pngData(compressionLevel: 0), name: "flat.png") == image)
    }

    @Test("8-bit RGB from an independent writer decodes sample for sample")
    func independentRGB() throws {
        let samples: [UInt16] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]
        let png = PNGWriter(width: 3, height: 2, colorType: .rgb, bitDepth: 8, samples: samples)
        let image = try Image(decoding: png.data(), name: "rgb.png")
        #expect(image.width == 3 && image.height == 2 && image.channels == 3)
        #expect(image.pixels == samples.map { UInt8($0) })
    }

    @Test("16-bit samples are scaled by 255/65535 with rounding, not cut to their high byte")
    func sixteenBitRGB() throws {
        // v * 257 is exactly v/255 of full scale; +100 stays below half a step (128.5), -100 too.
        let eight: [UInt8] = [0, 1, 127, 128, 200, 255]
        let samples = eight.enumerated().map { index, v in
            UInt16(clamping: Int(v) * 257 + (index.isMultiple(of: 2) ? 100 : -100))
        }
        let png = PNGWriter(width: 2, height: 1, colorType: .rgb, bitDepth: 16, samples: samples)
        let image = try Image(decoding: png.data(), name: "deep.png")
        #expect(image.channels == 3)
        #expect(image.pixels == eight)
        // 0xFE00 is 253.0 of 255: taking the high byte (libpng's strip_16) would give 254.
        let highByte = PNGWriter(width: 1, height: 1, colorType: .grey, bitDepth: 16, samples: [0xFE00])
        #expect(try Image(decoding: highByte.data(), name: "high.png").pixels == [253])
    }

    @Test("grey of 1, 2 and 4 bits expands to the full 8-bit range", arguments: [1, 2, 4])
    func lowBitGrey(bitDepth: Int) throws {
        let levels = (0..<(1 << bitDepth)).map { UInt16($0) }
        let png = PNGWriter(width: levels.count, height: 1, colorType: .grey, bitDepth: bitDepth, samples: levels)
        let image = try Image(decoding: png.data(), name: "grey\(bitDepth).png")
        #expect(image.channels == 1 && image.width == levels.count)
        let step = 255 / ((1 << bitDepth) - 1)
        #expect(image.pixels == levels.map { UInt8(Int($0) * step) })
    }

    @Test("grey plus alpha becomes RGBA with the grey repeated")
    func greyAlpha() throws {
        let png = PNGWriter(width: 2, height: 1, colorType: .greyAlpha, bitDepth: 8, samples: [10, 255, 200, 0])
        let image = try Image(decoding: png.data(), name: "ga.png")
        #expect(image.channels == 4)
        #expect(image.pixels == [10, 10, 10, 255, 200, 200, 200, 0])
    }

    @Test("16-bit grey plus alpha becomes 8-bit RGBA")
    func greyAlpha16() throws {
        let png = PNGWriter(width: 1, height: 1, colorType: .greyAlpha, bitDepth: 16, samples: [0xFFFF, 0x8080])
        #expect(try Image(decoding: png.data(), name: "ga16.png").pixels == [255, 255, 255, 128])
    }

    @Test("palette expands to RGB, or RGBA when tRNS gives entries alpha")
    func palette() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 8, 7]
        var png = PNGWriter(width: 4, height: 2, colorType: .palette, bitDepth: 2, samples: [0, 1, 2, 3, 3, 2, 1, 0])
        png.palette = palette
        let opaque = try Image(decoding: png.data(), name: "palette.png")
        #expect(opaque.channels == 3)
        #expect(Array(opaque.pixels.prefix(12)) == palette)
        #expect(Array(opaque.pixels.suffix(3)) == [255, 0, 0])

        png.transparency = [0, 128]  // entries past the list stay opaque
        let translucent = try Image(decoding: png.data(), name: "palette-trns.png")
        #expect(translucent.channels == 4)
        #expect(Array(translucent.pixels.prefix(16)) == [255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 9, 8, 7, 255])
    }

    @Test("8-bit palette with 256 entries maps every index")
    func fullPalette() throws {
        var png = PNGWriter(
            width: 16, height: 16, colorType: .palette, bitDepth: 8, samples: (0..<256).map { UInt16(255 - $0) })
        png.palette = (0..<256).flatMap { [UInt8($0), UInt8(255 - $0), 7] }
        let image = try Image(decoding: png.data(), name: "p8.png")
        #expect(image[x: 0, y: 0, channel: 0] == 255 && image[x: 0, y: 0, channel: 1] == 0)
        #expect(image[x: 15, y: 15, channel: 0] == 0 && image[x: 15, y: 15, channel: 2] == 7)
    }

    @Test("grey and RGB with a tRNS colour key gain an alpha channel")
    func colourKey() throws {
        var grey = PNGWriter(width: 2, height: 1, colorType: .grey, bitDepth: 8, samples: [7, 8])
        grey.transparency = [0, 7]
        #expect(try Image(decoding: grey.data(), name: "key.png").pixels == [7, 7, 7, 0, 8, 8, 8, 255])

        var rgb = PNGWriter(width: 2, height: 1, colorType: .rgb, bitDepth: 8, samples: [1, 2, 3, 4, 5, 6])
        rgb.transparency = [0, 4, 0, 5, 0, 6]
        #expect(try Image(decoding: rgb.data(), name: "key-rgb.png").pixels == [1, 2, 3, 255, 4, 5, 6, 0])
    }

    @Test("interlaced PNG decodes to the same pixels as non-interlaced", arguments: [1, 3, 4])
    func interlaced(channels: Int) throws {
        let image = TestImages.pattern(width: 13, height: 11, channels: channels)
        let colorType: PNGWriter.ColorType = [1: .grey, 3: .rgb, 4: .rgba][channels]!
        var png = PNGWriter(
            width: 13, height: 11, colorType: colorType, bitDepth: 8, samples: image.pixels.map { UInt16($0) })
        png.interlaced = true
        #expect(try Image(decoding: png.data(), name: "adam7.png") == image)
    }

    @Test("a 1x1 interlaced image (most Adam7 passes empty) decodes")
    func tinyInterlaced() throws {
        var png = PNGWriter(width: 1, height: 1, colorType: .rgba, bitDepth: 8, samples: [1, 2, 3, 4])
        png.interlaced = true
        #expect(try Image(decoding: png.data(), name: "tiny.png").pixels == [1, 2, 3, 4])
    }

    @Test("a PNG is recognised by its bytes, whatever its name")
    func misnamed() throws {
        let data = try TestImages.pattern(width: 4, height: 4, channels: 3).pngData()
        #expect(try Image(decoding: data, name: "actually-a-png.jpg").width == 4)
    }
}
