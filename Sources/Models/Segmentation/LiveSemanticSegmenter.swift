import Foundation
import Torch
import Vision

/// The semantic-segmentation `LiveModel`: per-pixel classes (0 = background) from a `SemanticSegmenter`.
public final class LiveSemanticSegmenter: LiveModel, @unchecked Sendable {
    public let config: SegmenterConfig
    public let model: SemanticSegmenter
    let core: TrainingCore
    public var device: Device { core.device }
    static let ignore = 255

    /// `weights`: see `TrainingCore.backbone`.
    public init(config: SegmenterConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        let backbone = try TrainingCore.backbone(config.training, weights: weights)
        model = try SemanticSegmenter(config: config, backbone: backbone)
        core = try TrainingCore(network: model, backbone: backbone, settings: config.training, device: device, seed: seed)
    }

    public func trainStep(_ batch: [Sample]) throws -> StepLoss { try core.step { try loss(batch) } }

    /// Pseudo-labelled maps carry `ignore` where the teacher was unsure, so the same loss serves both.
    public func trainStep(_ batch: [Sample], pseudoLabelled: [Sample], weight: Double) throws -> StepLoss {
        try core.step({ try loss(batch) }, unlabelled: pseudoLabelled.isEmpty ? nil : { try self.loss(pseudoLabelled) }, weight: weight)
    }

    public func warmUp() throws {
        try core.warmUp(warmUpSample(size: config.inputSize, classes: config.classes, semantic: true), loss: loss, predict: predict)
    }

    func loss(_ batch: [Sample]) throws -> (total: Tensor, parts: [String: Tensor]) {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        let (images, targets) = try core.builder.trainingBatch(batch, using: &core.rng) { sample, placement in
            guard let labels = sample.annotation.labels, labels.width == sample.width, labels.height == sample.height else {
                throw TorchError("sample '\(sample.id)' has no label map of its image's size")
            }
            let map = try Tensor(labels.labels.map { Float(Swift.min(Int($0), Self.ignore)) }, shape: [1, 1, labels.height, labels.width], device: device)
            return try placement.apply(toMaps: map, fill: Double(Self.ignore)).squeeze(1)
        }
        let logits = try model(images)
        return try semanticLoss(logits, Tensor.cat(targets), classes: config.classes, diceWeight: config.diceWeight, ignore: Self.ignore)
    }

    public func predict(_ image: Image) throws -> Prediction {
        try core.inference(image) { x, placement in
            let full = try logits(x, placement, width: image.width, height: image.height)
            let labels = try full.argmax(dim: 1).flatten().array(Int64.self).map { UInt16($0) }
            return Prediction(labels: LabelMap(width: image.width, height: image.height, labels: labels))
        }
    }

    /// Each pixel's most likely class where its probability clears that class's threshold; `ignore`
    /// elsewhere (and for classes without a threshold).
    public func pseudoLabel(_ sample: Sample, thresholds: PseudoLabelThresholds) throws -> Sample {
        let image = try sample.image
        let labels = try core.inference(image) { x, placement in
            let probabilities = try F.softmax(logits(x, placement, width: image.width, height: image.height), dim: 1)
            let (confidence, best) = try probabilities.max(dim: 1)
            let perClass = (0..<config.classes).map { Float(thresholds[$0] ?? 2) }  // 2: never reached
            let needed = try Tensor(perClass, shape: [config.classes], device: device).indexSelect(dim: 0, best.flatten())
            let ignore = try Tensor.full([], Double(Self.ignore), dtype: .int64, device: device)
            return try Tensor.where(confidence.flatten().ge(needed), best.flatten(), ignore).array(Int64.self).map { UInt16($0) }
        }
        var labelled = sample
        labelled.annotation = Annotation(labels: LabelMap(width: image.width, height: image.height, labels: labels))
        return labelled
    }

    /// Logits [1, C, H, W] of the image at its own size (it occupies the input's top-left resized region).
    private func logits(_ x: Tensor, _ placement: BatchBuilder.Placement, width: Int, height: Int) throws -> Tensor {
        let logits = try model(x)
        let region = try logits.slice(dim: 2, start: 0, end: placement.resizedHeight).slice(dim: 3, start: 0, end: placement.resizedWidth)
        return try F.interpolate(region, size: (height, width))
    }

    public func state() throws -> [String: Tensor] { try core.state() }
    public var weights: [String: Tensor] { core.network.stateDict() }
    public func load(_ state: [String: Tensor]) throws { try core.load(state) }
}
