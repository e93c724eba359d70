import Foundation
import Models
import Torch

/// The network of scripts/reference/bench_step_spec.md built from the detector's own parts: MobileNetV2
/// features, a 64-wide FPN and the shared FCOS head, trained on fixed random data with AdamW.
struct StepBenchmark {
    let backbone: MobileNetV2
    let fpn: FPN
    let head: FCOSHead
    let optimizer: AdamW
    let input: Tensor
    let targets: [(cls: Tensor, box: Tensor, ctr: Tensor)]
    let device: Device

    var parameters: [Tensor] { backbone.parameters() + fpn.parameters() + head.parameters() }

    init(device: Device) throws {
        self.device = device
        backbone = try MobileNetV2(classifier: false)
        fpn = try FPN(inChannels: backbone.featureChannels, channels: 64)
        head = try FCOSHead(channels: 64, classes: 1)
        for m in [backbone, fpn, head] as [Module] { try m.move(to: device) }
        input = try Tensor.randn([8, 3, 320, 320], device: device)
        targets = try [40, 20, 10].map { s in
            (try Tensor.rand([8, 1, s, s], device: device).lt(0.02).to(.float32),
             try Tensor.randn([8, 4, s, s], device: device), try Tensor.rand([8, 1, s, s], device: device))
        }
        optimizer = AdamW(backbone.parameters() + fpn.parameters() + head.parameters(), learningRate: 1e-3, weightDecay: 1e-4)
    }

    func step() throws {
        try optimizer.zeroGrad()
        let t0 = DispatchTime.now().uptimeNanoseconds
        let levels = try fpn(backbone.features(input))
        var loss: Tensor? = nil
        for (level, t) in zip(levels, targets) {
            let out = try head(level)
            let focal = try F.sigmoidFocalLoss(out.cls, t.cls, reduction: .sum) / t.cls.sum().clamp(min: 1)
            let l = try focal + F.l1Loss(out.box, t.box) + F.binaryCrossEntropyWithLogits(out.ctr, t.ctr)
            loss = try loss.map { try $0 + l } ?? l
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        try loss!.backward()
        let t2 = DispatchTime.now().uptimeNanoseconds
        try optimizer.update()
        let t3 = DispatchTime.now().uptimeNanoseconds
        if ProcessInfo.processInfo.environment["BENCH_BREAKDOWN"] != nil {
            print(String(format: "swift fw %.1f bw %.1f up %.1f ms", Double(t1 - t0) / 1e6, Double(t2 - t1) / 1e6, Double(t3 - t2) / 1e6))
        }
    }

    /// Milliseconds of `steps` timed steps after `warmup` untimed ones.
    func time(warmup: Int, steps: Int) throws -> [Double] {
        for _ in 0..<warmup { try step() }
        return try (0..<steps).map { _ in
            try Torch.synchronize(device)
            let start = DispatchTime.now().uptimeNanoseconds
            try step()
            try Torch.synchronize(device)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
