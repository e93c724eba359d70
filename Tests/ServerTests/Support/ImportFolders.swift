import Foundation
import TestSupport

/// A temporary `images/` + `labels/` pair for the import tests; `remove()` deletes both.
struct ImportFolders {
    private let directory: TemporaryDirectory
    var root: URL { directory.url }
    var images: URL { root.appendingPathComponent("images", isDirectory: true) }
    var labels: URL { root.appendingPathComponent("labels", isDirectory: true) }

    init(_ prefix: String) throws {
        directory = try TemporaryDirectory(prefix: prefix)
        for folder in [images, labels] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    }

    func remove() { directory.remove() }
}
