import Testing
import Vision

@Suite("normalisation to CHW floats")
struct NormalizationTests {
    @Test("planes come out channel by channel, each (pixel / 255 - mean) / std")
    func chw() {
        // 2x1 RGB: pixel 0 = (0, 51, 255), pixel 1 = (255, 102, 0)
        let image = Image(width: 2, height: 1, channels: 3, pixels: [0, 51, 255, 255, 102, 0])
        let values = image.normalizedCHW(mean: [0, 0.2, 0.5], std: [1, 0.5, 0.25])
        let expected: [Float] = [0, 1, 0, 0.4, 2, -2]
        #expect(values.count == 6)
        for (value, want) in zip(values, expected) { #expect(abs(value - want) < 1e-6, "\(values)") }
    }

    @Test("ImageNet statistics: pixel 124 of the red channel is near zero")
    func imageNet() {
        let image = Image(width: 1, height: 1, channels: 3, pixels: [124, 116, 104])
        let values = image.normalizedCHW(mean: Image.imageNetMean, std: Image.imageNetStd)
        #expect(values.allSatisfy { abs($0) < 0.01 }, "\(values)")
    }

    @Test("grey images take one mean and one std")
    func grey() {
        let values = Image(width: 3, height: 1, channels: 1, pixels: [0, 128, 255]).normalizedCHW(
            mean: [0.5], std: [0.5])
        #expect(abs(values[0] + 1) < 1e-6 && abs(values[1] - 0.003_921_6) < 1e-5 && abs(values[2] - 1) < 1e-6)
    }
}
