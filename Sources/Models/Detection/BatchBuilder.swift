import Foundation
import Torch
import Vision

/// Puts images into the detector's square input: scaled so the longer side fits (times a random jitter
/// in training), placed at an offset (random in training, top-left at inference), padded with the
/// normalised mean, boxes moved along.
struct BatchBuilder {
    let config: DetectorConfig
    let normalization: Normalization
    let device: Device

    /// How an original image maps into the input square: input = original · scale + offset.
    struct Placement {
        var scale: Double, offsetX: Double, offsetY: Double
        var flippedX = false, flippedY = false
        var size: Double
        func toInput(_ b: Box) -> Box {
            var x1 = b.x1 * scale + offsetX, x2 = b.x2 * scale + offsetX
            var y1 = b.y1 * scale + offsetY, y2 = b.y2 * scale + offsetY
            if flippedX { (x1, x2) = (size - x2, size - x1) }
            if flippedY { (y1, y2) = (size - y2, size - y1) }
            return Box(x1: x1, y1: y1, x2: x2, y2: y2)
        }
        func toOriginal(_ b: Box) -> Box {
            Box(x1: (b.x1 - offsetX) / scale, y1: (b.y1 - offsetY) / scale, x2: (b.x2 - offsetX) / scale, y2: (b.y2 - offsetY) / scale)
        }
    }

    /// One image into [1, 3, S, S] normalised.
    func place<G: RandomNumberGenerator>(_ image: Image, augment: Bool, using rng: inout G) throws -> (Tensor, Placement) {
        let s = config.inputSize
        let jitter = augment ? Double.random(in: config.scaleJitter, using: &rng) : 1
        let scale = Double(s) * jitter / Double(Swift.max(image.width, image.height))
        let w = Swift.max(1, Int((Double(image.width) * scale).rounded())), h = Swift.max(1, Int((Double(image.height) * scale).rounded()))
        var x = try image.tensor(device: device)
        if w != image.width || h != image.height { x = try F.interpolate(x, size: (h, w)) }
        if augment && config.colorJitter > 0 {
            let contrast = 1 + Double.random(in: -config.colorJitter...config.colorJitter, using: &rng)
            let brightness = Double.random(in: -config.colorJitter...config.colorJitter, using: &rng) / 2
            x = try (x * contrast + brightness).clamp(min: 0, max: 1)
        }
        x = try normalization.apply(x)
        // Random placement: anywhere the image still covers the square or fits inside it.
        let ox = augment ? Int.random(in: Swift.min(0, s - w)...Swift.max(0, s - w), using: &rng) : 0
        let oy = augment ? Int.random(in: Swift.min(0, s - h)...Swift.max(0, s - h), using: &rng) : 0
        x = try x.padded([ox, s - w - ox, oy, s - h - oy])  // negative pads crop
        let flip = augment && config.horizontalFlip && Bool.random(using: &rng)
        if flip { x = try x.flip([3]) }
        let vflip = augment && config.verticalFlip && Bool.random(using: &rng)
        if vflip { x = try x.flip([2]) }
        return (x, Placement(scale: scale, offsetX: Double(ox), offsetY: Double(oy), flippedX: flip, flippedY: vflip, size: Double(s)))
    }

    /// A training batch: images [B, 3, S, S] and their boxes in input coordinates (boxes mostly cut off
    /// by the crop are dropped: a sliver of a tree is not a tree).
    func trainingBatch<G: RandomNumberGenerator>(_ samples: [Sample], using rng: inout G) throws -> (Tensor, [[AnnotatedObject]]) {
        var images: [Tensor] = [], objects: [[AnnotatedObject]] = []
        let side = Double(config.inputSize)
        for sample in samples {
            let (x, placement) = try place(sample.image, augment: true, using: &rng)
            images.append(x)
            objects.append(sample.annotation.objects.compactMap { object in
                let full = placement.toInput(object.box)
                let clipped = Box(x1: Swift.max(0, full.x1), y1: Swift.max(0, full.y1), x2: Swift.min(side, full.x2), y2: Swift.min(side, full.y2))
                guard clipped.width >= 2, clipped.height >= 2, clipped.area >= 0.4 * full.area else { return nil }
                return AnnotatedObject(classIndex: object.classIndex, box: clipped)
            })
        }
        return (try Tensor.cat(images, dim: 0), objects)
    }
}
