import Foundation
import Testing
import Vision

@Suite("Image")
struct ImageTests {
    @Test("pixels are HWC: (x, y, c) is at (y * width + x) * channels + c")
    func layout() {
        var image = Image(width: 3, height: 2, channels: 3)
        image[x: 2, y: 1, channel: 1] = 9
        #expect(image.pixels[(1 * 3 + 2) * 3 + 1] == 9)
        #expect(image.pixels.filter { $0 != 0 }.count == 1)
    }

    @Test("rgb() repeats grey into three channels, drops alpha, and keeps RGB as is")
    func rgb() {
        let grey = Image(width: 2, height: 1, channels: 1, pixels: [5, 250])
        #expect(grey.rgb() == Image(width: 2, height: 1, channels: 3, pixels: [5, 5, 5, 250, 250, 250]))
        let rgba = Image(width: 2, height: 1, channels: 4, pixels: [1, 2, 3, 0, 4, 5, 6, 255])
        #expect(rgba.rgb().pixels == [1, 2, 3, 4, 5, 6])
        let rgb = TestImages.pattern(width: 4, height: 3, channels: 3)
        #expect(rgb.rgb() == rgb)
    }

    @Test("formats are recognised by magic bytes only")
    func sniff() {
        #expect(ImageFormat.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0])) == .jpeg)
        #expect(ImageFormat.sniff(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])) == .png)
        #expect(ImageFormat.sniff(Data([0x89, 0x50, 0x4E, 0x47])) == nil)  // too short to be sure
        #expect(ImageFormat.sniff(Data("GIF89a".utf8)) == nil)
        #expect(ImageFormat.sniff(Data()) == nil)
    }

    @Test("decoders keep no shared state: many tasks at once get the same pixels")
    func concurrentDecoding() async throws {
        let image = TestImages.smooth(width: 96, height: 64)
        let files = [try image.jpegData(), try image.pngData()]
        let expected = try files.map { try Image(decoding: $0, name: "reference") }
        let results = try await withThrowingTaskGroup(of: (Int, Image).self) { group in
            for task in 0..<32 {
                group.addTask { (task % 2, try Image(decoding: files[task % 2], name: "task-\(task)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 32)
        for (kind, decoded) in results { #expect(decoded == expected[kind]) }
    }
}
