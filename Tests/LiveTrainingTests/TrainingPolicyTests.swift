import Foundation
import Models
import Testing

@testable import LiveTraining

/// The loop's rules, stepped by hand: no thread, no model, no sleeping.
@Suite("training policy")
struct TrainingPolicyTests {
    struct Boom: Error {}

    static func policy(
        minSamples: Int = 2, patience: Int = 3, batchSize: Int = 2, checkpointEvery: Int = 0, paused: Bool = false,
        virtualClock: Bool = false, shrinkOnArrival: Double? = nil
    ) -> TrainingPolicy {
        var configuration = Trainer.Configuration(
            sampler: .init(batchSize: batchSize), plateau: .init(smoothing: 1, patience: patience, minRelativeImprovement: 0.5),
            checkpointDirectory: checkpointEvery > 0 ? URL(fileURLWithPath: "/nonexistent") : nil, checkpointEvery: checkpointEvery,
            startsPaused: paused, virtualClock: virtualClock)
        configuration.minSamples = minSamples
        configuration.shrinkOnArrival = shrinkOnArrival
        return TrainingPolicy(
            configuration: configuration, sampler: FrequencyBatchSampler(configuration: configuration.sampler),
            detector: LossPlateauDetector(configuration: configuration.plateau), step: 0, lastCheckpointStep: nil)
    }

    static func arrival(_ index: Int, count: Int, new: Bool = true, removal: Bool = false) -> DynamicDataset.Arrival {
        .init(index: index, isNew: new, count: count, isRemoval: removal)
    }

    static func ok(_ loss: Double = 1) -> Result<StepLoss, any Error> { .success(StepLoss(total: loss)) }

    @Test("waits for two samples, trains, parks on a plateau, and a new sample ends the plateau")
    func waitTrainParkWake() {
        var p = Self.policy()
        p.sampleArrived(Self.arrival(0, count: 1))
        #expect(p.next(datasetCount: 1).decision == .park(.waitingForLabels))
        p.sampleArrived(Self.arrival(1, count: 2))
        let first = p.next(datasetCount: 2)
        #expect(first.changed)
        guard case .train(let indices, false) = first.decision else { Issue.record("expected a step"); return }
        #expect(indices.count == 2 && Set(indices).isSubset(of: [0, 1]))
        // A flat loss: after `patience` observations without improvement, the loop parks.
        for _ in 0..<5 { _ = p.record(Self.ok(), indices: indices, ids: ["a", "b"], seconds: 0.1) }
        let parked = p.next(datasetCount: 2)
        #expect(parked.decision == .park(.pausedPlateau) && parked.changed && parked.note?.level == .info)
        #expect(p.next(datasetCount: 2).changed == false, "parking again is no change")
        p.sampleArrived(Self.arrival(2, count: 3))
        #expect(p.stepsSinceLastSample == 0)
        guard case .train = p.next(datasetCount: 3).decision else { Issue.record("a new sample should wake it"); return }
    }

    @Test("a virtual clock trains exactly the steps allowed; parking forfeits the rest, as idle time would")
    func virtualClock() {
        var p = Self.policy(patience: 3, virtualClock: true)
        for i in 0..<2 { p.sampleArrived(Self.arrival(i, count: i + 1)) }
        #expect(p.next(datasetCount: 2).decision == .park(.training), "no time has passed yet")
        p.allow(2)
        for _ in 0..<2 {
            guard case .train(let indices, _) = p.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
            _ = p.record(Self.ok(10 - Double(p.step)), indices: indices, ids: ["a", "b"], seconds: 0.1)
        }
        #expect(p.allowance == 0 && p.next(datasetCount: 2).decision == .park(.training) && p.step == 2)
        // 50 steps of time, but a flat loss parks the loop after `patience` steps: the rest is gone.
        p.allow(50)
        var trained = 0
        while case .train(let indices, _) = p.next(datasetCount: 2).decision {
            _ = p.record(Self.ok(1), indices: indices, ids: ["a", "b"], seconds: 0.1)
            trained += 1
        }
        #expect(p.state == .pausedPlateau && p.allowance == 0 && trained < 50)
        // A new sample ends the plateau, but training still waits for time to pass.
        p.sampleArrived(Self.arrival(2, count: 3))
        #expect(p.next(datasetCount: 3).decision == .park(.training))
        p.allow(Int.max)
        p.allow(Int.max)  // saturates instead of overflowing
        guard case .train = p.next(datasetCount: 3).decision else { Issue.record("expected a step"); return }
        // Without a virtual clock (the server) there is no allowance at all.
        var free = Self.policy()
        for i in 0..<2 { free.sampleArrived(Self.arrival(i, count: i + 1)) }
        free.allow(1)
        #expect(free.allowance == nil)
        guard case .train = free.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
    }

    @Test("a failed batch makes its samples suspects, each tried alone; one that fails alone is excluded until edited")
    func suspects() {
        var p = Self.policy(patience: 1_000)
        for i in 0..<3 { p.sampleArrived(Self.arrival(i, count: i + 1)) }
        let note = p.record(.failure(Boom()), indices: [0, 2], ids: ["a", "c"], seconds: 0.1)
        #expect(note?.level == .error && p.failedSteps == 1 && p.step == 0)
        #expect(p.next(datasetCount: 3).decision == .train(indices: [0], isolating: true))
        _ = p.record(Self.ok(), indices: [0], ids: ["a"], seconds: 0.1)
        #expect(p.next(datasetCount: 3).decision == .train(indices: [2], isolating: true))
        _ = p.record(.failure(Boom()), indices: [2], ids: ["c"], seconds: 0.1)
        #expect(p.sampler.excluded == [2])
        #expect(p.lastError?.contains("'c' excluded") == true)
        guard case .train(let indices, false) = p.next(datasetCount: 3).decision else { Issue.record("expected a batch"); return }
        #expect(!indices.contains(2))
        // Fixed labels (the same index arrives again) give it another chance.
        p.sampleArrived(Self.arrival(2, count: 3, new: false))
        #expect(p.sampler.excluded.isEmpty)
        // Deleting an annotation retires its index for good and wakes nothing.
        p.sampleArrived(Self.arrival(1, count: 3, removal: true))
        #expect(p.sampler.excluded == [1])
    }

    @Test("with two samples and one excluded, the loop waits for labels again")
    func excludedCountsAgainstMinimum() {
        var p = Self.policy()
        for i in 0..<2 { p.sampleArrived(Self.arrival(i, count: i + 1)) }
        _ = p.record(.failure(Boom()), indices: [1], ids: ["b"], seconds: 0.1)
        #expect(p.next(datasetCount: 2).decision == .park(.waitingForLabels))
    }

    @Test("paused parks whatever the data; a non-finite loss is counted as a step and reported")
    func pausedAndNonFinite() {
        var p = Self.policy(paused: true)
        for i in 0..<2 { p.sampleArrived(Self.arrival(i, count: i + 1)) }
        #expect(p.next(datasetCount: 2).decision == .park(.paused))
        p.setPaused(false)
        guard case .train = p.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
        let note = p.record(Self.ok(.nan), indices: [0, 1], ids: ["a", "b"], seconds: 0.1)
        #expect(note?.level == .warning && p.step == 1 && p.lastError?.contains("non-finite") == true)
    }

    @Test("a checkpoint is due once per interval; a failed one is retried at the next interval, not every step")
    func checkpointTiming() {
        var p = Self.policy(patience: 1_000, checkpointEvery: 3)
        var due: [Int] = []
        for _ in 0..<10 {
            _ = p.record(Self.ok(), indices: [0, 1], ids: ["a", "b"], seconds: 0.1)
            if let step = p.checkpointDue() { due.append(step) }  // none is written: all fail
        }
        #expect(due == [3, 6, 9])
        _ = p.checkpointFailed(step: 9, error: Boom())
        #expect(p.lastError?.contains("checkpoint at step 9 failed") == true)
        p.checkpointWritten(step: 9)
        #expect(p.status(samples: 2, excludedIDs: [], waits: WaitStatistics()).lastCheckpointStep == 9)
        #expect(Self.policy(checkpointEvery: 0).checkpointEvery == 0)
    }

    @Test("on the virtual clock a step's pseudo-label work costs time; the plateau watches the labelled loss only")
    func pseudoLabelCost() {
        var p = Self.policy(patience: 2, virtualClock: true)
        p.sampleArrived(Self.arrival(0, count: 1))
        p.sampleArrived(Self.arrival(1, count: 2))
        p.allow(3)
        guard case .train(let indices, _) = p.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
        _ = p.record(Self.ok(), indices: indices, ids: ["0", "1"], seconds: 0)
        p.charge(extraSteps: 1.5, pseudoLabelled: 2)
        #expect(p.allowance == 0.5 && p.pseudoLabelled == 2)
        guard case .train = p.next(datasetCount: 2).decision else { Issue.record("half a step left still trains"); return }
        _ = p.record(Self.ok(), indices: indices, ids: ["0", "1"], seconds: 0)
        p.charge(extraSteps: 1.5, pseudoLabelled: 2)
        #expect(p.allowance == -2 && p.next(datasetCount: 2).decision == .park(.training), "overdrawn: the clock must catch up")
        // A falling total whose labelled part is flat is a plateau: only the unlabelled part improved.
        var q = Self.policy(patience: 2)
        q.sampleArrived(Self.arrival(0, count: 1))
        q.sampleArrived(Self.arrival(1, count: 2))
        for u in [8.0, 4, 2, 1, 0.5] {
            guard case .train(let i, _) = q.next(datasetCount: 2).decision else { break }
            _ = q.record(.success(StepLoss(total: 1 + u, unlabelled: u)), indices: i, ids: ["0", "1"], seconds: 0)
        }
        #expect(q.next(datasetCount: 2).decision == .park(.pausedPlateau))
    }

    @Test("shrink on arrival: once per new label after training began; not before, not for edits or removals; arrivals between steps share one")
    func shrinkOnArrival() {
        var p = Self.policy(shrinkOnArrival: 0.5)
        p.sampleArrived(Self.arrival(0, count: 1))
        p.sampleArrived(Self.arrival(1, count: 2))
        #expect(p.takeShrink() == nil, "nothing trained yet: nothing to shrink")
        guard case .train(let indices, _) = p.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
        _ = p.record(Self.ok(), indices: indices, ids: ["0", "1"], seconds: 0)
        p.sampleArrived(Self.arrival(1, count: 2, new: false))
        p.sampleArrived(Self.arrival(0, count: 2, removal: true))
        #expect(p.takeShrink() == nil, "an edit or a removal brings no new image")
        p.sampleArrived(Self.arrival(2, count: 3))
        p.sampleArrived(Self.arrival(3, count: 4))
        #expect(p.takeShrink() == 0.5)
        #expect(p.takeShrink() == nil, "two arrivals before the next step: one shrink")
        #expect(p.status(samples: 3, excludedIDs: [], waits: WaitStatistics()).shrinks == 1)
        var off = Self.policy()
        off.sampleArrived(Self.arrival(0, count: 1))
        off.sampleArrived(Self.arrival(1, count: 2))
        guard case .train(let i, _) = off.next(datasetCount: 2).decision else { Issue.record("expected a step"); return }
        _ = off.record(Self.ok(), indices: i, ids: ["0", "1"], seconds: 0)
        off.sampleArrived(Self.arrival(2, count: 3))
        #expect(off.takeShrink() == nil, "off by default in the policy")
        #expect(Self.policy(shrinkOnArrival: 1).shrinkKeep == nil, "keeping everything is off")
    }
}
