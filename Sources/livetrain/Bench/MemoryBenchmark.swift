import ArgumentParser
import Formats
import Foundation
import Logging
import Server
import Store
import Torch
import Vision

/// `livetrain bench memory`: the server's engine training a project of many labelled images, with its
/// resident memory sampled throughout. Samples live on disk and are decoded per batch, so memory must
/// not grow with the project; the table says how far it stays below keeping every image decoded.
struct BenchMemory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Server RSS while training a project of N labelled synthetic images (samples on disk, bounded cache).")

    @Option(help: "Labelled images in the project.") var images = 10_000
    @Option(help: "Image width.") var width = 640
    @Option(help: "Image height.") var height = 480
    @Option(help: "Training steps to run after the trainer starts.") var steps = 60
    @Option(help: "Decoded-image cache, MB.") var cacheMB = 256
    @Option(help: "Square model input side.") var inputSize = 320
    @Option(help: "Folder of pretrained backbone safetensors.") var weights = "assets/weights"
    @Option(help: "libtorch threads.") var threads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    @Option(help: "Also write the table here (markdown).") var out: String?

    func run() async throws {
        Torch.threads = threads
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("livetrain-bench-memory-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let config = ServerConfig(dataDirectory: data)
        try FileManager.default.createDirectory(at: config.imagesDirectory, withIntermediateDirectories: true)
        let store = try Store(path: config.databaseURL.path)
        let start = ContinuousClock.now
        // Generating the project is not what is measured: no sync per commit while filling it.
        let project = try await store.withoutSyncPerCommit { try await fill(store, imagesDirectory: config.imagesDirectory) }
        let filled = ContinuousClock.now - start
        print("filled: \(images) labelled images in \(seconds(filled)), RSS \(mb(Memory.resident())) MB")

        var engine = EngineConfig(weights: URL(fileURLWithPath: weights), checkpoints: data.appendingPathComponent("checkpoints"), device: .cpu)
        engine.inputSize = inputSize
        engine.imageCacheBytes = cacheMB << 20
        engine.checkpointEvery = 0
        var logger = Logger(label: "livetrain.bench")
        logger.logLevel = .warning
        let service = TrainerService(config: engine, store: store, imagesDirectory: config.imagesDirectory, logger: logger)
        let summary = try await store.project(project)
        let spec = ProjectSpec(
            id: project, name: summary.project.name, task: summary.project.task, classNames: summary.classes.map(\.name))
        let before = Memory.resident()
        let trainStart = ContinuousClock.now
        try await service.resumeLabelledProjects()
        var peak = before, status = await service.status(project: spec)
        while status.step < steps {
            try await Task.sleep(for: .milliseconds(250))
            peak = max(peak, Memory.resident())
            status = await service.status(project: spec)
            if status.state == .stopped { throw ValidationError("trainer stopped: \(status.lastError ?? "?")") }
        }
        let trained = ContinuousClock.now - trainStart
        await service.shutdown()
        try store.close()

        let decodedAll = Double(images) * Double(width * height * 3) / 1_048_576
        let table = """
            | labelled images | image | steps | samples in trainer | RSS before training | peak RSS while training | all images decoded would be |
            |---|---|---|---|---|---|---|
            | \(images) | \(width)×\(height) JPEG | \(status.step) | \(status.samples) | \(mb(before)) MB | \(mb(peak)) MB | \(Int(decodedAll)) MB |

            cache \(cacheMB) MB, input \(inputSize), threads \(threads), device cpu; filling the project took \(seconds(filled)), \(status.step) steps took \(seconds(trained))
            command: livetrain bench memory --images \(images) --width \(width) --height \(height) --steps \(steps) --cache-mb \(cacheMB) --input-size \(inputSize)
            """
        print(table)
        if let out { try (table + "\n").write(toFile: out, atomically: true, encoding: .utf8) }
    }

    /// A detection project of `images` labelled JPEGs: 16 distinct pictures (bright boxes on noise)
    /// written to as many files as asked, so every sample is its own file to read and decode.
    func fill(_ store: Store, imagesDirectory: URL) async throws -> Int64 {
        let project = try await store.createProject(name: "memory", task: .detection, classes: [.init(name: "box")]).project.id
        let folder = imagesDirectory.appendingPathComponent("\(project)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let variants = try (0..<16).map { _ in try picture(using: &generator) }
        for i in 0..<images {
            let (jpeg, box) = variants[i % variants.count]
            let name = "image-\(i).jpg"
            try jpeg.write(to: folder.appendingPathComponent(name))
            let image = try await store.addImage(project: project, fileName: name, originalName: name, width: width, height: height)
            _ = try await store.saveAnnotation(project: project, image: image.id, objects: [box], source: .drawn, who: "bench")
        }
        return project
    }

    func picture(using generator: inout SystemRandomNumberGenerator) throws -> (Data, DatasetObject) {
        let side = min(width, height) / 4
        let x0 = Int.random(in: 0..<(width - side), using: &generator), y0 = Int.random(in: 0..<(height - side), using: &generator)
        let seed = UInt8.random(in: 0...63, using: &generator)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let inRows = (y0..<(y0 + side)).contains(y)
            for x in 0..<width {
                let inside = inRows && (x0..<(x0 + side)).contains(x)
                let v: UInt8 = inside ? 220 : 40 &+ ((UInt8(truncatingIfNeeded: x &* 7 &+ y &* 13) ^ seed) & 63)
                let i = (y * width + x) * 3
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (v, v, v)
            }
        }
        let image = Image(width: width, height: height, channels: 3, pixels: pixels)
        let box = DatasetObject(classIndex: 0, x1: Double(x0), y1: Double(y0), x2: Double(x0 + side), y2: Double(y0 + side))
        return (try image.jpegData(quality: 85), box)
    }

    func mb(_ bytes: Int) -> Int { bytes / 1_048_576 }

    func seconds(_ d: Duration) -> String { String(format: "%.0f s", Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18) }
}

/// This process's memory as Linux reports it.
enum Memory {
    /// Resident set size, bytes (0 where /proc is missing).
    static func resident() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}
