import ArgumentParser
import Foundation
import Models
import Replay
import Torch
import Vision

/// `livetrain replay`: the live-training benchmark on a labelled COCO set.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a labelled COCO set as a simulated annotator against live training; compare with HITL retraining and an offline model.")

    @Option(help: "detection, instance or semantic.") var task = "detection"
    @Option(help: "COCO json (detection, instance) or dataset.json (semantic); file names relative to its folder.") var dataset: String
    @Option(help: "Comma-separated source_image values held out (default: every 5th image).") var heldOut: String?
    @Option(help: "Replay at most this many images.") var maxImages: Int?
    @Option(help: "Backbone: \(BackboneKind.allCases.map(\.rawValue).joined(separator: ", ")).") var backbone = "mobilenet_v2"
    @Option(help: "Square input side.") var inputSize = 384
    @Option(help: "Training batch size.") var batchSize = 4
    @Option(help: "Simulated annotation seconds: manual (no usable pre-label).") var manualSeconds = 210.0
    @Option(help: "Simulated annotation seconds: review only (perfect pre-label).") var reviewSeconds = 30.0
    @Option(help: "Divide simulated seconds by this (real-time replay in minutes).") var speed = 30.0
    @Option(help: "Virtual clock: seconds a training step stands for; the annotator's counted correction seconds become steps (no sleeping, independent of machine load). Without it the replay runs on the wall clock at --speed.") var stepSeconds: Double?
    @Option(help: "Held-out evaluation every N images.") var evaluateEvery = 5
    @Option(help: "HITL retrain points (label counts).") var hitlAt = "5,10,20"
    @Option(help: "Most steps per HITL retrain (each stops earlier when its loss plateaus).") var retrainSteps = 150
    @Flag(help: "Each HITL retrain takes exactly as many steps as the live model had when trained on the same labels (no plateau stop).") var retrainAsLongAsLive = false
    @Flag(help: "Run only the HITL retrains and the offline model, not the live replay (a baseline on this machine for a live run made before).") var baselinesOnly = false
    @Option(help: "Most steps of the offline model (stops earlier when its loss plateaus); 0 skips it.") var offlineSteps = 300
    @Option(help: "Seconds of further live training after the last image (annotator seconds on the virtual clock).") var tailSeconds = 0.0
    @Option(help: "Seed of head initialisation, augmentation and batch draws (each model starts from it).") var seed: UInt64 = 0
    @Flag(inversion: .prefixedNo, help: "Pre-labels and held-out scores from the EMA teacher, as the server serves them.") var teacher = true
    @Flag(inversion: .prefixedNo, help: "Live training also learns the teacher's pseudo-labels of the images not yet labelled (needs the teacher; off by default, as in the server).") var semiSupervised = false
    @Flag(help: "Replay live training with semi-supervised training on, then again with it off (same seed), and report both side by side.") var compareSemiSupervised = false
    @Option(help: "Semi-supervised: teacher detections from this fraction (0-1) of the lowest pseudo-label threshold up are ignored, not background (default 0.5).") var pseudoLabelIgnoreFraction: Double?
    @Option(help: "Semi-supervised: precision (0-1] a class's pseudo-labels must have had on the recent opened images (default 0.8).") var pseudoLabelPrecision: Double?
    @Option(help: "Experiment: when a label arrives, move the student's weights to this share (0-1) of themselves, the rest from their starting values (shrink towards the pretrained start). Default: off.") var shrinkOnArrival: Double?
    @Option(help: "The annotator leaves a shown pre-label untouched this many seconds (0.1-60), then corrects the pre-label of the model as it is then, as the UI's \"fresher pre-labels\" do; the wait counts as annotation time. Default: no refresh.") var fresherAfter: Double?
    @Option(help: "libtorch threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Folder of pretrained backbone safetensors (<backbone>.safetensors; README, \"Bringing backbone weights\").") var weights = "assets/weights"
    @Option(help: "Output folder for report.json, report.md and SVG plots.") var out = "artifacts/replay"

    func run() async throws {
        Torch.threads = threads
        guard let kind = BackboneKind(rawValue: backbone) else { throw ValidationError("unknown backbone '\(backbone)'") }
        guard let task = VisionTask(rawValue: task) else { throw ValidationError("--task must be detection, instance or semantic") }
        var c = ReplayConfiguration(task: task, dataset: URL(fileURLWithPath: dataset), weights: URL(fileURLWithPath: weights))
        c.backbone = kind
        c.inputSize = inputSize
        c.batchSize = batchSize
        c.heldOutGroups = heldOut.map { $0.split(separator: ",").map(String.init) } ?? []
        c.maxImages = maxImages
        c.manualSeconds = manualSeconds
        c.reviewSeconds = reviewSeconds
        c.speedFactor = speed
        if let stepSeconds {
            guard stepSeconds.isFinite, stepSeconds >= 0.001, stepSeconds <= 3600 else { throw ValidationError("--step-seconds must be in [0.001, 3600]") }
            c.stepSeconds = stepSeconds
        }
        c.evaluateEvery = evaluateEvery
        c.hitlAt = hitlAt.split(separator: ",").compactMap { Int($0) }
        c.retrainSteps = retrainSteps
        c.retrainAsLongAsLive = retrainAsLongAsLive
        c.baselinesOnly = baselinesOnly
        if baselinesOnly && retrainAsLongAsLive { throw ValidationError("--retrain-as-long-as-live needs the live replay; drop --baselines-only") }
        c.offlineSteps = offlineSteps
        c.tailSeconds = tailSeconds
        c.seed = seed
        c.teacher = teacher
        c.semiSupervised = (semiSupervised || compareSemiSupervised) && teacher
        c.compareSemiSupervised = compareSemiSupervised
        if let fraction = pseudoLabelIgnoreFraction {
            guard (0...1).contains(fraction) else { throw ValidationError("--pseudo-label-ignore-fraction must be in [0, 1]") }
            c.pseudoLabelIgnoreFraction = fraction
        }
        if let precision = pseudoLabelPrecision {
            guard precision > 0 && precision <= 1 else { throw ValidationError("--pseudo-label-precision must be in (0, 1]") }
            c.pseudoLabelPrecision = precision
        }
        if let keep = shrinkOnArrival {
            guard (0...1).contains(keep) else { throw ValidationError("--shrink-on-arrival must be in [0, 1]") }
            c.shrinkOnArrival = keep
        }
        if let fresherAfter {
            guard fresherAfter.isFinite, (0.1...60).contains(fresherAfter) else { throw ValidationError("--fresher-after must be in [0.1, 60] seconds") }
            c.fresherAfterSeconds = fresherAfter
        }
        let result = try await ReplayBenchmark.run(c, log: say)
        let folder = URL(fileURLWithPath: out)
        try ReplayBenchmark.write(result, to: folder)
        print(ReplayBenchmark.markdown(result))
        print("wrote \(folder.path)/report.json, report.md, *.svg")
    }
}
