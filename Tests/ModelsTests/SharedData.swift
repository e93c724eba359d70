import Foundation

/// The real annotated sets in ../shared/datasets (read-only; present for developers and CI).
enum SharedData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/datasets")
    static func coco(_ set: String) -> URL { root.appendingPathComponent("\(set)/coco.json") }
}
