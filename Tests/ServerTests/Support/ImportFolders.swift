import Foundation

/// A temporary `images/` + `labels/` pair for the import tests; `remove()` deletes both.
struct ImportFolders {
    let root: URL
    var images: URL { root.appendingPathComponent("images", isDirectory: true) }
    var labels: URL { root.appendingPathComponent("labels", isDirectory: true) }

    init(_ prefix: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        for folder in [images, labels] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
