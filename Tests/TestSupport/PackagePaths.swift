import Foundation

/// Where the tests find what lives beside the sources: the package root (`.venv`, `scripts/`, `docs/`), the
/// git-ignored `assets/` that `make setup` fills (scripts/setup_assets.sh), and the read-only annotated sets in
/// `../shared/datasets`, present for developers and CI.
public enum PackagePaths {
    /// Found from this file's path (Tests/TestSupport/PackagePaths.swift), so tests run from any directory.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().standardized

    public static let assets = root.appendingPathComponent("assets")
    /// ImageNet weights of the backbones, as safetensors.
    public static let weights = assets.appendingPathComponent("weights")
    public static func photo(_ name: String) -> URL { assets.appendingPathComponent("photos/\(name)") }

    public static let datasets = root.appendingPathComponent("../shared/datasets").standardized
    public static var datasetsAvailable: Bool { FileManager.default.fileExists(atPath: datasets.path) }
    /// A file or folder inside the shared datasets, e.g. `dataset("stardist-nuclei/coco.json")`.
    public static func dataset(_ relativePath: String) -> URL { datasets.appendingPathComponent(relativePath) }
    /// A shared set's COCO file, e.g. `coco("deepforest-trees")`.
    public static func coco(_ set: String) -> URL { dataset("\(set)/coco.json") }
}
