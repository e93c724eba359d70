import Foundation
import Models
import TestSupport
import Testing
import Torch

@testable import LiveTraining

@Suite("trainer checkpoint files")
struct TrainerCheckpointTests {
    static func record(step: Int) -> TrainerCheckpoint {
        TrainerCheckpoint(
            step: step, sampler: FrequencyBatchSampler(), detector: LossPlateauDetector(), sampleIDs: ["a", "b"],
            lastLoss: StepLoss(total: 0.5))
    }

    @Test("a half-written checkpoint is ignored and cleaned up; the newest complete one is read")
    func crashLeavesPrevious() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tensors = ["w": try Tensor([Float(1), 2, 3])]
        let first = try Self.record(step: 10).write(modelState: tensors, under: directory.url, keep: 2)
        // A crash mid-write: a temporary directory holding a partial model file and no trainer.json.
        let partial = directory.url.appendingPathComponent(".checkpoint-tmp-crashed")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: partial.appendingPathComponent(TrainerCheckpoint.modelFile))
        #expect(TrainerCheckpoint.latest(in: directory.url)?.path == first.path)
        #expect(try TrainerCheckpoint.read(from: directory.url).checkpoint.step == 10)

        let second = try Self.record(step: 20).write(modelState: tensors, under: directory.url, keep: 2)
        #expect(!FileManager.default.fileExists(atPath: partial.path), "leftover removed by the next write")
        #expect(TrainerCheckpoint.latest(in: directory.url)?.path == second.path)
        let (checkpoint, model) = try TrainerCheckpoint.read(from: directory.url)
        #expect(checkpoint.step == 20 && checkpoint.sampleIDs == ["a", "b"])
        #expect(try Safetensors.read(model)["w"]?.floats() == [1, 2, 3])
        _ = try Self.record(step: 30).write(modelState: tensors, under: directory.url, keep: 2)
        #expect(!FileManager.default.fileExists(atPath: first.path), "only the newest two kept")
        #expect(TrainerCheckpoint.latest(in: second)?.path == second.path, "a checkpoint directory names itself")
    }

    @Test("the start weights are written once and linked into later checkpoints; they outlive the pruned first one")
    func startLinked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tensors = ["w": try Tensor([Float(1), 2, 3])], start = ["w": try Tensor([Float(0), 0, 1])]
        func startFile(_ checkpoint: URL) -> URL { checkpoint.appendingPathComponent(TrainerCheckpoint.startFile) }
        func inode(_ url: URL) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        }
        let first = try Self.record(step: 10).write(modelState: tensors, start: start, under: directory.url, keep: 1)
        let second = try Self.record(step: 20).write(
            modelState: tensors, start: start, startWrittenAt: startFile(first), under: directory.url, keep: 1)
        #expect(!FileManager.default.fileExists(atPath: first.path), "only the newest kept")
        #expect(try Safetensors.read(startFile(second))["w"]?.floats() == [0, 0, 1])
        let third = try Self.record(step: 30).write(
            modelState: tensors, start: start, startWrittenAt: startFile(second), under: directory.url, keep: 2)
        #expect(try inode(startFile(third)) == inode(startFile(second)), "one file on disk, not a copy per checkpoint")
        // A previous start that is gone is written anew.
        let fourth = try Self.record(step: 40).write(
            modelState: tensors, start: start, startWrittenAt: startFile(first), under: directory.url, keep: 2)
        #expect(try Safetensors.read(startFile(fourth))["w"]?.floats() == [0, 0, 1])
    }

    @Test("reading where there is no checkpoint is a clear error")
    func missing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: TrainerError.self) { try TrainerCheckpoint.read(from: directory.url) }
    }
}
