import Formats
import Store
import Testing

@Suite("annotations")
struct AnnotationTests {
    @Test("saving twice keeps both versions in the history with who and how")
    func historyKept() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let first = [DatasetObject(classIndex: 0, x1: 10, y1: 10, x2: 20, y2: 20)]
        let second = first + [DatasetObject(classIndex: 1, x1: 50, y1: 50, x2: 60, y2: 70)]
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: first, source: .drawn, who: "ana")
        let saved = try await temp.store.saveAnnotation(
            project: project, image: image, objects: second, source: .edited, who: "ben")
        #expect(saved.image.status == .labelled)
        #expect(try await temp.store.annotation(project: project, image: image).objects == second)
        let history = try await temp.store.history(project: project, image: image)
        #expect(history.map(\.objects) == [first, second])
        #expect(history.map(\.who) == ["ana", "ben"])
        #expect(history.map(\.source) == [.drawn, .edited])
    }

    @Test("an unknown class index is rejected with the object and the known range, and nothing is stored")
    func unknownClass() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let objects = [
            DatasetObject(classIndex: 0, x1: 1, y1: 1, x2: 5, y2: 5), DatasetObject(classIndex: 2, x1: 1, y1: 1, x2: 5, y2: 5),
        ]
        await #expect(throws: StoreError.unknownClass(object: 1, classIndex: 2, classCount: 2)) {
            try await temp.store.saveAnnotation(project: project, image: image, objects: objects, source: .drawn, who: "ana")
        }
        await #expect(throws: StoreError.unknownClass(object: 0, classIndex: -1, classCount: 2)) {
            try await temp.store.saveAnnotation(
                project: project, image: image, objects: [DatasetObject(classIndex: -1, x1: 1, y1: 1, x2: 5, y2: 5)],
                source: .drawn, who: "ana")
        }
        #expect(try await temp.store.history(project: project, image: image).isEmpty)
        #expect(try await temp.store.image(project: project, id: image).status == .unlabelled)
    }

    @Test("a failed save leaves the previous annotation untouched")
    func failedSaveKeepsPrevious() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let good = [DatasetObject(classIndex: 0, x1: 10, y1: 10, x2: 20, y2: 20)]
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: good, source: .drawn, who: "ana")
        await #expect(throws: StoreError.self) {
            try await temp.store.saveAnnotation(
                project: project, image: image, objects: good + [DatasetObject(classIndex: 0, x1: 0, y1: 0, x2: 500, y2: 5)],
                source: .edited, who: "ana")
        }
        #expect(try await temp.store.annotation(project: project, image: image).objects == good)
        #expect(try await temp.store.history(project: project, image: image).count == 1)
    }

    @Test("a box a pixel past the edge is clipped; one far outside is refused")
    func clipping() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        let saved = try await temp.store.saveAnnotation(
            project: project, image: image, objects: [DatasetObject(classIndex: 0, x1: -1.5, y1: 0, x2: 101, y2: 81)],
            source: .drawn, who: "ana")
        #expect(saved.annotation.objects == [DatasetObject(classIndex: 0, x1: 0, y1: 0, x2: 100, y2: 80)])
        await #expect {
            try await temp.store.saveAnnotation(
                project: project, image: image, objects: [DatasetObject(classIndex: 0, x1: 0, y1: 0, x2: 103, y2: 10)],
                source: .drawn, who: "ana")
        } throws: { error in
            guard case .boxOutOfRange(object: 0, let reason) = error as? StoreError else { return false }
            return reason.contains("100x80")
        }
    }

    @Test("non-finite and empty boxes are refused")
    func invalidBoxes() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        for box in [
            DatasetObject(classIndex: 0, x1: .nan, y1: 0, x2: 10, y2: 10),
            DatasetObject(classIndex: 0, x1: 0, y1: 0, x2: .infinity, y2: 10),
            DatasetObject(classIndex: 0, x1: 10, y1: 0, x2: 10, y2: 10),
            DatasetObject(classIndex: 0, x1: 0, y1: 20, x2: 10, y2: 5),
            DatasetObject(classIndex: 0, x1: -2, y1: 0, x2: -0.5, y2: 10),
        ] {
            await #expect {
                try await temp.store.saveAnnotation(project: project, image: image, objects: [box], source: .drawn, who: "a")
            } throws: { error in
                if case .invalidBox(object: 0, _) = error as? StoreError { return true }
                return false
            }
        }
        #expect(try await temp.store.history(project: project, image: image).isEmpty)
    }

    @Test("deleting returns the image to unlabelled and the history records the deletion")
    func delete() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        _ = try await temp.store.saveAnnotation(
            project: project, image: image, objects: [DatasetObject(classIndex: 0, x1: 1, y1: 1, x2: 9, y2: 9)],
            source: .prelabelAccepted, who: "ana")
        let after = try await temp.store.deleteAnnotation(project: project, image: image, who: "ben")
        #expect(after.status == .unlabelled)
        await #expect(throws: StoreError.annotationNotFound(image: image)) {
            try await temp.store.annotation(project: project, image: image)
        }
        #expect(try await temp.store.history(project: project, image: image).map(\.source) == [.prelabelAccepted, .deleted])
        await #expect(throws: StoreError.annotationNotFound(image: image)) {
            try await temp.store.deleteAnnotation(project: project, image: image, who: "ben")
        }
    }

    @Test("an image of another project is not found through this one")
    func crossProject() async throws {
        let temp = try TemporaryStore()
        let (_, image) = try await treeProject(temp.store)
        let other = try await temp.store.createProject(name: "other", task: .detection, classes: [.init(name: "a")])
        await #expect(throws: StoreError.imageNotFound(project: other.project.id, image: image)) {
            try await temp.store.saveAnnotation(project: other.project.id, image: image, objects: [], source: .drawn, who: "a")
        }
    }
}
