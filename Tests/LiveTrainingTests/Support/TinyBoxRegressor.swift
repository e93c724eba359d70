import Foundation
import Models
import Torch
import Vision

/// A real, tiny `LiveModel` for engine tests: a two-layer conv net over a pooled feature regresses one
/// box per image (the annotation's first object, normalised to [0, 1]), trained with AdamW under an L1
/// loss. Small enough that a step takes milliseconds, real enough that every call goes through libtorch
/// (autograd, optimiser state, safetensors).
///
/// A sample without objects has a target of shape [0] instead of [4], so batching it fails inside
/// libtorch (`stack` of unequal sizes, or a shape mismatch in the loss when alone): the "bad data" case.
/// Every call is logged with its start and end time (`events`) so tests can check how the trainer
/// interleaves steps and predictions.
final class TinyBoxRegressor: LiveModel, @unchecked Sendable {
    final class Net: Module, @unchecked Sendable {
        let conv1: Conv2d
        let conv2: Conv2d
        let head: Linear

        init(width: Int) throws {
            conv1 = try Conv2d(3, width, kernel: 3, stride: 2, padding: 1)
            conv2 = try Conv2d(width, 2 * width, kernel: 3, stride: 2, padding: 1)
            head = try Linear(2 * width, 4)
            super.init()
        }

        func callAsFunction(_ x: Tensor) throws -> Tensor {
            let features = try conv2(conv1(x).relu()).relu()  // [B, 3, S, S] -> [B, 2w, S/4, S/4]
            let pooled = try F.adaptiveAvgPool2d(features, size: (1, 1)).flatten(from: 1)  // -> [B, 2w]
            return try head(pooled).sigmoid()  // -> [B, 4]: x1, y1, x2, y2 as fractions of the image
        }
    }

    struct Event: Sendable {
        enum Kind: Sendable { case step, predict }
        var kind: Kind
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
        /// The batch's sample ids (steps only).
        var ids: [String] = []
    }

    let device = Device.cpu
    let inputSize: Int
    let net: Net
    let optimizer: AdamW
    private let lock = NSLock()
    private var log: [Event] = []
    /// Seconds each step sleeps after its update: a stand-in for a large model's long step.
    var stepPause: Double = 0

    init(seed: UInt64, inputSize: Int = 48, width: Int = 8, learningRate: Double = 0.01) throws {
        Torch.manualSeed(seed)
        self.inputSize = inputSize
        net = try Net(width: width)
        optimizer = AdamW(net.parameters(), learningRate: learningRate, weightDecay: 0)
    }

    var events: [Event] { lock.withLock { log } }

    private func note(_ kind: Event.Kind, since start: ContinuousClock.Instant, ids: [String] = []) {
        let end = ContinuousClock.now
        lock.withLock { log.append(Event(kind: kind, start: start, end: end, ids: ids)) }
    }

    private func input(_ images: [Image]) throws -> Tensor {
        try Tensor.cat(
            images.map { image in
                let sized =
                    image.width == inputSize && image.height == inputSize
                    ? image : image.resized(width: inputSize, height: inputSize)
                return try sized.tensor(device: device)
            })
    }

    private func target(_ sample: Sample) throws -> Tensor {
        guard let box = sample.annotation.objects.first?.box else { return try Tensor([Float](), shape: [0]) }
        let w = Double(sample.width)
        let h = Double(sample.height)
        return try Tensor([box.x1 / w, box.y1 / h, box.x2 / w, box.y2 / h].map(Float.init))
    }

    func trainStep(_ batch: [Sample]) throws -> StepLoss {
        let start = ContinuousClock.now
        defer { note(.step, since: start, ids: batch.map(\.id)) }
        try optimizer.zeroGrad()
        let x = try input(batch.map { try $0.image })
        let y = try Tensor.stack(batch.map(target))
        let loss = try F.l1Loss(net(x), y)
        try loss.backward()
        try optimizer.update()
        if stepPause > 0 { Thread.sleep(forTimeInterval: stepPause) }
        return StepLoss(total: try loss.item(), parts: ["l1": try loss.item()])
    }

    func predict(_ image: Image) throws -> Prediction {
        let start = ContinuousClock.now
        defer { note(.predict, since: start) }
        net.eval()
        defer { net.train() }
        let b = try withNoGrad { try net(input([image])).floats() }
        let w = Double(image.width)
        let h = Double(image.height)
        let box = Box(x1: Double(b[0]) * w, y1: Double(b[1]) * h, x2: Double(b[2]) * w, y2: Double(b[3]) * h)
        return Prediction(objects: [.init(classIndex: 0, box: box, score: 1)])
    }

    var weights: [String: Tensor] { net.stateDict() }

    func state() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, tensor) in net.stateDict() { out["net.\(name)"] = tensor }
        for (name, tensor) in try optimizer.state() { out["optimizer.\(name)"] = tensor }
        return out
    }

    func load(_ state: [String: Tensor]) throws {
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(
                uniqueKeysWithValues: state.compactMap { key, value in
                    key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
                })
        }
        try net.load(part("net."))
        try optimizer.load(part("optimizer."))
    }
}
