import ArgumentParser
import Foundation
import Hummingbird
import LiveTraining
import Logging
import Metrics
import Models
import Server
import Store
import Torch

/// Options shared by `serve` and `demo`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Interface to listen on (loopback unless told otherwise).") var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one).") var port = 8080
    @Option(help: "Folder tree that imports from the server's disk may read (none without it).") var importRoot: String?
    @Option(help: "Largest image accepted, in pixels (width x height), checked before decoding.") var maxImagePixels = 40_000_000
    @Option(help: "Sign-in attempts allowed a minute per account name and per client address.") var signInsPerMinute = 10
    @Option(help: "Folder of pretrained backbone safetensors (<backbone>.safetensors; README, \"Bringing backbone weights\").") var weights = "assets/weights"
    @Option(help: "Backbone of new models: \(BackboneKind.allCases.map(\.rawValue).joined(separator: ", ")). A checkpoint of another backbone does not load, so such a project trains anew.") var backbone = "mobilenet_v2"
    @Option(help: "cpu, cuda or auto.") var device = "auto"
    @Option(help: "Square model input side.") var inputSize = 384
    @Option(help: "Seconds an image handed to an annotator or reviewer stays theirs without a renewal (the UI renews while it is open).") var leaseSeconds = 600.0
    @Option(help: "Training steps between checkpoints (a crash loses at most this much training).") var checkpointEvery = 50
    @Flag(inversion: .prefixedNo, help: "Serve pre-labels from an EMA teacher that does not wait for the training step in flight.") var teacher = true
    @Flag(inversion: .prefixedNo, help: "Also learn from unlabelled images, pseudo-labelled by the EMA teacher once pre-labels are shown (off by default: no gain measured yet).") var semiSupervised = false
    @Option(help: "On each new label, keep this share (0-1) of the student's change from its pretrained start, pulling the rest back (docs/benchmarks/replay-deepforest). Off without it.") var shrinkOnArrival: Double?
    @Option(help: "Nice value (0-19) of the training thread and its libtorch workers: pre-labels, requests and scoring take the cores first; 0 trains at the server's own priority.") var trainingNice = Trainer.Configuration().threadNice
    /// One core stays free for the HTTP side: OpenMP threads contending with other work slow a step many-fold.
    @Option(help: "libtorch threads for training.") var threads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)

    func validate() throws {
        guard signInsPerMinute > 0 else { throw ValidationError("--sign-ins-per-minute must be at least 1") }
        if let keep = shrinkOnArrival, !(0...1).contains(keep) { throw ValidationError("--shrink-on-arrival must be in [0, 1]") }
        guard (0...19).contains(trainingNice) else { throw ValidationError("--training-nice must be in 0...19") }
    }

    func resolvedDevice() throws -> Device {
        switch device {
        case "auto": return .best
        case "cpu": return .cpu
        case "cuda":
            guard Torch.cudaDeviceCount > 0 else { throw ValidationError("--device cuda: no CUDA device (or a CPU-only build)") }
            return .cuda(0)
        default: throw ValidationError("--device must be cpu, cuda or auto")
        }
    }
}

/// Runs the server on a data folder until SIGINT/SIGTERM, then checkpoints every trainer.
func runServer(data: String, options: ServerOptions, prepare: (Store, ServerConfig) async throws -> Void = { _, _ in }) async throws {
    Torch.threads = options.threads
    let logger = Logger(label: "livetrain")
    let dataURL = URL(fileURLWithPath: data, isDirectory: true)
    try DataFolder.makePrivate(dataURL)
    guard options.leaseSeconds.isFinite, (1...86_400).contains(options.leaseSeconds) else {
        throw ValidationError("--lease-seconds must be in 1...86400")
    }
    let config = ServerConfig(
        dataDirectory: dataURL, host: options.host, port: options.port,
        limits: .init(maxImagePixels: options.maxImagePixels, signInsPerMinute: options.signInsPerMinute),
        importRoot: options.importRoot.map { URL(fileURLWithPath: $0, isDirectory: true) }, leaseDuration: options.leaseSeconds)
    let store = try Store(path: config.databaseURL.path)
    try await prepare(store, config)
    var engineConfig = EngineConfig(weights: URL(fileURLWithPath: options.weights), checkpoints: dataURL.appendingPathComponent("checkpoints"),
                                    device: try options.resolvedDevice())
    guard let backbone = BackboneKind(rawValue: options.backbone) else { throw ValidationError("unknown backbone '\(options.backbone)'") }
    engineConfig.backbone = backbone
    engineConfig.inputSize = options.inputSize
    engineConfig.checkpointEvery = options.checkpointEvery
    engineConfig.teacher = options.teacher
    engineConfig.semiSupervised = options.semiSupervised
    engineConfig.shrinkOnArrival = options.shrinkOnArrival
    engineConfig.trainingNice = options.trainingNice
    let service = TrainerService(config: engineConfig, store: store, imagesDirectory: config.imagesDirectory, logger: logger)
    try await service.resumeLabelledProjects()
    let token = try await FirstStart.createAdminToken(config: config, store: store)
        ?? (try? String(contentsOf: config.adminTokenURL, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
    let metrics = ServerMetrics()
    MetricsSystem.bootstrap(metrics.factory)
    let app = try buildApplication(config: config, store: store, service: service, metrics: metrics, logger: logger, onRunning: { port in
        var shown = config
        shown.port = port
        if let token {
            say("livetrain is running: open \(FirstStart.loginLink(config: shown, token: token))")
            if FileManager.default.fileExists(atPath: config.adminPasswordURL.path) {
                say("or sign in as '\(FirstStart.adminName)' with the password in \(config.adminPasswordURL.path)")
            }
        } else {
            say("livetrain is running on port \(port); the admin token is in \(config.adminTokenURL.path)")
        }
    })
    try await app.runService()
    await service.shutdown()
    try store.close()
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve projects from a data folder (SQLite + images) with live training.")
    @Option(help: "Data folder: livetrain.sqlite, images/, checkpoints/.") var data = "data"
    @OptionGroup var options: ServerOptions

    func run() async throws { try await runServer(data: data, options: options) }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the demo project (aerial tree crowns) and serve it.")
    @Option(help: "Data folder for the demo.") var data = "data/demo"
    @Option(help: "Folder with the demo images (make setup fills it).") var images = "assets/demo"
    @OptionGroup var options: ServerOptions

    func run() async throws {
        try await runServer(data: data, options: options) { store, config in
            let project = try await DemoProject.prepare(store: store, config: config, source: URL(fileURLWithPath: images))
            say("demo project \(project.project.id) '\(project.project.name)': \(project.counts.total) images")
        }
    }
}

/// Prints a line at once, even when stdout is a pipe (tests and scripts read the login link from it).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
