import Foundation
import Torch
import Vision

/// The detection `LiveModel`: a `Detector` with its optimiser, warm-up schedule and augmentation RNG.
/// Backbone batch norms stay frozen in eval mode: statistics of 2-8 images would wreck ImageNet's.
public final class LiveDetector: LiveModel, @unchecked Sendable {
    public let config: DetectorConfig
    public let model: Detector
    public let device: Device
    let recipe: TrainingRecipe
    let builder: BatchBuilder
    var rng: SeededGenerator
    public var steps: Int { recipe.optimizer.step }

    /// `weights`: folder with the backbone's ImageNet safetensors (assets/weights); nil starts from
    /// random init (tests of mechanics only: live training always starts pretrained).
    public init(config: DetectorConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        self.device = device
        let backbone = try weights.map { try config.backbone.pretrained(in: $0, classifier: false) } ?? config.backbone.make(classifier: false)
        model = try Detector(config: config, backbone: backbone)
        try model.move(to: device)
        recipe = TrainingRecipe(model: model, learningRate: config.learningRate, backboneScale: config.backboneLearningRateScale,
                                weightDecay: config.weightDecay, warmupSteps: config.warmupSteps, gradientClip: config.gradientClip)
        builder = BatchBuilder(inputSize: config.inputSize, augmentation: config.augmentation, normalization: backbone.normalization, device: device)
        rng = SeededGenerator(seed: seed)
        setTrainMode()
    }

    func setTrainMode() {
        model.train()
        model.backbone.eval()
    }

    func loss(_ batch: [Sample]) throws -> (total: Tensor, parts: [String: Tensor]) {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        setTrainMode()
        let (images, objects) = try builder.trainingBatch(batch, using: &rng)
        let out = try model(images, strides: config.strides)
        let grid = PointGrid(grids: out.grids, strides: config.strides)
        let targets = objects.map { assignTargets(objects: $0, grid: grid, config: config) }
        return try detectionLoss(out, targets: targets, grid: grid, classes: config.classes)
    }

    public func trainStep(_ batch: [Sample]) throws -> StepLoss {
        try withGrad {
            let (total, parts) = try loss(batch)
            let value = try recipe.step(total, parameters: model.parameters())
            return StepLoss(total: value, parts: try parts.mapValues { try $0.item() })
        }
    }

    public func warmUp() throws {
        let saved = rng
        defer { rng = saved }
        let sample = warmUpSample(size: config.inputSize, classes: config.classes, semantic: false)
        try withGrad { try recipe.discard(loss(Array(repeating: sample, count: config.batchSize)).total) }
        _ = try predict(sample.image)
    }

    public func predict(_ image: Image) throws -> Prediction {
        model.eval()
        defer { setTrainMode() }
        return try withNoGrad {
            var unused = rng
            let (x, placement) = try builder.place(image, augment: false, using: &unused)
            let out = try model(x, strides: config.strides)
            let grid = PointGrid(grids: out.grids, strides: config.strides)
            let found = try decodeDetections(cls: out.cls.squeeze(0), box: out.box.squeeze(0), ctr: out.ctr.squeeze(0), grid: grid,
                                             scoreThreshold: config.scoreThreshold, nmsIoU: config.nmsIoU, maxDetections: config.maxDetections)
            return Prediction(objects: found.compactMap { $0.mapped(by: placement, width: image.width, height: image.height) })
        }
    }

    public func state() throws -> [String: Tensor] {
        try recipe.state(model: model, rng: rng)
    }

    public func load(_ state: [String: Tensor]) throws {
        if let saved = try recipe.load(state, model: model) { rng = saved }
    }
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
