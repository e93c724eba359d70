import Foundation
import Models
import Testing
import Vision

@testable import LiveTraining

/// The annotation loop the server and the replay share: gating of pre-labels and scoring on submit.
@Suite("live session", .serialized)
struct LiveSessionTests {
    @Test("a pre-label is shown only once the live metric is above zero and the model has trained")
    func gating() async throws {
        let samples = try BloodCellSamples.load(count: 3)
        let trainer = Trainer(
            model: try TinyBoxRegressor(seed: 11), dataset: DynamicDataset(Array(samples.prefix(2))),
            configuration: .init(plateau: TrainerTests.neverPlateaus, startsPaused: true))
        // Ready by its restored metric, but the model has not taken a step: hidden.
        let session = LiveSession(
            trainer: trainer, task: .detection, classes: 1, restoring: [.init(imageID: "old", primary: 0.4, secondary: 0.6, perClass: nil)])
        let before = try await session.open(try samples[2].image)
        #expect(before.modelStep == 0 && !before.shown && !session.isReady)
        await trainer.start()
        try await TrainerTests.waitFor(trainer, "a step") { $0.step > 0 }
        let after = try await session.open(try samples[2].image)
        #expect(after.modelStep > 0 && after.shown && session.isReady)
        #expect(session.averages.primary == 0.4 && session.averages.secondary == 0.6)

        // Not ready by its metric: hidden whatever the step.
        let fresh = LiveSession(trainer: trainer, task: .detection, classes: 1)
        #expect(!(try await fresh.open(try samples[2].image)).shown)
        try await trainer.shutdown()
    }

    @Test("submit scores what was opened with the evaluator's metric, then trains on the sample; nothing opened, nothing scored")
    func submit() async throws {
        let samples = try BloodCellSamples.load(count: 3)
        let trainer = Trainer(model: try TinyBoxRegressor(seed: 12), configuration: .init(plateau: TrainerTests.neverPlateaus))
        let session = LiveSession(trainer: trainer, task: .detection, classes: 1)
        #expect(await session.submit(samples[0], opened: nil) == nil)
        let opening = try await session.open(try samples[1].image)
        let evaluation = try #require(await session.submit(samples[1], opened: opening.prediction))
        let expected = LiveEvaluator.score(prediction: opening.prediction, annotation: samples[1].annotation, task: .detection)
        #expect(evaluation.primary == expected.primary && evaluation.secondary == expected.secondary)
        #expect(evaluation.primaryEMA == expected.primary, "the first score starts the average")
        #expect(trainer.dataset.ids == [samples[0].id, samples[1].id])
        // The min score is calibrated on the scored image: the threshold that would have cost least.
        let expectedThreshold = CorrectionCostModel().calibratedThreshold([(opening.prediction, samples[1].annotation)])
        #expect(session.suggestedMinScore != nil && session.suggestedMinScore == expectedThreshold)
        // And per class, on the same image, with the global one as their fallback.
        let expectedClasses = CorrectionCostModel().calibratedClassThresholds([(opening.prediction, samples[1].annotation)])
        #expect(session.suggestedClassThresholds == expectedClasses && session.suggestedClassThresholds?.global == expectedThreshold)
        try await trainer.shutdown()
    }
}
