import Foundation
import Store

/// A store on a real SQLite file in a fresh temporary folder, removed when the test is done with it.
final class TemporaryStore {
    let folder: URL
    private(set) var store: Store
    var path: String { folder.appendingPathComponent("livetrain.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("livetrain.sqlite").path)
    }

    /// Closes the database and opens the same file again, as a restarted server would.
    func reopen() throws {
        try store.close()
        store = try Store(path: path)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: folder)
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
