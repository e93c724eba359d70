import Foundation
import Torch
import Vision

/// The instance-segmentation `LiveModel`: FCOS detections whose masks are assembled from prototypes
/// (YOLACT-style), on the same pretrained backbones as the detector.
public final class LiveInstanceSegmenter: LiveModel, @unchecked Sendable {
    public let config: SegmenterConfig
    public let model: InstanceSegmenter
    let detection: DetectorConfig
    let core: TrainingCore
    public var device: Device { core.device }

    /// `weights`: see `TrainingCore.backbone`.
    public init(config: SegmenterConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        detection = config.detector
        let backbone = try TrainingCore.backbone(config.training, weights: weights)
        model = try InstanceSegmenter(config: config, backbone: backbone)
        core = try TrainingCore(network: model, backbone: backbone, settings: config.training, device: device, seed: seed)
    }

    /// The objects' masks as one [N, 1, H, W] float tensor in image pixels (boxes filled when a mask is missing).
    func maskTensor(_ sample: Sample) throws -> Tensor {
        let w = sample.width, h = sample.height
        var bits: [UInt8] = []
        for object in sample.annotation.objects {
            if let rle = object.mask, rle.width == w, rle.height == h {
                bits += rle.mask.bits
            } else {
                var m = BinaryMask(width: w, height: h)
                for y in Int(object.box.y1)..<Swift.min(h, Int(object.box.y2.rounded(.up))) {
                    for x in Int(object.box.x1)..<Swift.min(w, Int(object.box.x2.rounded(.up))) { m[x, y] = true }
                }
                bits += m.bits
            }
        }
        return try Tensor(bits, shape: [sample.annotation.objects.count, 1, h, w], device: device).to(.float32)
    }

    public func trainStep(_ batch: [Sample]) throws -> StepLoss { try core.step { try loss(batch) } }

    public func trainStep(_ batch: [Sample], pseudoLabelled: [Sample], weight: Double) throws -> StepLoss {
        try core.step({ try loss(batch) }, unlabelled: pseudoLabelled.isEmpty ? nil : { try self.loss(pseudoLabelled, pseudo: true) }, weight: weight)
    }

    public func warmUp() throws {
        try core.warmUp(warmUpSample(size: config.inputSize, classes: config.classes, semantic: false), loss: { try self.loss($0) }, predict: predict)
    }

    /// `pseudo`: the batch holds pseudo-labels: classes and masks are learnt, not box regression
    /// (see `detectionLoss`), and ignored regions are honoured.
    func loss(_ batch: [Sample], pseudo: Bool = false) throws -> (total: Tensor, parts: [String: Tensor]) {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        let quarter = config.inputSize / 4
        let (images, placed) = try core.builder.trainingBatch(batch, using: &core.rng) { sample, placement in
            let ignored = core.builder.placeRegions(sample.ignoredRegions, placement)
            let kept = core.builder.placeObjects(sample.annotation.objects, placement)
            guard !kept.isEmpty else { return (objects: [AnnotatedObject](), mask: Tensor?.none, ignored: ignored) }
            let index = try Tensor(kept.map { Int64($0.index) }, shape: [kept.count], device: device)
            let maps = try placement.apply(toMaps: maskTensor(sample).indexSelect(dim: 0, index), fill: 0)  // [N, 1, S, S]
            return (kept.map(\.object), try F.interpolate(maps, size: (quarter, quarter)).squeeze(1), ignored)
        }
        let (objects, masks) = (placed.map(\.objects), placed.map(\.mask))
        let out = try model.detector(images, strides: detection.strides)
        let prototypes = try model.protonet(out.p3)
        let grid = PointGrid(grids: out.grids, strides: detection.strides)
        let targets = placed.map { assignTargets(objects: $0.objects, ignored: $0.ignored, grid: grid, config: detection) }
        var (total, parts) = try detectionLoss(out, targets: targets, grid: grid, classes: config.classes, classificationOnly: pseudo)
        if let coef = out.coef, let m = try maskLoss(coef: coef, prototypes: prototypes, targets: targets, masks: masks,
                                                      boxes: objects.map { $0.map(\.box) }, stride: 4, perImage: config.maskPositivesPerImage,
                                                      diceWeight: config.diceWeight, rng: &core.rng) {
            total = try total + m
            parts["mask"] = m
        }
        return (total, parts)
    }

    public func predict(_ image: Image) throws -> Prediction {
        try core.inference(image) { x, placement in
            let out = try model.detector(x, strides: detection.strides)
            let grid = PointGrid(grids: out.grids, strides: detection.strides)
            let found = try decodeDetectionsWithIndices(cls: out.cls.squeeze(0), box: out.box.squeeze(0), ctr: out.ctr.squeeze(0), grid: grid,
                                                        scoreThreshold: config.scoreThreshold, nmsIoU: config.nmsIoU, maxDetections: config.maxDetections)
            guard !found.isEmpty, let coef = out.coef else { return Prediction(objects: []) }
            let prototypes = try model.protonet(out.p3).squeeze(0)
            let index = try Tensor(found.map { Int64($0.location) }, shape: [found.count], device: device)
            let logits = try assembleMasks(coefficients: coef.squeeze(0).indexSelect(dim: 0, index), prototypes: prototypes).unsqueeze(1)
            let s = config.inputSize
            let full = try F.interpolate(logits, size: (s, s))
                .slice(dim: 2, start: 0, end: placement.resizedHeight).slice(dim: 3, start: 0, end: placement.resizedWidth)
            let mapped = found.map { $0.object.mapped(by: placement, width: image.width, height: image.height) }
            var objects: [Prediction.Object] = []
            // Full-resolution masks cost N×H×W floats (hundreds of MB for 100 detections on a 1388×1040
            // image), so they are made a chunk of detections at a time.
            let chunk = 16, area = image.width * image.height
            for start in stride(from: 0, to: found.count, by: chunk) {
                let end = Swift.min(start + chunk, found.count)
                let boxes = (start..<end).map { mapped[$0]?.box ?? Box(x1: 0, y1: 0, x2: 0, y2: 0) }
                let bits = try pasteMasks(full.slice(dim: 0, start: start, end: end), boxes: boxes, width: image.width, height: image.height)
                for k in start..<end {
                    guard var object = mapped[k] else { continue }
                    let mask = BinaryMask(width: image.width, height: image.height, bits: Array(bits[((k - start) * area)..<((k - start + 1) * area)]))
                    guard mask.area > 0 else { continue }
                    object.mask = COCORLE(mask)
                    objects.append(object)
                }
            }
            return Prediction(objects: objects)
        }
    }

    /// Mask logits [N, 1, h, w] resized to the image and cut to their boxes (a pixel counts when its
    /// centre lies inside), as N×H×W bytes; logit 0 is probability 0.5.
    func pasteMasks(_ logits: Tensor, boxes: [Box], width: Int, height: Int) throws -> [UInt8] {
        let n = boxes.count
        let edges = { (values: [Double]) in try Tensor(values.map(Float.init), shape: [n, 1, 1, 1], device: self.device) }
        let xs = try Tensor.arange(0.5, Double(width), dtype: .float32, device: device).reshape([1, 1, 1, width])
        let ys = try Tensor.arange(0.5, Double(height), dtype: .float32, device: device).reshape([1, 1, height, 1])
        let inX = try xs.ge(edges(boxes.map(\.x1))).logicalAnd(xs.le(edges(boxes.map(\.x2))))
        let inY = try ys.ge(edges(boxes.map(\.y1))).logicalAnd(ys.le(edges(boxes.map(\.y2))))
        let positive = try F.interpolate(logits, size: (height, width)).gt(0)
        return try positive.logicalAnd(inX).logicalAnd(inY).to(.uint8).array(UInt8.self)
    }

    public func state() throws -> [String: Tensor] { try core.state() }
    public var weights: [String: Tensor] { core.network.stateDict() }
    public func load(_ state: [String: Tensor]) throws { try core.load(state) }
}
