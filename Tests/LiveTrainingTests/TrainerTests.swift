import Foundation
import Models
import TestSupport
import Testing
import Torch
import Vision

@testable import LiveTraining

/// The trainer end to end with a real (tiny) libtorch model on a few real BCCD images.
@Suite(
    "trainer", .serialized,
    .enabled(if: PackagePaths.datasetsAvailable, "needs ../shared/datasets next to the package root"))
struct TrainerTests {
    /// A detector that never parks, for tests about something else.
    static let neverPlateaus = LossPlateauDetector.Configuration(patience: 1_000_000)

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    /// Polls the trainer's status until `condition` holds (every 2 ms), failing after `seconds`.
    @discardableResult
    static func waitFor(
        _ trainer: Trainer, seconds: Double = 60, _ what: String, _ condition: (TrainerStatus) -> Bool
    ) async throws -> TrainerStatus {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let status = await trainer.status
            if condition(status) { return status }
            guard ContinuousClock.now < deadline else {
                throw TimedOut(description: "waiting for \(what); last status \(status)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    @Test("training starts by itself once two samples exist, not before")
    func startsAtTwoSamples() async throws {
        let samples = try BloodCellSamples.load(count: 2)
        let model = try TinyBoxRegressor(seed: 1)
        let trainer = Trainer(model: model)
        #expect(await trainer.status.state == .waitingForLabels)
        await trainer.append(samples[0])
        // A prediction is a job the loop runs between decisions: once it is answered, the loop has
        // seen the one sample and decided (TrainingPolicyTests pins the rule itself).
        _ = try await trainer.predict(try samples[0].image)
        let one = await trainer.status
        #expect(one.state == .waitingForLabels && one.step == 0 && one.samples == 1)
        #expect(!model.events.contains { $0.kind == .step }, "no step with one sample")
        await trainer.append(samples[1])
        let running = try await Self.waitFor(trainer, "5 steps") { $0.step >= 5 }
        #expect(running.samples == 2 && running.lastLoss != nil && running.smoothedLoss != nil)
        try await trainer.shutdown()
        #expect(await trainer.status.state == .stopped)
        await #expect(throws: TrainerError.self) { try await trainer.predict(samples[0].image) }
    }

    @Test("predict waits only for the step in flight, then training goes on")
    func predictDuringTraining() async throws {
        let samples = try BloodCellSamples.load(count: 4, size: 128)
        let model = try TinyBoxRegressor(seed: 2, inputSize: 128, width: 32)
        let trainer = Trainer(
            model: model, dataset: DynamicDataset(samples),
            configuration: .init(sampler: .init(batchSize: 4), plateau: Self.neverPlateaus))
        try await Self.waitFor(trainer, "5 steps") { $0.step >= 5 }

        // While training: predictions at moments spread over a step (fractions of the step time measured
        // so far), each timed from the request.
        let typicalStep = model.events.map { Self.seconds($0.start.duration(to: $0.end)) }.sorted()[2]
        let delays = [0.3, 0.9, 0.5, 0.1, 1.3, 0.7, 0.2, 1.1, 0.4, 0.8, 0.6, 0.05].map { $0 * typicalStep }
        var requests: [ContinuousClock.Instant] = []
        var waits: [Double] = []
        let stepsBefore = await trainer.status.step
        for delay in delays {
            try await Task.sleep(for: .seconds(delay))
            requests.append(.now)
            let timed = try await trainer.timedPredict(samples[0].image)
            #expect(timed.prediction.objects.count == 1)
            waits.append(timed.waitSeconds)
        }
        let stepsAfter = try await Self.waitFor(trainer, "more steps") { $0.step > stepsBefore + delays.count }.step
        let status = await trainer.status

        // The slack, measured: the same hand-over with no step in flight (training paused).
        await trainer.pause()
        try await Self.waitFor(trainer, "paused") { $0.state == .paused }
        var idleWaits: [Double] = []
        for _ in 0..<5 { idleWaits.append(try await trainer.timedPredict(samples[0].image).waitSeconds) }
        try await trainer.shutdown()

        let events = model.events
        let steps = events.filter { $0.kind == .step }
        let predictions = events.filter { $0.kind == .predict }.prefix(delays.count)
        let stepSeconds = steps.map { Self.seconds($0.start.duration(to: $0.end)) }.sorted()
        let longestStep = stepSeconds.last!
        let medianStep = stepSeconds[stepSeconds.count / 2]
        // Slack for the hand-over after the step, measured: the larger of the wait with no step in flight
        // and half a median step (this 2-core machine is shared; a waiting-for-two-steps bug would still
        // show as a wait near two steps).
        let slack = max(idleWaits.max()!, 0.5 * medianStep)
        for (request, prediction) in zip(requests, predictions) {
            // Never mid-step: no step overlaps the prediction.
            #expect(
                !steps.contains { $0.start < prediction.end && prediction.start < $0.end },
                "a step overlapped a prediction")
            // Only the step in flight ran before it, not another one.
            let finishedInBetween = steps.filter { $0.end > request && $0.end <= prediction.start }.count
            #expect(finishedInBetween <= 1, "\(finishedInBetween) steps ran between the request and the prediction")
        }
        for wait in waits {
            #expect(wait <= longestStep + slack, "wait \(wait) s > longest step \(longestStep) s + slack \(slack) s")
        }
        #expect(stepsAfter > stepsBefore, "training continued")
        #expect(status.predictWait.count == delays.count)
        let sorted = waits.sorted()
        print(
            "measured: predict wait during training over \(waits.count) calls: p50 \(ms(sorted[sorted.count / 2])) ms, "
                + "max \(ms(sorted.last!)) ms (trainer's own p50 \(ms(status.predictWait.p50Seconds!)) ms, p95 "
                + "\(ms(status.predictWait.p95Seconds!)) ms); steps: median \(ms(medianStep)) ms, longest \(ms(longestStep)) ms; "
                + "idle hand-over max \(ms(idleWaits.max()!)) ms")
    }

    @Test("the loop parks on a loss plateau, spends no steps there, and wakes on append")
    func plateauParkAndWake() async throws {
        let samples = try BloodCellSamples.load(count: 3)
        let model = try TinyBoxRegressor(seed: 3, learningRate: 0.02)
        let trainer = Trainer(
            model: model, dataset: DynamicDataset(Array(samples.prefix(2))),
            configuration: .init(plateau: .init(smoothing: 0.3, patience: 15, minRelativeImprovement: 0.05)))
        let parked = try await Self.waitFor(trainer, "a plateau") { $0.state == .pausedPlateau }
        let stepsAtPark = model.events.filter { $0.kind == .step }.count
        let timed = try await trainer.timedPredict(samples[0].image)  // predictions still served
        let still = await trainer.status
        #expect(still.state == .pausedPlateau && still.step == parked.step, "no optimisation while parked")
        #expect(model.events.filter { $0.kind == .step }.count == stepsAtPark)

        let appended = ContinuousClock.now
        await trainer.append(samples[2])
        let woke = try await Self.waitFor(trainer, "a step after the append") { $0.step > parked.step }
        let firstStep = try #require(model.events.first { $0.kind == .step && $0.start > appended })
        let wake = Self.seconds(appended.duration(to: firstStep.start))
        #expect(woke.samples == 3)
        #expect(wake < 1, "woke \(wake) s after the append")
        try await trainer.shutdown()
        print(
            "measured: parked at step \(parked.step) (smoothed loss \(parked.smoothedLoss ?? .nan)); first step \(ms(wake)) ms after the append; parked predict wait \(ms(timed.waitSeconds)) ms"
        )
    }

    @Test("on a virtual clock the trainer takes exactly the steps it is given, and predictions never wait")
    func virtualClock() async throws {
        let samples = try BloodCellSamples.load(count: 2)
        let model = try TinyBoxRegressor(seed: 5)
        let trainer = Trainer(
            model: model, dataset: DynamicDataset(samples),
            configuration: .init(plateau: Self.neverPlateaus, virtualClock: true))
        _ = try await trainer.predict(try samples[0].image)  // the loop has decided at least once
        #expect(await trainer.status.step == 0, "no step before time passes")
        #expect(await trainer.advance(steps: 7) == 7)
        let timed = try await trainer.timedPredict(try samples[1].image)
        let status = await trainer.status
        #expect(status.step == 7 && model.events.filter { $0.kind == .step }.count == 7)
        #expect(timed.waitSeconds < 0.5, "nothing in flight between advances: \(timed.waitSeconds) s")
        #expect(await trainer.advance(steps: 0) == 0)
        try await trainer.shutdown()
        #expect(await trainer.advance(steps: 3) == 0, "a stopped trainer's clock does not run")
    }

    @Test("the training thread runs at the configured nice; the threads that ask for pre-labels keep theirs")
    func trainingThreadNice() async throws {
        let samples = try BloodCellSamples.load(count: 2)
        let callerNice = try #require(Torch.threadNice)
        for nice in [0, 7] {
            let trainer = Trainer(
                model: try TinyBoxRegressor(seed: 6), dataset: DynamicDataset(samples),
                configuration: .init(plateau: Self.neverPlateaus, virtualClock: true, threadNice: nice))
            #expect(await trainer.advance(steps: 2) == 2)
            let trainingNice = try await trainer.withModel { _ in Torch.threadNice }
            // 0 leaves the thread as it was created: with the priority of the thread that created it.
            #expect(trainingNice == (nice == 0 ? callerNice : nice))
            #expect(Torch.threadNice == callerNice)
            try await trainer.shutdown()
        }
    }

    @Test("with thresholds, a teacher and a pool, steps also learn pool images; a broken one leaves the pool; without thresholds none")
    func semiSupervised() async throws {
        let samples = try BloodCellSamples.load(count: 5)
        let unlabelled = try samples[2...].map { Sample(id: "pool-\($0.id)", image: try $0.image, annotation: Annotation()) }
        let missing = Sample(
            id: "pool-missing", file: URL(fileURLWithPath: "/nonexistent/gone.png"), width: 8, height: 8, cache: ImageCache(capacityBytes: 1 << 20),
            annotation: Annotation())
        let pool = UnlabelledPool([missing] + unlabelled)
        let model = try TinyBoxRegressor(seed: 6)
        let trainer = Trainer(
            model: model, teacher: try TinyBoxRegressor(seed: 6), dataset: DynamicDataset(Array(samples[..<2])), pool: pool,
            configuration: .init(
                sampler: .init(batchSize: 2), plateau: Self.neverPlateaus, virtualClock: true,
                semiSupervision: .init(unlabelledPerStep: 2, refreshAfter: 0)))
        #expect(await trainer.advance(steps: 4) == 4)
        #expect(!model.events.contains { $0.ids.contains { $0.hasPrefix("pool-") } }, "no thresholds yet: labels only")
        await trainer.setPseudoLabelThresholds(PseudoLabelThresholds(perClass: [0.5], ignoreAbove: 0.25))
        // Each such step costs 1 + (2 pseudo-labelled + 2 forwards / 3) / 2 labelled = 2.33 steps of time.
        let taken = await trainer.advance(steps: 10)
        let status = await trainer.status
        let pooled = model.events.filter { $0.kind == .step }.map { $0.ids.filter { $0.hasPrefix("pool-") } }.filter { !$0.isEmpty }
        #expect(taken >= 4 && taken <= 6, "10 steps of time buy about 10 / 2.33 semi-supervised steps, not \(taken)")
        #expect(!pooled.isEmpty && pooled.allSatisfy { $0.count <= 2 })
        #expect(!pooled.joined().contains("pool-missing") && pool.count == 3, "the unreadable image left the pool")
        #expect(status.pseudoLabelledImages == pooled.joined().count && status.unlabelledImages == 3)
        #expect(status.failedSteps == 0 && status.excludedSamples.isEmpty, "a bad pool image never makes labelled samples suspects")
        try await trainer.shutdown()
    }

    @Test("a pool image's pseudo-label is reused for later draws: one teacher forward per image, not per step")
    func pseudoLabelsReused() async throws {
        let samples = try BloodCellSamples.load(count: 5)
        let pool = UnlabelledPool(try samples[2...].map { Sample(id: "pool-\($0.id)", image: try $0.image, annotation: Annotation()) })
        let (model, teacher) = (try TinyBoxRegressor(seed: 6), try TinyBoxRegressor(seed: 6))
        let trainer = Trainer(
            model: model, teacher: teacher, dataset: DynamicDataset(Array(samples[..<2])), pool: pool,
            configuration: .init(
                sampler: .init(batchSize: 2), plateau: Self.neverPlateaus, virtualClock: true,
                semiSupervision: .init(unlabelledPerStep: 1, refreshAfter: 1000)))
        _ = try await trainer.predict(try samples[0].image)  // after the teacher's warm-up on its queue
        await trainer.setPseudoLabelThresholds(PseudoLabelThresholds(perClass: [0.5], ignoreAbove: 0.25))
        let before = teacher.events.filter { $0.kind == .predict }.count
        let taken = await trainer.advance(steps: 30)
        let forwards = teacher.events.filter { $0.kind == .predict }.count - before
        let pooled = model.events.filter { $0.kind == .step }.flatMap { $0.ids.filter { $0.hasPrefix("pool-") } }
        #expect(forwards == 3, "each of the 3 pool images labelled once, then reused, not \(forwards) forwards")
        #expect(pooled.count == taken && Set(pooled).count == 3)
        // A step costs 1 + 1/2 (one pseudo-labelled image beside 2 labelled), the first three 1/6 more (a forward).
        #expect(taken >= 18 && taken <= 21, "30 steps of time buy about 30 / 1.5 steps, not \(taken)")
        try await trainer.shutdown()
    }

    @Test("a sample that breaks the model's step is excluded; training goes on with the rest")
    func survivesBadSample() async throws {
        var samples = try BloodCellSamples.load(count: 3)
        let bad = Sample(id: "no-boxes", image: try samples[0].image, annotation: Annotation(objects: []))
        samples.insert(bad, at: 1)
        let model = try TinyBoxRegressor(seed: 4)
        let trainer = Trainer(
            model: model, dataset: DynamicDataset(samples),
            configuration: .init(sampler: .init(batchSize: 4), plateau: Self.neverPlateaus))
        let excluded = try await Self.waitFor(trainer, "the bad sample excluded") { $0.excludedSamples == ["no-boxes"] }
        #expect(excluded.failedSteps >= 2, "the batch, then the sample alone")
        #expect(excluded.lastError?.contains("no-boxes") == true)
        let later = try await Self.waitFor(trainer, "10 more steps") { $0.step >= excluded.step + 10 }
        #expect(later.state == .training && later.failedSteps == excluded.failedSteps, "no more failures")
        print(
            "measured: bad sample excluded after \(excluded.failedSteps) failed steps; error: \(excluded.lastError ?? "")"
        )

        // Fixed labels give it another chance.
        await trainer.append(Sample(id: "no-boxes", image: try samples[0].image, annotation: samples[0].annotation))
        try await Self.waitFor(trainer, "the sample included again") { $0.excludedSamples.isEmpty }
        try await Self.waitFor(trainer, "10 more steps") { $0.step >= later.step + 10 }
        #expect(await trainer.status.failedSteps == excluded.failedSteps)
        try await trainer.shutdown()
    }

    @Test("a removed sample is never drawn again and returns when appended again")
    func removedSampleLeavesTraining() async throws {
        let samples = try BloodCellSamples.load(count: 4)
        let model = try TinyBoxRegressor(seed: 6)
        let trainer = Trainer(
            model: model, dataset: DynamicDataset(samples),
            configuration: .init(sampler: .init(batchSize: 2), plateau: Self.neverPlateaus))
        try await Self.waitFor(trainer, "5 steps") { $0.step >= 5 }
        let gone = samples[1].id
        #expect(await trainer.remove(id: gone))
        #expect(await !trainer.remove(id: gone), "already removed")
        let cut = model.events.count  // a step in flight may still hold it
        let after = try await Self.waitFor(trainer, "30 more steps") { $0.step >= 35 }
        #expect(after.samples == 3 && after.excludedSamples.isEmpty, "removed is not reported as failed")
        let later = model.events.dropFirst(cut + 1).filter { $0.kind == .step }
        #expect(later.count >= 25 && !later.contains { $0.ids.contains(gone) })

        await trainer.append(samples[1])
        try await Self.waitFor(trainer, "the sample back") { $0.samples == 4 }
        try await Self.waitFor(trainer, seconds: 60, "it drawn again") { _ in
            model.events.dropFirst(cut + 1 + later.count).contains { $0.ids.contains(gone) }
        }
        try await trainer.shutdown()
    }

    @Test("a resumed trainer has every tensor, the step, sampler and detector of the checkpoint")
    func checkpointResume() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples = try BloodCellSamples.load(count: 4)
        let modelA = try TinyBoxRegressor(seed: 5)
        let a = Trainer(
            model: modelA, dataset: DynamicDataset(samples),
            configuration: .init(plateau: Self.neverPlateaus, checkpointDirectory: directory.url, checkpointEvery: 10))
        try await Self.waitFor(a, "25 steps") { $0.step >= 25 }
        let saved = try #require(try await a.shutdown())
        let statusA = await a.status
        #expect(statusA.lastCheckpointStep == statusA.step)
        let stateA = try modelA.state()  // the loop has stopped: the model is ours to read
        #expect(stateA.keys.contains { $0.hasPrefix("optimizer.") && $0.hasSuffix("exp_avg_sq") })
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
            $0.hasPrefix("checkpoint-")
        }
        #expect(kept.count == 2, "periodic checkpoints pruned to the newest two: \(kept)")

        let modelB = try TinyBoxRegressor(seed: 6)  // different initial weights
        let b = try Trainer.resume(
            from: directory.url, model: modelB,
            configuration: .init(checkpointDirectory: directory.url.appendingPathComponent("b"), startsPaused: true)
        ) { id in samples.first { $0.id == id } }
        let stateB = try await b.modelState()
        #expect(Set(stateB.keys) == Set(stateA.keys))
        for (name, tensor) in stateA {
            let other = try #require(stateB[name])
            #expect(other.shape == tensor.shape && other.dtype == tensor.dtype, "\(name)")
            #expect(try other.bytes() == tensor.bytes(), "\(name) differs after resume")
        }
        let statusB = await b.status
        #expect(statusB.step == statusA.step && statusB.samples == 4 && statusB.state == .paused)

        let recordA = try TrainerCheckpoint.read(from: saved).checkpoint
        let recordB = try TrainerCheckpoint.read(from: try await b.checkpoint()).checkpoint
        #expect(recordB.step == recordA.step && recordB.sampleIDs == recordA.sampleIDs)
        #expect(recordB.sampler == recordA.sampler && recordB.detector == recordA.detector)

        await b.start()
        try await Self.waitFor(b, "training on from the checkpoint") { $0.step >= statusA.step + 5 }
        try await b.shutdown()
        print("measured: resumed at step \(statusA.step), \(stateA.count) tensors identical")
    }

    @Test("resuming without some samples drops them and keeps the others' counts")
    func resumeWithMissingSample() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples = try BloodCellSamples.load(count: 3)
        let a = Trainer(
            model: try TinyBoxRegressor(seed: 7), dataset: DynamicDataset(samples),
            configuration: .init(plateau: Self.neverPlateaus, checkpointDirectory: directory.url, checkpointEvery: 0))
        try await Self.waitFor(a, "10 steps") { $0.step >= 10 }
        let saved = try #require(try await a.shutdown())
        let before = try TrainerCheckpoint.read(from: saved).checkpoint.sampler.seenCounts
        let b = try Trainer.resume(
            from: directory.url, model: try TinyBoxRegressor(seed: 8),
            configuration: .init(checkpointDirectory: directory.url.appendingPathComponent("b"), startsPaused: true)
        ) { id in
            id == samples[1].id ? nil : samples.first { $0.id == id }
        }
        #expect(b.dataset.ids == [samples[0].id, samples[2].id])
        let after = try TrainerCheckpoint.read(from: try await b.checkpoint()).checkpoint
        #expect(after.sampler.seenCounts == [before[0], before[2]])
        #expect(after.sampleIDs == [samples[0].id, samples[2].id])
        try await b.shutdown()
    }

    @Test("status updates give the newest snapshot, from the current one on, and finish when the trainer stops")
    func statusStream() async throws {
        let samples = try BloodCellSamples.load(count: 2)
        let trainer = Trainer(model: try TinyBoxRegressor(seed: 9), configuration: .init(plateau: Self.neverPlateaus))
        let updates = trainer.statusUpdates()
        let collector = Task {
            var seen: [TrainerStatus] = []
            for await status in updates { seen.append(status) }
            return seen
        }
        await trainer.append(samples[0])
        await trainer.append(samples[1])
        try await Self.waitFor(trainer, "5 steps") { $0.step >= 5 }
        try await trainer.shutdown()
        let seen = await collector.value
        #expect(seen.count >= 2)
        #expect(seen.contains { $0.state == .training })
        #expect(seen.last?.state == .stopped)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.step <= $1.step }, "steps never go back")
    }
}

func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
