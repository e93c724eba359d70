import Foundation
import Torch
import Vision

/// The detection `LiveModel`: a `Detector` on the shared `TrainingCore`.
public final class LiveDetector: LiveModel, @unchecked Sendable {
    public let config: DetectorConfig
    public let model: Detector
    let core: TrainingCore
    public var device: Device { core.device }

    /// `weights`: see `TrainingCore.backbone`.
    public init(config: DetectorConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        let backbone = try TrainingCore.backbone(config.training, weights: weights)
        model = try Detector(config: config, backbone: backbone)
        core = try TrainingCore(network: model, backbone: backbone, settings: config.training, device: device, seed: seed)
    }

    /// `pseudo`: the batch holds pseudo-labels (classification only, ignored regions honoured).
    func loss(_ batch: [Sample], pseudo: Bool = false) throws -> (total: Tensor, parts: [String: Tensor]) {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        let (images, placed) = try core.builder.trainingBatch(batch, using: &core.rng) { sample, placement in
            (core.builder.placeObjects(sample.annotation.objects, placement).map(\.object), core.builder.placeRegions(sample.ignoredRegions, placement))
        }
        let out = try model(images, strides: config.strides)
        let grid = PointGrid(grids: out.grids, strides: config.strides)
        let targets = placed.map { assignTargets(objects: $0.0, ignored: $0.1, grid: grid, config: config) }
        return try detectionLoss(out, targets: targets, grid: grid, classes: config.classes, classificationOnly: pseudo)
    }

    public func trainStep(_ batch: [Sample]) throws -> StepLoss { try core.step { try loss(batch) } }

    public func trainStep(_ batch: [Sample], pseudoLabelled: [Sample], weight: Double) throws -> StepLoss {
        try core.step({ try loss(batch) }, unlabelled: pseudoLabelled.isEmpty ? nil : { try self.loss(pseudoLabelled, pseudo: true) }, weight: weight)
    }

    public func warmUp() throws {
        try core.warmUp(warmUpSample(size: config.inputSize, classes: config.classes, semantic: false), loss: { try self.loss($0) }, predict: predict)
    }

    public func predict(_ image: Image) throws -> Prediction {
        try core.inference(image) { x, placement in
            let out = try model(x, strides: config.strides)
            let grid = PointGrid(grids: out.grids, strides: config.strides)
            let found = try decodeDetections(cls: out.cls.squeeze(0), box: out.box.squeeze(0), ctr: out.ctr.squeeze(0), grid: grid,
                                             scoreThreshold: config.scoreThreshold, nmsIoU: config.nmsIoU, maxDetections: config.maxDetections)
            return Prediction(objects: found.compactMap { $0.mapped(by: placement, width: image.width, height: image.height) })
        }
    }

    public func state() throws -> [String: Tensor] { try core.state() }
    public var weights: [String: Tensor] { core.network.stateDict() }
    public func load(_ state: [String: Tensor]) throws { try core.load(state) }
}

extension Prediction.Object {
    /// This object (found in the input square) in the original image's pixels, clipped; nil if nothing is left.
    func mapped(by placement: BatchBuilder.Placement, width: Int, height: Int) -> Prediction.Object? {
        let b = placement.toOriginal(box)
        let clipped = Box(x1: Swift.max(0, b.x1), y1: Swift.max(0, b.y1), x2: Swift.min(Double(width), b.x2), y2: Swift.min(Double(height), b.y2))
        guard clipped.width > 1, clipped.height > 1 else { return nil }
        return Prediction.Object(classIndex: classIndex, box: clipped, score: score, mask: mask)
    }
}
