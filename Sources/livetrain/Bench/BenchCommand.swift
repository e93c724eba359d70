import ArgumentParser
import Foundation
import Torch

/// `livetrain bench ...`: speed measurements written as tables (targets live here, not in tests).
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print tables.", subcommands: [BenchStep.self, BenchMemory.self, BenchPrelabel.self, BenchAnnotators.self, BenchExport.self, BenchCalibration.self])
}

struct BenchStep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "One detector training step (MobileNetV2 + FPN + FCOS head, batch 8 at 320²), Swift vs Python PyTorch, alternating.")

    @Option(help: "libtorch intra-op threads for both sides.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Alternating rounds; each runs Python then Swift.") var rounds = 3
    @Option(help: "Untimed steps at the start of each round.") var warmup = 3
    @Option(help: "Timed steps per round and side.") var steps = 5
    @Option(help: "Python with full PyTorch (make bench sets it up).") var python = ".venv-ref/bin/python"
    @Option(help: "The Python half.") var script = "scripts/reference/bench_step.py"
    @Option(help: "cpu or cuda.") var device = "cpu"
    @Option(help: "Also write the table here (markdown).") var out: String?

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationError("\(python) not found: run `make bench` (it sets up the reference venv)")
        }
        let dev: Device = device == "cuda" ? .cuda(0) : .cpu
        Torch.threads = threads
        var swiftTimes: [Double] = [], pythonTimes: [Double] = []
        var torchVersion = "?"
        for round in 1...rounds {
            let py = try runPython()
            pythonTimes += py.times
            torchVersion = py.version
            Torch.manualSeed(UInt64(round))
            let (w, s, t) = (warmup, steps, threads)
            swiftTimes += try await onOwnThread {
                Torch.threads = t
                return try StepBenchmark(device: dev).time(warmup: w, steps: s)
            }
            print("round \(round): python median \(fmt(median(py.times))) ms, swift median \(fmt(median(Array(swiftTimes.suffix(steps))))) ms")
        }
        let parameterCount = try StepBenchmark(device: dev).parameters.reduce(0) { $0 + $1.count }
        let ratio = median(swiftTimes) / median(pythonTimes)
        let table = """
            | side | median ms | min ms | max ms | steps |
            |---|---|---|---|---|
            | swift (livetrain Torch) | \(fmt(median(swiftTimes))) | \(fmt(swiftTimes.min()!)) | \(fmt(swiftTimes.max()!)) | \(swiftTimes.count) |
            | python (torch \(torchVersion)) | \(fmt(median(pythonTimes))) | \(fmt(pythonTimes.min()!)) | \(fmt(pythonTimes.max()!)) | \(pythonTimes.count) |

            network: MobileNetV2 features + FPN 64 + FCOS head, \(parameterCount) parameters; batch 8 × 3 × 320 × 320; AdamW
            device \(dev), threads \(threads), \(rounds) alternating rounds of \(warmup) warm-up + \(steps) timed steps per side
            allocator: swift process tuned by Torch.tuneAllocatorForTraining (one arena, no unmapping); python as installed
            ratio swift/python: \(String(format: "%.2f", ratio))
            """
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
    }

    func fmt(_ x: Double) -> String { String(format: "%.1f", x) }

    func runPython() throws -> (times: [Double], version: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--threads", "\(threads)", "--warmup", "\(warmup)", "--steps", "\(steps)", "--device", device]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let times = json["step_ms"] as? [Double]
        else { throw ValidationError("python half failed (exit \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))") }
        return (times, json["torch"] as? String ?? "?")
    }
}

/// Runs `body` on a fresh thread, as the trainer does, rather than on Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
