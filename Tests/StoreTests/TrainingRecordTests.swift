import Store
import Testing

@Suite("opened predictions, live evaluations, checkpoints")
struct TrainingRecordTests {
    @Test("a shown pre-label is handed back once for scoring and scored once")
    func scoredOnce() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let opened = try await temp.store.recordOpened(
            project: project, image: image, prediction: #"{"objects":[]}"#, shown: true, modelStep: 7, who: "ana")
        let saved = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "ana")
        #expect(saved.unscoredPrediction == opened)
        let evaluation = try await temp.store.recordEvaluation(
            openedPrediction: opened.id, primary: 1, secondary: 1, primaryEMA: 0.1, secondaryEMA: 0.1, perClass: ["tree": 1])
        #expect(evaluation?.perClass == ["tree": 1] && evaluation?.shown == true)
        #expect(try await temp.store.recordEvaluation(openedPrediction: opened.id, primary: 0, secondary: 0, primaryEMA: 0, secondaryEMA: 0) == nil)
        let again = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .edited, who: "ana")
        #expect(again.unscoredPrediction == nil)
        #expect(try await temp.store.evaluations(project: project).map(\.primary) == [1])
    }

    @Test("a hidden prediction is scored too and says so; an open with no prediction gives nothing to score")
    func hiddenAndNone() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let hidden = try await temp.store.recordOpened(
            project: project, image: image, prediction: #"{"objects":[]}"#, shown: false, modelStep: 3, who: "ana")
        let saved = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "ana")
        #expect(saved.unscoredPrediction == hidden && hidden.shown == false)
        try await temp.store.recordEvaluation(openedPrediction: hidden.id, primary: 0, secondary: 0, primaryEMA: 0, secondaryEMA: 0)
        #expect(try await temp.store.evaluations(project: project).map(\.shown) == [false])

        _ = try await temp.store.recordOpened(project: project, image: image, prediction: nil, shown: true, modelStep: nil, who: "ana")
        let again = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "ana")
        #expect(again.unscoredPrediction == nil)
    }

    @Test("a submit naming its opening is scored against that one, not a later open; another image's opening stores nothing")
    func namedOpening() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let other = try await temp.store.addImage(
            project: project, fileName: "b.png", originalName: "tile 2.png", width: 100, height: 80)
        let shown = try await temp.store.recordOpened(
            project: project, image: image, prediction: #"{"objects":[]}"#, shown: true, modelStep: 7, who: "ana")
        // The fresher-pre-label poll opened it again while the annotator had already started on the first.
        let unseen = try await temp.store.recordOpened(
            project: project, image: image, prediction: #"{"objects":[]}"#, shown: true, modelStep: 9, who: "ana")
        let elsewhere = try await temp.store.recordOpened(
            project: project, image: other.id, prediction: #"{"objects":[]}"#, shown: true, modelStep: 9, who: "ana")

        await #expect(throws: StoreError.unknownOpening(image: image, opening: elsewhere.id)) {
            try await temp.store.saveAnnotation(
                project: project, image: image, objects: [], source: .drawn, who: "ana", opening: elsewhere.id)
        }
        #expect(try await temp.store.image(project: project, id: image).status == .unlabelled)

        let saved = try await temp.store.saveAnnotation(
            project: project, image: image, objects: [], source: .drawn, who: "ana", opening: shown.id)
        #expect(saved.unscoredPrediction == shown && saved.unscoredPrediction != unseen)
        try await temp.store.recordEvaluation(openedPrediction: shown.id, primary: 1, secondary: 1, primaryEMA: 1, secondaryEMA: 1)
        // Named again once scored: nothing left to score, and the unseen one is not scored in its place.
        let again = try await temp.store.saveAnnotation(
            project: project, image: image, objects: [], source: .edited, who: "ana", opening: shown.id)
        #expect(again.unscoredPrediction == nil)
    }

    @Test("the latest checkpoint is the one with the highest step")
    func latestCheckpoint() async throws {
        let temp = try TemporaryStore()
        let (project, _) = try await treeProject(temp.store)
        #expect(try await temp.store.latestCheckpoint(project: project) == nil)
        try await temp.store.recordCheckpoint(project: project, step: 100, path: "b")
        try await temp.store.recordCheckpoint(project: project, step: 50, path: "a")
        #expect(try await temp.store.latestCheckpoint(project: project)?.path == "b")
    }
}
