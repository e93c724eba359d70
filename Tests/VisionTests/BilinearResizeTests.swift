import Testing
import Vision

@Suite("bilinear resize")
struct BilinearResizeTests {
    static func grey(_ width: Int, _ height: Int, _ pixels: [UInt8]) -> Image {
        Image(width: width, height: height, channels: 1, pixels: pixels)
    }

    // align_corners=False: output i samples input at (i + 0.5) * in / out - 0.5, clamped to [0, in - 1].
    // Doubling 2 -> 4 samples at -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1), so a row [a, b]
    // becomes [a, 0.75a + 0.25b, 0.25a + 0.75b, b].
    @Test("2x2 to 4x4 matches the align_corners=False formula worked by hand")
    func upsample() {
        let image = Self.grey(2, 2, [0, 80, 160, 240])
        let expected: [UInt8] = [
            0, 20, 60, 80,
            40, 60, 100, 120,
            120, 140, 180, 200,
            160, 180, 220, 240,
        ]
        #expect(image.resized(width: 4, height: 4).pixels == expected)
    }

    @Test("halving samples at 0.5, 2.5: each output is the mean of a 2x2 block")
    func downsample() {
        let image = Self.grey(
            4, 4,
            [
                0, 10, 100, 110,
                20, 30, 120, 130,
                200, 210, 50, 60,
                220, 230, 70, 82,
            ])
        #expect(image.resized(width: 2, height: 2).pixels == [15, 115, 215, 66])  // 65.5 rounds up
    }

    @Test("3 to 5 columns samples at 0, 0.4, 1.0, 1.6, 2 (edges clamped)")
    func oddRatio() {
        let image = Self.grey(3, 1, [0, 100, 200])
        #expect(image.resized(width: 5, height: 1).pixels == [0, 40, 100, 160, 200])
    }

    /// Unrounded `F.interpolate(x, size=(oh, ow), mode="bilinear", align_corners=False)` on the float
    /// image below, from torch 2.15.0 (.venv-ref):
    /// `x[0, c, y, x] = (x*53 + y*97 + c*31 + x*y*7) % 256`, 5 wide, 4 high, 3 channels; printed HWC.
    static let torchReference: [(width: Int, height: Int, values: [Double])] = [
        (
            7, 3,
            [
                16.167, 47.167, 78.167, 47.119, 78.119, 109.119, 85.81, 116.81, 135.619, 124.5, 155.5, 143.833,
                132.714, 163.714, 182.524, 159.214, 190.214, 129.786, 190.167, 221.167, 38.833, 145.5, 176.5, 79.5,
                108.643, 139.643, 115.786, 99.143, 130.143, 124.571, 144.5, 175.5, 78.5, 98.429, 129.429, 123.857,
                107.214, 138.214, 114.357, 143.5, 174.5, 77.5, 61.5, 92.5, 80.833, 78.738, 109.738, 122.452,
                112.476, 143.476, 174.476, 164.5, 195.5, 226.5, 64.143, 95.143, 126.143, 55.214, 86.214, 98.929,
                96.833, 127.833, 116.167,
            ]
        ),
        (
            3, 6,
            [
                17.667, 48.667, 79.667, 106, 137, 168, 194.333, 225.333, 85.667, 67.333, 98.333, 129.333, 161.5,
                192.5, 95.5, 127.667, 158.667, 104.333, 119.333, 150.333, 152.889, 192.833, 223.833, 41.5, 81.444,
                112.444, 115, 128.667, 159.667, 48.444, 96.167, 127.167, 115.5, 163.222, 194.222, 83, 95.333,
                126.333, 72, 127.5, 158.5, 189.5, 117, 148, 93.667, 59.667, 90.667, 121.667, 183, 214, 245, 50.333,
                81.333, 112.333,
            ]
        ),
    ]

    @Test("matches PyTorch F.interpolate bilinear within rounding", arguments: 0..<2)
    func matchesTorch(case index: Int) {
        var pixels = [UInt8]()
        for y in 0..<4 {
            for x in 0..<5 {
                for c in 0..<3 { pixels.append(UInt8((x * 53 + y * 97 + c * 31 + x * y * 7) % 256)) }
            }
        }
        let reference = Self.torchReference[index]
        let resized = Image(width: 5, height: 4, channels: 3, pixels: pixels)
            .resized(width: reference.width, height: reference.height)
        #expect(resized.width == reference.width && resized.height == reference.height)
        for (i, (ours, torch)) in zip(resized.pixels, reference.values).enumerated() {
            #expect(abs(Double(ours) - torch) <= 0.5 + 1e-3, "sample \(i): \(ours) vs \(torch)")
        }
    }

    @Test("same size returns the image unchanged; channels are kept", arguments: [1, 3, 4])
    func identityAndChannels(channels: Int) {
        let image = TestImages.pattern(width: 6, height: 5, channels: channels)
        #expect(image.resized(width: 6, height: 5) == image)
        let bigger = image.resized(width: 12, height: 10)
        #expect(bigger.channels == channels && bigger.width == 12 && bigger.height == 10)
        // A constant image stays constant at any size.
        let flat = Image(width: 3, height: 7, channels: channels, fill: 77)
        #expect(flat.resized(width: 11, height: 2).pixels.allSatisfy { $0 == 77 })
    }
}
