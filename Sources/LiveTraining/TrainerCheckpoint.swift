import Foundation
import Models
import Torch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything a trainer needs besides the model's tensors to continue exactly where it stopped; stored
/// as `trainer.json` next to `model.safetensors` (the model's `state()`: weights, buffers and optimiser
/// moments) in one checkpoint directory.
///
/// Checkpoints live under a root directory as `checkpoint-000001`, `checkpoint-000002`, ... (a write
/// sequence number, so the newest is the one last written even after resuming from an older one). A
/// checkpoint is written into a hidden temporary directory, its files flushed to disk, and only then
/// renamed into place: a crash mid-write leaves the previous checkpoints untouched and at most a
/// temporary directory, which readers ignore and the next write removes. The newest `keep` survive.
public struct TrainerCheckpoint: Codable, Sendable, Equatable {
    public static let modelFile = "model.safetensors"
    public static let trainerFile = "trainer.json"
    /// The student's weights before its first step, kept when the trainer shrinks towards them.
    public static let startFile = "start.safetensors"

    /// Where a checkpoint keeps its starting weights, given its model file.
    public static func startFile(besides modelFile: URL) -> URL {
        modelFile.deletingLastPathComponent().appendingPathComponent(startFile)
    }

    public var formatVersion = 1
    public var step: Int
    public var sampler: FrequencyBatchSampler
    public var detector: LossPlateauDetector
    /// Ids of the dataset's samples in arrival order; the sampler's indices refer to these.
    public var sampleIDs: [String]
    public var lastLoss: StepLoss?
    public var savedAt: Date

    public init(
        step: Int, sampler: FrequencyBatchSampler, detector: LossPlateauDetector, sampleIDs: [String],
        lastLoss: StepLoss?, savedAt: Date = Date()
    ) {
        self.step = step
        self.sampler = sampler
        self.detector = detector
        self.sampleIDs = sampleIDs
        self.lastLoss = lastLoss
        self.savedAt = savedAt
    }

    /// The newest complete checkpoint directory under `root`, or `root` itself when it is one.
    public static func latest(in root: URL) -> URL? {
        let fm = FileManager.default
        if fm.fileExists(atPath: root.appendingPathComponent(trainerFile).path) { return root }
        return completed(in: root).last?.url
    }

    /// Reads `trainer.json` of a checkpoint directory (or of the newest one under a root).
    public static func read(from directory: URL) throws -> (checkpoint: TrainerCheckpoint, modelFile: URL) {
        guard let dir = latest(in: directory) else { throw TrainerError.noCheckpoint(directory.path) }
        let data = try Data(contentsOf: dir.appendingPathComponent(trainerFile))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let checkpoint = try decoder.decode(TrainerCheckpoint.self, from: data)
        guard checkpoint.formatVersion == 1 else {
            throw TrainerError.checkpoint("unsupported trainer.json format \(checkpoint.formatVersion) in \(dir.path)")
        }
        return (checkpoint, dir.appendingPathComponent(modelFile))
    }

    /// Writes a new checkpoint directory under `root` atomically and prunes all but the newest `keep`;
    /// `start` (shrinking's target) goes beside the model when given. The start never changes while a
    /// trainer runs, so `startWrittenAt`, the start file of its previous checkpoint, is hard-linked
    /// instead of encoded and synced again (written anew where the link fails).
    func write(
        modelState: [String: Tensor], start: [String: Tensor]? = nil, startWrittenAt previous: URL? = nil, under root: URL, keep: Int
    ) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        for entry in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where entry.hasPrefix(".checkpoint-tmp-") {
            try? fm.removeItem(at: root.appendingPathComponent(entry))  // left by a crash
        }
        let sequence = (Self.completed(in: root).last?.sequence ?? 0) + 1
        let temporary = root.appendingPathComponent(".checkpoint-tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try Self.writeDurably(
                try Safetensors.encode(modelState, metadata: ["step": "\(step)"]),
                to: temporary.appendingPathComponent(Self.modelFile))
            if let start {
                let file = temporary.appendingPathComponent(Self.startFile)
                let linked = previous.map { (try? fm.linkItem(at: $0, to: file)) != nil } ?? false
                if !linked {
                    try Self.writeDurably(try Safetensors.encode(start, metadata: [:]), to: file)
                }
            }
            try Self.writeDurably(try encoder.encode(self), to: temporary.appendingPathComponent(Self.trainerFile))
            Self.syncDirectory(temporary)
            let final = root.appendingPathComponent(String(format: "checkpoint-%06d", sequence), isDirectory: true)
            try fm.moveItem(at: temporary, to: final)
            Self.syncDirectory(root)
            for old in Self.completed(in: root).dropLast(Swift.max(1, keep)) { try? fm.removeItem(at: old.url) }
            return final
        } catch {
            try? fm.removeItem(at: temporary)
            throw error
        }
    }

    private static func completed(in root: URL) -> [(sequence: Int, url: URL)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("checkpoint-"), let n = Int(name.dropFirst("checkpoint-".count)) else { return nil }
            let url = root.appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(trainerFile).path) else {
                return nil
            }
            return (n, url)
        }.sorted { $0.0 < $1.0 }
    }

    private static func writeDurably(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw TrainerError.checkpoint("cannot create \(url.path)")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// Flushes a directory's entries (the rename itself) to disk; best effort where unsupported.
    private static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}
