import Foundation
import Torch
import Vision

/// What the three live models share around their different networks and losses: the pretrained
/// backbone (batch norms frozen in eval mode: statistics of 2-8 images would wreck ImageNet's), the
/// optimisation recipe, the letterboxing batch builder and the augmentation stream.
final class TrainingCore: @unchecked Sendable {
    let network: Module
    let backbone: Module
    let recipe: TrainingRecipe
    let builder: BatchBuilder
    let device: Device
    let batchSize: Int
    var rng: SeededGenerator

    /// `weights`: folder with the backbone's ImageNet safetensors (assets/weights); nil starts from
    /// random init (tests of mechanics only: live training always starts pretrained).
    static func backbone(_ settings: TrainingConfig, weights: URL?) throws -> any Backbone & ImageClassifier {
        try weights.map { try settings.backbone.pretrained(in: $0, classifier: false) } ?? settings.backbone.make(classifier: false)
    }

    init(network: Module, backbone: any Backbone, settings: TrainingConfig, device: Device, seed: UInt64) throws {
        try network.move(to: device)
        self.network = network
        self.backbone = backbone
        self.device = device
        batchSize = settings.batchSize
        recipe = TrainingRecipe(model: network, learningRate: settings.learningRate, backboneScale: settings.backboneLearningRateScale,
                                weightDecay: settings.weightDecay, warmupSteps: settings.warmupSteps, gradientClip: settings.gradientClip)
        builder = BatchBuilder(inputSize: settings.inputSize, augmentation: settings.augmentation, normalization: backbone.normalization, device: device)
        rng = SeededGenerator(seed: seed)
        trainMode()
    }

    func trainMode() {
        network.train()
        backbone.eval()
    }

    typealias Loss = (total: Tensor, parts: [String: Tensor])

    /// Forward (`loss`), backward and one update.
    func step(_ loss: () throws -> Loss) throws -> StepLoss {
        try withGrad {
            trainMode()
            let (total, parts) = try loss()
            let value = try recipe.step(total, parameters: network.parameters())
            return StepLoss(total: value, parts: try parts.mapValues { try $0.item() })
        }
    }

    /// One update on the labelled loss plus `weight` times the pseudo-label loss (`unlabelled`, nil when
    /// the step has no pseudo-labelled samples): one backward through both forwards.
    func step(_ labelled: () throws -> Loss, unlabelled: (() throws -> Loss)?, weight: Double) throws -> StepLoss {
        guard let unlabelled else { return try step(labelled) }
        return try withGrad {
            trainMode()
            let (supervised, parts) = try labelled()
            let (pseudo, _) = try unlabelled()
            let weighted = try pseudo * weight
            let value = try recipe.step(supervised + weighted, parameters: network.parameters())
            var values = try parts.mapValues { try $0.item() }
            let u = try weighted.item()
            values["unlabelled"] = u
            return StepLoss(total: value, parts: values, unlabelled: u)
        }
    }

    /// One discarded training pass on a batch of `sample` and one prediction, leaving weights, moments
    /// and the augmentation stream as they were.
    func warmUp(_ sample: Sample, loss: ([Sample]) throws -> (total: Tensor, parts: [String: Tensor]), predict: (Image) throws -> Prediction) throws {
        let saved = rng
        defer { rng = saved }
        try withGrad {
            trainMode()
            try recipe.discard(loss(Array(repeating: sample, count: batchSize)).total)
        }
        _ = try predict(sample.image)
    }

    /// Runs `body` in eval mode without gradients on the letterboxed `image`, then returns to train mode.
    func inference<T>(_ image: Image, _ body: (Tensor, BatchBuilder.Placement) throws -> T) throws -> T {
        network.eval()
        defer { trainMode() }
        return try withNoGrad {
            var unused = rng
            let (x, placement) = try builder.place(image, augment: false, using: &unused)
            return try body(x, placement)
        }
    }

    func state() throws -> [String: Tensor] { try recipe.state(model: network, rng: rng) }

    func load(_ state: [String: Tensor]) throws {
        if let saved = try recipe.load(state, model: network) { rng = saved }
    }
}
