import Foundation
import Torch
import Vision

/// The detection `LiveModel`: a `Detector` with its optimiser, warm-up schedule and augmentation RNG.
/// Backbone batch norms stay frozen in eval mode: statistics of 2-8 images would wreck ImageNet's.
public final class LiveDetector: LiveModel, @unchecked Sendable {
    public let config: DetectorConfig
    public let model: Detector
    public let device: Device
    let optimizer: AdamW
    let builder: BatchBuilder
    var rng: SeededGenerator
    public private(set) var steps = 0

    /// `weights`: folder with the backbone's ImageNet safetensors (assets/weights); nil starts from
    /// random init (tests of mechanics only: live training always starts pretrained).
    public init(config: DetectorConfig, weights: URL?, device: Device = .cpu, seed: UInt64 = 0) throws {
        self.config = config
        self.device = device
        let backbone = try weights.map { try config.backbone.pretrained(in: $0, classifier: false) } ?? config.backbone.make(classifier: false)
        model = try Detector(config: config, backbone: backbone)
        try model.move(to: device)
        var groups: [ParameterGroup] = []
        for isBackbone in [true, false] {
            let ps = model.namedParameters().filter { $0.0.hasPrefix("backbone.") == isBackbone }.map(\.1)
            // Norm scales, biases and the level scales (rank <= 1) get no weight decay.
            groups.append(ParameterGroup(ps.filter { $0.rank > 1 }, weightDecay: config.weightDecay,
                                         learningRateScale: isBackbone ? config.backboneLearningRateScale : 1))
            groups.append(ParameterGroup(ps.filter { $0.rank <= 1 }, weightDecay: 0,
                                         learningRateScale: isBackbone ? config.backboneLearningRateScale : 1))
        }
        optimizer = AdamW(groups, learningRate: config.learningRate)
        builder = BatchBuilder(config: config, normalization: backbone.normalization, device: device)
        rng = SeededGenerator(seed: seed)
        setTrainMode()
    }

    func setTrainMode() {
        model.train()
        model.backbone.eval()
    }

    public func trainStep(_ batch: [Sample]) throws -> StepLoss {
        guard !batch.isEmpty else { throw TorchError("empty batch") }
        setTrainMode()
        return try withGrad {
            let (images, objects) = try builder.trainingBatch(batch, using: &rng)
            let out = try model(images, strides: config.strides)
            let grid = PointGrid(grids: out.grids, strides: config.strides)
            let targets = objects.map { assignTargets(objects: $0, grid: grid, config: config) }
            let (total, parts) = try detectionLoss(out, targets: targets, grid: grid, classes: config.classes)
            let value = try total.item()
            guard value.isFinite else { throw TorchError("non-finite loss \(value); step skipped") }
            optimizer.learningRate = config.learningRate * Swift.min(1, Double(steps + 1) / Double(Swift.max(config.warmupSteps, 1)))
            try optimizer.zeroGrad()
            try total.backward()
            try clipGradNorm(model.parameters(), maxNorm: config.gradientClip)
            try optimizer.update()
            steps += 1
            return StepLoss(total: value, parts: try parts.mapValues { try $0.item() })
        }
    }

    public func predict(_ image: Image) throws -> Prediction {
        model.eval()
        defer { setTrainMode() }
        return try withNoGrad {
            var unused = rng
            let (x, placement) = try builder.place(image, augment: false, using: &unused)
            let out = try model(x, strides: config.strides)
            let grid = PointGrid(grids: out.grids, strides: config.strides)
            let found = try decodeDetections(cls: out.cls.squeeze(0), box: out.box.squeeze(0), ctr: out.ctr.squeeze(0), grid: grid, config: config)
            let w = Double(image.width), h = Double(image.height)
            return Prediction(objects: found.compactMap { object in
                let b = placement.toOriginal(object.box)
                let clipped = Box(x1: Swift.max(0, b.x1), y1: Swift.max(0, b.y1), x2: Swift.min(w, b.x2), y2: Swift.min(h, b.y2))
                guard clipped.width > 1, clipped.height > 1 else { return nil }
                return Prediction.Object(classIndex: object.classIndex, box: clipped, score: object.score)
            })
        }
    }

    public func state() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (k, v) in model.stateDict() { out["model.\(k)"] = v }
        for (k, v) in try optimizer.state() { out["optim.\(k)"] = v }
        out["live.steps"] = try Tensor([Int64(steps)], shape: [])
        out["live.rng"] = try Tensor([Int64(bitPattern: rng.state)], shape: [])
        return out
    }

    public func load(_ state: [String: Tensor]) throws {
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: state.compactMap { k, v in k.hasPrefix(prefix) ? (String(k.dropFirst(prefix.count)), v) : nil })
        }
        try model.load(part("model."))
        try optimizer.load(part("optim."))
        if let s = state["live.steps"] { steps = Int(try s.item()) }
        if let r = state["live.rng"] { rng = SeededGenerator(seed: UInt64(bitPattern: try r.to(.int64).array(Int64.self)[0])) }
    }
}
