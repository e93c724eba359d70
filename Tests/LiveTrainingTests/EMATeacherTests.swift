import Foundation
import Models
import TestSupport
import Testing
import Torch

@testable import LiveTraining

/// The EMA teacher: its averaging rule on real tensors, and a trainer whose predictions it serves.
@Suite(
    "EMA teacher", .serialized,
    .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
struct EMATeacherTests {
    static func floats(_ model: any LiveModel) throws -> [String: [Float]] {
        try model.weights.mapValues { try $0.floats() }
    }

    @Test("the decay ramps from 0.1 towards the momentum and never passes it")
    func decaySchedule() {
        #expect(EMATeacher.decay(momentum: 0.99, after: 0) == 0.1)
        #expect(abs(EMATeacher.decay(momentum: 0.99, after: 90) - 0.91) < 1e-12)
        #expect(EMATeacher.decay(momentum: 0.99, after: 100_000) == 0.99)
        #expect(EMATeacher.decay(momentum: 0.5, after: 50) == 0.5)
    }

    @Test("copy makes the teacher the student; update moves it by (1 - decay) towards the student")
    func averaging() throws {
        let samples = try BloodCellSamples.load(count: 2)
        let student = try TinyBoxRegressor(seed: 7)
        let teacher = EMATeacher(model: try TinyBoxRegressor(seed: 8), momentum: 0.99)
        #expect(try Self.floats(teacher.model) != Self.floats(student))
        try teacher.copy(from: student)
        let start = try Self.floats(student)
        #expect(try Self.floats(teacher.model) == start)
        _ = try student.trainStep(samples)
        let stepped = try Self.floats(student)
        try teacher.update(from: student)
        let d = Float(EMATeacher.decay(momentum: 0.99, after: 0))
        var moved = 0
        for (name, averaged) in try Self.floats(teacher.model) {
            for (i, value) in averaged.enumerated() {
                let expected = d * start[name]![i] + (1 - d) * stepped[name]![i]
                #expect(abs(value - expected) <= 1e-6 * max(1, abs(expected)), "\(name)[\(i)]")
                if start[name]![i] != stepped[name]![i] { moved += 1 }
            }
        }
        #expect(moved > 0 && teacher.updateCount == 1)
        // A teacher of another shape is refused with the tensor's name, not averaged.
        let wrong = EMATeacher(model: try TinyBoxRegressor(seed: 1, width: 4), momentum: 0.99)
        #expect(throws: TrainerError.self) { try wrong.copy(from: student) }
    }

    @Test("with a teacher, a prediction during a long step does not wait for it, and the teacher follows every step")
    func servesWithoutWaiting() async throws {
        let samples = try BloodCellSamples.load(count: 3)
        let student = try TinyBoxRegressor(seed: 2)
        student.stepPause = 0.4
        let trainer = Trainer(
            model: student, teacher: try TinyBoxRegressor(seed: 3), dataset: DynamicDataset(samples),
            configuration: .init(plateau: TrainerTests.neverPlateaus))
        try await TrainerTests.waitFor(trainer, "2 steps") { $0.step >= 2 }
        var waits: [Double] = []
        for delay in [0.05, 0.2, 0.1, 0.3, 0.15] {
            try await Task.sleep(for: .seconds(delay))
            let timed = try await trainer.timedPredict(samples[0].image)
            #expect(timed.prediction.objects.count == 1)
            waits.append(timed.waitSeconds)
        }
        let status = await trainer.status
        let updates = try #require(await trainer.teacherUpdates)
        try await trainer.shutdown()
        // Queued behind a 0.4 s step, waits would average ~0.2 s; the teacher answers at once.
        #expect(waits.max()! < 0.2, "teacher waits \(waits)")
        #expect(status.predictWait.count == waits.count)
        #expect(updates >= status.step - 1 && updates <= status.step + 1, "updates \(updates), steps \(status.step)")
        print("measured: teacher predict waits during 0.4 s steps: \(waits.map { ms($0) }) ms")
    }
}
