import Store
import Testing

@Suite("images")
struct ImageTests {
    @Test("pages follow insertion order and report the filtered total")
    func paging() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 5, in: temp.store)
        _ = try await temp.store.skipImage(project: project, id: ids[1])
        let page = try await temp.store.images(project: project, offset: 1, limit: 2)
        #expect(page.total == 5)
        #expect(page.items.map(\.id) == [ids[1], ids[2]])
        let unlabelled = try await temp.store.images(project: project, status: .unlabelled)
        #expect(unlabelled.total == 4)
        #expect(unlabelled.items.map(\.id) == [ids[0], ids[2], ids[3], ids[4]])
        await #expect(throws: StoreError.self) { try await temp.store.images(project: project, limit: 0) }
        await #expect(throws: StoreError.self) { try await temp.store.images(project: project, offset: -1) }
    }

    @Test("next unlabelled skips labelled and skipped images, goes past `after`, and wraps")
    func nextUnlabelled() async throws {
        let temp = try TemporaryStore()
        let (project, ids) = try await project(with: 4, in: temp.store)
        _ = try await temp.store.skipImage(project: project, id: ids[0])
        _ = try await temp.store.saveAnnotation(project: project, image: ids[1], objects: [], source: .drawn, who: "a")
        #expect(try await temp.store.nextUnlabelled(project: project)?.id == ids[2])
        #expect(try await temp.store.nextUnlabelled(project: project, after: ids[2])?.id == ids[3])
        #expect(try await temp.store.nextUnlabelled(project: project, after: ids[3])?.id == ids[2])
        _ = try await temp.store.skipImage(project: project, id: ids[2])
        _ = try await temp.store.skipImage(project: project, id: ids[3])
        #expect(try await temp.store.nextUnlabelled(project: project) == nil)
    }

    @Test("a labelled image cannot be skipped")
    func skipLabelled() async throws {
        let temp = try TemporaryStore()
        let (project, image) = try await treeProject(temp.store)
        _ = try await temp.store.saveAnnotation(project: project, image: image, objects: [], source: .drawn, who: "a")
        await #expect(throws: StoreError.alreadyLabelled(image: image)) {
            try await temp.store.skipImage(project: project, id: image)
        }
    }
}
