import Foundation
import Torch
import Vision

/// The semantic-segmentation `LiveModel`: per-pixel classes (0 = background) from a `SemanticSegmenter`.
public final class LiveSemanticSegmenter: LiveModel, @unchecked Sendable {
    public let config: SegmenterConfig
    public let model: SemanticSegmenter
    public let device: Device
    let recipe: TrainingRecipe
    let builder: BatchBuilder
    var rng: SeededGenerator
    static let ignore = 255

    public init(config: SegmenterConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        self.device = device
        let backbone = try weights.map { try config.backbone.pretrained(in: $0, classifier: false) } ?? config.backbone.make(classifier: false)
        model = try SemanticSegmenter(config: config, backbone: backbone)
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
        let sample = warmUpSample(size: config.inputSize, classes: config.classes, semantic: true)
        try withGrad { try recipe.discard(loss(Array(repeating: sample, count: config.batchSize)).total) }
        _ = try predict(sample.image)
    }

    func loss(_ batch: [Sample]) throws -> (total: Tensor, parts: [String: Tensor]) {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        setTrainMode()
        do {
            var images: [Tensor] = [], targets: [Tensor] = []
            for sample in batch {
                guard let labels = sample.annotation.labels, labels.width == sample.image.width, labels.height == sample.image.height else {
                    throw TorchError("sample '\(sample.id)' has no label map of its image's size")
                }
                let (x, placement) = try builder.place(sample.image, augment: true, using: &rng)
                let map = try Tensor(labels.labels.map { Float(Swift.min(Int($0), Self.ignore)) }, shape: [1, 1, labels.height, labels.width], device: device)
                images.append(x)
                targets.append(try placement.apply(toMaps: map, fill: Double(Self.ignore)).squeeze(1))
            }
            let logits = try model(Tensor.cat(images))
            return try semanticLoss(logits, Tensor.cat(targets), classes: config.classes, diceWeight: config.diceWeight, ignore: Self.ignore)
        }
    }

    public func predict(_ image: Image) throws -> Prediction {
        model.eval()
        defer { setTrainMode() }
        return try withNoGrad {
            var unused = rng
            let (x, placement) = try builder.place(image, augment: false, using: &unused)
            let logits = try model(x)  // [1, C, S, S]; the image occupies the top-left resized region
            let region = try logits.slice(dim: 2, start: 0, end: placement.resizedHeight).slice(dim: 3, start: 0, end: placement.resizedWidth)
            let full = try F.interpolate(region, size: (image.height, image.width))
            let labels = try full.argmax(dim: 1).flatten().array(Int64.self).map { UInt16($0) }
            return Prediction(labels: LabelMap(width: image.width, height: image.height, labels: labels))
        }
    }

    public func state() throws -> [String: Tensor] {
        try recipe.state(model: model, rng: rng)
    }

    public func load(_ state: [String: Tensor]) throws {
        if let saved = try recipe.load(state, model: model) { rng = saved }
    }
}
