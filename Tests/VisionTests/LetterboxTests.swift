import Testing
import Vision

@Suite("letterbox")
struct LetterboxTests {
    @Test("a wide image fills the width and is centred vertically on the fill value")
    func wide() {
        let image = Image(width: 40, height: 20, channels: 3, fill: 200)
        let (boxed, box) = image.letterboxed(to: 16, fill: 7)
        #expect(boxed.width == 16 && boxed.height == 16 && boxed.channels == 3)
        #expect(box.resizedWidth == 16 && box.resizedHeight == 8)
        #expect(box.padX == 0 && box.padY == 4)
        #expect(box.scaleX == 0.4 && box.scaleY == 0.4)
        for y in 0..<16 {
            let expected: UInt8 = (4..<12).contains(y) ? 200 : 7
            #expect((0..<16).allSatisfy { boxed[x: $0, y: y, channel: 1] == expected }, "row \(y)")
        }
    }

    @Test("a tall image is centred horizontally; an odd leftover goes right")
    func tall() {
        let (boxed, box) = Image(width: 3, height: 10, channels: 1, fill: 1).letterboxed(to: 10, fill: 0)
        #expect(box.resizedWidth == 3 && box.padX == 3 && box.padY == 0)
        #expect(boxed[x: 2, y: 5, channel: 0] == 0 && boxed[x: 3, y: 5, channel: 0] == 1)
        #expect(boxed[x: 5, y: 5, channel: 0] == 1 && boxed[x: 6, y: 5, channel: 0] == 0)
    }

    @Test("a small image is scaled up to the square")
    func upscale() {
        let box = Letterbox(originalWidth: 50, originalHeight: 25, size: 200)
        #expect(box.resizedWidth == 200 && box.resizedHeight == 100 && box.padY == 50)
    }

    @Test("the original's corners land on the scaled area's corners and come back")
    func corners() {
        let box = Letterbox(originalWidth: 640, originalHeight: 479, size: 512)  // rounding: 383.2 -> 383
        #expect(box.resizedWidth == 512 && box.resizedHeight == 383 && box.padY == 64)
        let topLeft = box.toLetterboxed(x: 0, y: 0)
        let bottomRight = box.toLetterboxed(x: 640, y: 479)
        #expect(topLeft == (0, 64))
        #expect(abs(bottomRight.x - 512) < 1e-9 && abs(bottomRight.y - 447) < 1e-9)
        let back = box.toOriginal(x: 512, y: 447)
        #expect(abs(back.x - 640) < 1e-9 && abs(back.y - 479) < 1e-9)
    }

    @Test("points round trip original -> letterboxed -> original")
    func roundTrip() {
        var generator = SeededGenerator(state: 3)
        for _ in 0..<100 {
            let width = Int.random(in: 1...3000, using: &generator)
            let height = Int.random(in: 1...3000, using: &generator)
            let box = Letterbox(
                originalWidth: width, originalHeight: height, size: Int.random(in: 32...1024, using: &generator))
            let x = Double.random(in: 0...Double(width), using: &generator)
            let y = Double.random(in: 0...Double(height), using: &generator)
            let there = box.toLetterboxed(x: x, y: y)
            #expect(
                there.x >= -1e-9 && there.x <= Double(box.size) + 1e-9 && there.y >= -1e-9
                    && there.y <= Double(box.size) + 1e-9)
            let back = box.toOriginal(x: there.x, y: there.y)
            #expect(abs(back.x - x) < 1e-6 * Double(width) && abs(back.y - y) < 1e-6 * Double(height))
        }
    }

    @Test("a box drawn on the letterboxed image maps onto the same content in the original")
    func boxContent() {
        // A bright 20x10 patch at (60, 30) in a 200x100 image; letterboxed to 100 it is 10x5 at (30, 40).
        var image = Image(width: 200, height: 100, channels: 1, fill: 0)
        for y in 30..<40 { for x in 60..<80 { image[x: x, y: y, channel: 0] = 255 } }
        let (boxed, box) = image.letterboxed(to: 100, fill: 0)
        #expect(boxed[x: 35, y: 42, channel: 0] == 255 && boxed[x: 35, y: 24, channel: 0] == 0)
        let topLeft = box.toOriginal(x: 30, y: 40)
        let bottomRight = box.toOriginal(x: 40, y: 45)
        #expect(topLeft == (60, 30) && bottomRight == (80, 40))
    }
}
