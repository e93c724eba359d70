import Foundation
import Models
import TestSupport
import Testing
import Torch

@testable import LiveTraining

/// `Trainer.Configuration.shrinkOnArrival` through a real trainer: which arrivals shrink, by how much,
/// what is left alone, and that a checkpoint carries the start so a resumed trainer shrinks towards it.
@Suite(
    "shrink on arrival", .serialized,
    .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
struct ShrinkOnArrivalTests {
    typealias Weights = [String: [Float]]

    static func values(_ weights: [String: Tensor]) throws -> Weights {
        try weights.filter { $0.value.dtype.isFloatingPoint }.mapValues { try $0.flatten().array(Float.self) }
    }

    static func student(_ trainer: Trainer) async throws -> Weights {
        try await trainer.withModel { model in try Self.values(model.weights) }
    }

    /// Largest |actual − (start + keep × (before − start))| over every weight.
    static func error(_ actual: Weights, start: Weights, before: Weights, keep: Float) -> Float {
        var worst: Float = 0
        for (name, a) in actual {
            guard let s = start[name], let b = before[name] else { return .infinity }
            for i in a.indices { worst = max(worst, abs(a[i] - (s[i] + keep * (b[i] - s[i])))) }
        }
        return worst
    }

    @Test("a new label after training pulls the student a quarter back to its start; an edit does not; the teacher is left alone")
    func shrinksOnNewLabels() async throws {
        let samples = try BloodCellSamples.load(count: 3)
        let model = try TinyBoxRegressor(seed: 11)
        let teacher = try TinyBoxRegressor(seed: 12)
        let start = try Self.values(model.weights)
        let trainer = Trainer(
            model: model, teacher: teacher, dataset: DynamicDataset(Array(samples[..<2])),
            configuration: .init(
                plateau: TrainerTests.neverPlateaus, checkpointEvery: 0, virtualClock: true, shrinkOnArrival: 0.25))
        #expect(await trainer.advance(steps: 6) == 6)
        let trained = try await Self.student(trainer)
        #expect(Self.error(trained, start: start, before: start, keep: 1) > 1e-3, "training moved the weights")

        await trainer.append(samples[1])  // an edited label: same id
        #expect(try await Self.student(trainer) == trained, "an edit does not shrink")
        let teacherBefore = try Self.values(teacher.weights)

        await trainer.append(samples[2])
        let shrunk = try await Self.student(trainer)
        #expect(Self.error(shrunk, start: start, before: trained, keep: 0.25) < 1e-5)
        #expect(try Self.values(teacher.weights) == teacherBefore, "the teacher serving pre-labels is not touched")
        let status = await trainer.status
        #expect(status.shrinks == 1 && status.step == 6)
        #expect(await trainer.advance(steps: 2) == 2, "training goes on from the shrunk weights")
        try await trainer.shutdown()
    }

    @Test("a checkpoint keeps the start: a resumed trainer shrinks towards it, not towards the model it was given")
    func resumedShrinkUsesSavedStart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples = try BloodCellSamples.load(count: 3)
        let model = try TinyBoxRegressor(seed: 13)
        let start = try Self.values(model.weights)
        let configuration = Trainer.Configuration(
            plateau: TrainerTests.neverPlateaus, checkpointDirectory: directory.url, checkpointEvery: 0, virtualClock: true,
            shrinkOnArrival: 0.5)
        let a = Trainer(model: model, dataset: DynamicDataset(Array(samples[..<2])), configuration: configuration)
        #expect(await a.advance(steps: 5) == 5)
        let saved = try #require(try await a.shutdown())
        #expect(FileManager.default.fileExists(atPath: saved.appendingPathComponent(TrainerCheckpoint.startFile).path))

        let other = try TinyBoxRegressor(seed: 14)  // another head and backbone: not the start
        let b = try Trainer.resume(from: directory.url, model: other, configuration: configuration) { id in
            samples.first { $0.id == id }
        }
        let resumed = try await Self.student(b)
        await b.append(samples[2])
        let shrunk = try await Self.student(b)
        #expect(Self.error(shrunk, start: start, before: resumed, keep: 0.5) < 1e-5)
        #expect(await b.status.shrinks == 1)
        try await b.shutdown()

        // A damaged start file costs the exact target, never the checkpoint: the given model's weights stand in.
        let newest = try #require(TrainerCheckpoint.latest(in: directory.url))
        try Data("not safetensors".utf8).write(to: newest.appendingPathComponent(TrainerCheckpoint.startFile))
        let fallback = try TinyBoxRegressor(seed: 15)
        let given = try Self.values(fallback.weights)
        let c = try Trainer.resume(from: directory.url, model: fallback, configuration: configuration) { id in
            samples.first { $0.id == id }
        }
        let loaded = try await Self.student(c)
        #expect(await c.status.step == 5, "resumed, not started anew")
        await c.append(Sample(id: "another", image: try samples[0].image, annotation: samples[0].annotation))
        #expect(Self.error(try await Self.student(c), start: given, before: loaded, keep: 0.5) < 1e-5)
        try await c.shutdown()
    }
}
