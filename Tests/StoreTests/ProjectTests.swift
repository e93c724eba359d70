import Store
import Testing

@Suite("projects and classes")
struct ProjectTests {
    @Test("classes get indices in order and palette colours when none is given")
    func createWithClasses() async throws {
        let temp = try TemporaryStore()
        let summary = try await temp.store.createProject(
            name: "  trees ", task: .instance, classes: [NewClass(name: "tree"), NewClass(name: "shrub", colour: "#00FF00")])
        #expect(summary.project.name == "trees")
        #expect(summary.project.task == .instance)
        #expect(summary.classes.map(\.index) == [0, 1])
        #expect(summary.classes[0].colour.hasPrefix("#"))
        #expect(summary.classes[1].colour == "#00ff00")
        let added = try await temp.store.addClass(project: summary.project.id, name: "dead tree")
        #expect(added.index == 2)
        #expect(try await temp.store.classes(project: summary.project.id).map(\.name) == ["tree", "shrub", "dead tree"])
    }

    @Test("names are unique regardless of case, for projects and for classes in a project")
    func duplicates() async throws {
        let temp = try TemporaryStore()
        let (project, _) = try await treeProject(temp.store)
        await #expect(throws: StoreError.duplicateName(kind: "project", name: "TREES")) {
            try await temp.store.createProject(name: "TREES", task: .detection, classes: [])
        }
        await #expect(throws: StoreError.duplicateName(kind: "class", name: "Tree")) {
            try await temp.store.addClass(project: project, name: "Tree")
        }
        await #expect(throws: StoreError.duplicateName(kind: "class", name: "a")) {
            try await temp.store.createProject(name: "other", task: .detection, classes: [.init(name: "A"), .init(name: "a")])
        }
        #expect(try await temp.store.projects().count == 1)
    }

    @Test("empty names and malformed colours are refused before anything is written")
    func invalidInput() async throws {
        let temp = try TemporaryStore()
        await #expect(throws: StoreError.invalidName(kind: "project", reason: "empty")) {
            try await temp.store.createProject(name: "   ", task: .detection, classes: [])
        }
        await #expect(throws: StoreError.invalidColour("red")) {
            try await temp.store.createProject(name: "p", task: .detection, classes: [.init(name: "a", colour: "red")])
        }
        // Full-width digits pass Character.isHexDigit but are no CSS colour (found by the API fuzz pass's author).
        await #expect(throws: StoreError.invalidColour("#ＡＢＣＤＥＦ")) {
            try await temp.store.createProject(name: "p", task: .detection, classes: [.init(name: "a", colour: "#ＡＢＣＤＥＦ")])
        }
        #expect(try await temp.store.projects().isEmpty)
    }

    @Test("unknown projects are reported by id")
    func unknownProject() async throws {
        let temp = try TemporaryStore()
        await #expect(throws: StoreError.projectNotFound(42)) { try await temp.store.project(42) }
        await #expect(throws: StoreError.projectNotFound(42)) { try await temp.store.addClass(project: 42, name: "x") }
    }
}
