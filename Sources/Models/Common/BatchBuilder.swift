import Foundation
import Torch
import Vision

/// Puts images into the detector's square input: scaled so the longer side fits (times a random jitter
/// in training), placed at an offset (random in training, top-left at inference), padded with the
/// normalised mean, boxes moved along.
struct BatchBuilder {
    let inputSize: Int
    let augmentation: Augmentation
    let normalization: Normalization
    let device: Device

    /// How an original image maps into the input square: input = original · scale + offset.
    struct Placement {
        var scale: Double, offsetX: Double, offsetY: Double
        var flippedX = false, flippedY = false
        var size: Double
        /// The image's size after scaling, before padding/cropping.
        var resizedWidth = 0, resizedHeight = 0

        /// Applies the same placement to per-pixel maps [N, 1, h, w] (nearest), padding with `fill`.
        func apply(toMaps maps: Tensor, fill: Double) throws -> Tensor {
            let s = Int(size), ox = Int(offsetX), oy = Int(offsetY)
            var m = try F.interpolate(maps, size: (resizedHeight, resizedWidth), mode: .nearest)
            m = try m.padded([ox, s - resizedWidth - ox, oy, s - resizedHeight - oy], value: fill)
            if flippedX { m = try m.flip([3]) }
            if flippedY { m = try m.flip([2]) }
            return m
        }
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
        let s = inputSize, config = augmentation
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
        return (x, Placement(scale: scale, offsetX: Double(ox), offsetY: Double(oy), flippedX: flip, flippedY: vflip, size: Double(s),
                             resizedWidth: w, resizedHeight: h))
    }

    /// Objects moved into the input square; objects mostly cut off by the crop are dropped (a sliver
    /// of a tree is not a tree). Returns the kept objects with their indices in `objects`.
    func placeObjects(_ objects: [AnnotatedObject], _ placement: Placement) -> [(index: Int, object: AnnotatedObject)] {
        let side = Double(inputSize)
        return objects.enumerated().compactMap { i, object in
            let full = placement.toInput(object.box)
            let clipped = Box(x1: Swift.max(0, full.x1), y1: Swift.max(0, full.y1), x2: Swift.min(side, full.x2), y2: Swift.min(side, full.y2))
            guard clipped.width >= 2, clipped.height >= 2, clipped.area >= 0.4 * full.area else { return nil }
            return (i, AnnotatedObject(classIndex: object.classIndex, box: clipped))
        }
    }

    /// Regions (ignored zones) moved into the input square, clipped to it; those cut off entirely dropped.
    func placeRegions(_ boxes: [Box], _ placement: Placement) -> [Box] {
        let side = Double(inputSize)
        return boxes.compactMap { box in
            let b = placement.toInput(box)
            let clipped = Box(x1: Swift.max(0, b.x1), y1: Swift.max(0, b.y1), x2: Swift.min(side, b.x2), y2: Swift.min(side, b.y2))
            return clipped.width > 0 && clipped.height > 0 ? clipped : nil
        }
    }

    /// A training batch: each sample placed in the input square with augmentation, its images stacked
    /// [B, 3, S, S], and `target` turning each sample's labels into what its loss needs, given where the
    /// image went. The one batch assembly of the three tasks.
    func trainingBatch<G: RandomNumberGenerator, Target>(
        _ samples: [Sample], using rng: inout G, target: (Sample, Placement) throws -> Target
    ) throws -> (images: Tensor, targets: [Target]) {
        var images: [Tensor] = [], targets: [Target] = []
        for sample in samples {
            let (x, placement) = try place(sample.image, augment: true, using: &rng)
            images.append(x)
            targets.append(try target(sample, placement))
        }
        return (try Tensor.cat(images, dim: 0), targets)
    }
}

/// Augmentation for tiny data: flips, scale jitter, brightness/contrast jitter.
public struct Augmentation: Codable, Sendable, Equatable {
    public var horizontalFlip = true
    public var verticalFlip = false
    public var scaleJitter: ClosedRange<Double> = 0.75...1.25
    public var colorJitter = 0.2
    public init() {}
}
