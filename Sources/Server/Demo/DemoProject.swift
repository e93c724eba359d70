import Foundation
import Store
import Vision

/// The demo: a detection project of aerial RGB tiles of tree crowns (from PyPI's deepforest wheel,
/// put in assets/demo by scripts/setup_demo_data.sh), ready to label.
public enum DemoProject {
    public static let name = "Demo: tree crowns from the air"

    /// Creates the project once (an existing one is reused) and imports every image of `source`, cutting
    /// those larger than 600 px into 400x400 tiles named `<image>_x<X>_y<Y>.png`.
    public static func prepare(store: Store, config: ServerConfig, source: URL) async throws -> ProjectSummary {
        if let existing = try await store.projects().first(where: { $0.project.name == name }) { return existing }
        let files = try FileManager.default.contentsOfDirectory(at: source, includingPropertiesForKeys: nil)
            .filter { ["png", "jpg", "jpeg"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no demo images in \(source.path): run `make setup`"])
        }
        let summary = try await store.createProject(name: name, task: .detection, classes: [NewClass(name: "tree", colour: "#2ca25f")])
        let intake = ImageIntake(store: store, files: ImageFiles(root: config.imagesDirectory, maxPixels: config.limits.maxImagePixels))
        for file in files {
            let image = try Image(contentsOf: file)
            let stem = file.deletingPathExtension().lastPathComponent
            let pieces = image.width > 600 || image.height > 600 ? image.tiles(side: 400) : [(0, 0, image)]
            for (x, y, tile) in pieces {
                _ = try await intake.add(try tile.pngData(), originalName: "\(stem)_x\(x)_y\(y).png", project: summary.project.id)
            }
        }
        return try await store.project(summary.project.id)
    }
}
