import ArgumentParser
import Foundation
import LiveTraining
import Models
import Replay
import Torch

/// `livetrain bench prelabel`: how long opening an image waits for its pre-label while the model trains:
/// the EMA teacher serving it with the training thread at the default nice and at the caller's priority,
/// and the student (queued behind the step in flight), in alternating rounds of one run so machine noise
/// hits all three alike.
struct BenchPrelabel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prelabel",
        abstract: "Pre-label wait while training: EMA teacher (training thread niced or not) vs student, alternating rounds on a real detector.")

    @Option(help: "COCO json of the images to train on.") var dataset = "../shared/datasets/deepforest-trees/coco.json"
    @Option(help: "Labelled images the trainer holds.") var images = 8
    @Option(help: "Square model input side.") var inputSize = 320
    @Option(help: "Alternating rounds; each runs the three set-ups in turn.") var rounds = 3
    @Option(help: "Opens per round and side, at random moments of training.") var opens = 15
    @Option(help: "Training steps before the first open of a round.") var warmSteps = 5
    @Option(help: "Folder of pretrained backbone safetensors.") var weights = "assets/weights"
    @Option(help: "libtorch threads.") var threads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    @Option(help: "Also write the table here (markdown).") var out: String?

    struct Side {
        var totals: [Double] = [], waits: [Double] = [], forwards: [Double] = [], steps: [Double] = []
    }

    func run() async throws {
        Torch.threads = threads
        guard (2...1_000).contains(images), (1...100).contains(rounds), (1...1_000).contains(opens) else {
            throw ValidationError("--images 2...1000, --rounds 1...100, --opens 1...1000")
        }
        var c = ReplayConfiguration(task: .detection, dataset: URL(fileURLWithPath: dataset), weights: URL(fileURLWithPath: weights))
        c.inputSize = inputSize
        c.maxImages = images
        let data = try ReplayData(configuration: c)
        // The server's set-up (teacher, training thread at the default nice), the teacher with the training
        // thread at the caller's priority, and no teacher (the student queued behind the step).
        let niced = Trainer.Configuration().threadNice
        let arms: [(name: String, teacher: Bool, nice: Int)] = [
            ("EMA teacher, training at nice \(niced)", true, niced), ("EMA teacher, training at nice 0", true, 0),
            ("student (waits for the step)", false, 0),
        ]
        var sides = [Side](repeating: Side(), count: arms.count)
        var rng = SeededGenerator(seed: 7)
        for round in 1...rounds {
            for (a, arm) in arms.enumerated() {
                let model = try c.makeModel(classes: data.classes.count)
                let trainer = Trainer(
                    model: model, teacher: arm.teacher ? try c.makeModel(classes: data.classes.count) : nil,
                    dataset: DynamicDataset(data.train), configuration: .init(plateau: .init(patience: 1_000_000), threadNice: arm.nice))
                while await trainer.status.step < warmSteps { try await Task.sleep(for: .milliseconds(20)) }
                var side = Side()
                for i in 0..<opens {
                    // A random moment within about one step, so opens land anywhere in a step.
                    let step = await trainer.status.lastStepSeconds ?? 0.3
                    try await Task.sleep(for: .seconds(Double.random(in: 0...1, using: &rng) * step))
                    let started = ContinuousClock.now
                    let timed = try await trainer.timedPredict(try data.train[i % data.train.count].image)
                    let total = started.duration(to: .now)
                    side.totals.append(Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18)
                    side.waits.append(timed.waitSeconds)
                    side.forwards.append(timed.inferenceSeconds)
                    side.steps.append(step)
                }
                try await trainer.shutdown()
                sides[a].append(side)
                print(String(format: "round %d %@: open p95 %.1f ms, forward median %.1f ms", round, arm.name,
                             percentile(side.totals, 0.95) * 1000, percentile(side.forwards, 0.5) * 1000))
            }
        }
        let table = Self.table(zip(arms.map(\.name), sides).map { ($0, $1) }) + """

            detector: \(c.backbone.rawValue) + FPN + FCOS at \(inputSize)², batch \(c.batchSize), \(data.train.count) images of \(URL(fileURLWithPath: dataset).deletingLastPathComponent().lastPathComponent)
            \(rounds) alternating rounds × \(opens) opens per side at random moments of continuous training; threads \(threads)
            bound (issue 12): open p95 <= 1.25 × forward median + 20 ms
            command: livetrain bench prelabel --images \(images) --input-size \(inputSize) --rounds \(rounds) --opens \(opens) --threads \(threads)
            """
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
    }

    static func table(_ rows: [(name: String, side: Side)]) -> String {
        func row(_ name: String, _ s: Side) -> String {
            let bound = 1.25 * percentile(s.forwards, 0.5) + 0.020
            let p95 = percentile(s.totals, 0.95)
            return String(format: "| %@ | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %@ |", name,
                          percentile(s.totals, 0.5) * 1000, p95 * 1000, percentile(s.waits, 0.95) * 1000,
                          percentile(s.forwards, 0.5) * 1000, percentile(s.steps, 0.5) * 1000, bound * 1000, p95 <= bound ? "yes" : "no")
        }
        return """
            | pre-label from | open p50 ms | open p95 ms | wait p95 ms | forward median ms | step median ms | bound ms | p95 within bound |
            |---|---|---|---|---|---|---|---|
            """ + rows.map { "\n" + row($0.name, $0.side) }.joined()
    }
}

extension BenchPrelabel.Side {
    mutating func append(_ other: Self) {
        totals += other.totals
        waits += other.waits
        forwards += other.forwards
        steps += other.steps
    }
}

private func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[Swift.min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}
