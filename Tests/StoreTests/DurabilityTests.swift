import Formats
import Foundation
import Store
import Testing

@Suite("durability")
struct DurabilityTests {
    @Test("everything written is there after closing and reopening the file")
    func closeAndReopen() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let box = DatasetObject(classIndex: 1, x1: 1, y1: 2, x2: 30, y2: 40)
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [box], source: .drawn, who: "ana")
        let opened = try await temp.store.recordOpened(
            project: project, image: image, prediction: #"{"objects":[]}"#, shown: true, modelStep: 12, who: "ana")
        try await temp.store.recordEvaluation(openedPrediction: opened.id, primary: 0.5, secondary: 0.75, primaryEMA: 0.2, secondaryEMA: 0.2)
        try await temp.store.recordCheckpoint(project: project, step: 12, path: "/data/ckpt-12.safetensors")
        let (secret, _) = try await temp.store.createToken(name: "ana", isAdmin: false)

        try temp.reopen()
        let store = temp.store
        let summary = try await store.project(project)
        #expect(summary.classes.map(\.name) == ["tree", "shrub"])
        #expect(summary.counts == ImageCounts(total: 1, unlabelled: 0, labelled: 1, skipped: 0))
        #expect(try await store.annotation(project: project, image: image).objects == [box])
        #expect(try await store.history(project: project, image: image).count == 1)
        #expect(try await store.evaluations(project: project).map(\.secondary) == [0.75])
        #expect(try await store.latestCheckpoint(project: project)?.step == 12)
        #expect(try await store.authenticate(secret: secret)?.account.name == "ana")
    }

    @Test("a second store on the same file sees a write as soon as it returns")
    func visibleAcrossConnections() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let other = try Store(path: temp.path)
        defer { try? other.close() }
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "ana")
        #expect(try await other.image(project: project, id: image).status == .labelled)
    }
}
