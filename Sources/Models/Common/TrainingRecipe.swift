import Torch

/// The optimisation recipe every live model shares: AdamW with the pretrained backbone on a reduced
/// learning rate, no weight decay on norms/biases/scales, linear warm-up then a flat rate (live training
/// has no known end), gradient clipping.
struct TrainingRecipe {
    let learningRate: Double
    let warmupSteps: Int
    let gradientClip: Double
    let optimizer: AdamW

    init(model: Module, learningRate: Double, backboneScale: Double, weightDecay: Double, warmupSteps: Int, gradientClip: Double) {
        var groups: [ParameterGroup] = []
        for isBackbone in [true, false] {
            let ps = model.namedParameters().filter { ($0.0.hasPrefix("backbone.") || $0.0.contains(".backbone.")) == isBackbone }.map(\.1)
            let scale = isBackbone ? backboneScale : 1
            groups.append(ParameterGroup(ps.filter { $0.rank > 1 }, weightDecay: weightDecay, learningRateScale: scale))
            groups.append(ParameterGroup(ps.filter { $0.rank <= 1 }, weightDecay: 0, learningRateScale: scale))
        }
        optimizer = AdamW(groups, learningRate: learningRate)
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.gradientClip = gradientClip
    }

    /// Backward and one update; refuses non-finite losses so one bad batch cannot poison the weights.
    func step(_ loss: Tensor, parameters: [Tensor]) throws -> Double {
        let value = try loss.item()
        guard value.isFinite else { throw TorchError("non-finite loss \(value); step skipped") }
        optimizer.learningRate = learningRate * Swift.min(1, Double(optimizer.step + 1) / Double(Swift.max(warmupSteps, 1)))
        try optimizer.zeroGrad()
        try loss.backward()
        try clipGradNorm(parameters, maxNorm: gradientClip)
        try optimizer.update()
        return value
    }

    /// Backward of `loss` with the gradients dropped afterwards: allocation and kernel choice without an update.
    func discard(_ loss: Tensor) throws {
        try loss.backward()
        try optimizer.zeroGrad()
    }

    /// Model, optimiser and the augmentation stream under one prefix scheme, for checkpoints.
    func state(model: Module, rng: SeededGenerator) throws -> [String: Tensor] {
        var out = ["live.rng": try Tensor([Int64(bitPattern: rng.state)], shape: [])]
        for (k, v) in model.stateDict() { out["model.\(k)"] = v }
        for (k, v) in try optimizer.state() { out["optim.\(k)"] = v }
        return out
    }

    /// Restores `state(model:rng:)` output; returns the saved augmentation stream, if any.
    func load(_ state: [String: Tensor], model: Module) throws -> SeededGenerator? {
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: state.compactMap { k, v in k.hasPrefix(prefix) ? (String(k.dropFirst(prefix.count)), v) : nil })
        }
        try model.load(part("model."))
        try optimizer.load(part("optim."))
        return try state["live.rng"].map { SeededGenerator(seed: UInt64(bitPattern: try $0.array(Int64.self)[0])) }
    }
}
