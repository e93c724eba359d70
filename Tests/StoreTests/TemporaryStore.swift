import Foundation
import Store
import TestSupport

/// A store on a real SQLite file in a fresh temporary folder, removed when the test is done with it.
final class TemporaryStore {
    private let directory: TemporaryDirectory
    var folder: URL { directory.url }
    private(set) var store: Store
    var path: String { folder.appendingPathComponent("livetrain.sqlite").path }

    init() throws {
        directory = try TemporaryDirectory(prefix: "store-tests")
        store = try Store(path: directory.url.appendingPathComponent("livetrain.sqlite").path)
    }

    /// Closes the database and opens the same file again, as a restarted server would.
    func reopen() throws {
        try store.close()
        store = try Store(path: path)
    }

    deinit {
        try? store.close()
        directory.remove()
    }
}

/// A detection project "trees" with classes tree (0) and shrub (1) and one 100x80 image.
func treeProject(_ store: Store) async throws -> (project: Int64, image: Int64) {
    let project = try await store.createProject(
        name: "trees", task: .detection, classes: [NewClass(name: "tree"), NewClass(name: "shrub", colour: "#00FF00")])
    let image = try await store.addImage(
        project: project.project.id, fileName: "a.png", originalName: "tile 1.png", width: 100, height: 80)
    return (project.project.id, image.id)
}

/// A detection project of `count` 10x10 images (no pixels on disk): the store's view is all these tests need.
func project(with count: Int, in store: Store) async throws -> (Int64, [Int64]) {
    let project = try await store.createProject(name: "p", task: .detection, classes: [.init(name: "a")])
    var ids: [Int64] = []
    for i in 0..<count {
        ids.append(
            try await store.addImage(
                project: project.project.id, fileName: "\(i).jpg", originalName: "\(i).jpg", width: 10, height: 10
            ).id)
    }
    return (project.project.id, ids)
}
