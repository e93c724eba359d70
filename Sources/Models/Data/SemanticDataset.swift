import Formats
import Foundation
import Vision

/// A semantic-segmentation set on disk: `dataset.json` with `classes` ([{id, name}], id 0 = background)
/// and `images` ([{file_name, mask, width, height}]), masks being PNG label maps of class ids.
public struct SemanticDataset: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var url: URL
        public var mask: URL
    }
    public var classes: [String]
    public var entries: [Entry]

    private struct File: Decodable {
        struct Class: Decodable { var id: Int; var name: String }
        struct Item: Decodable { var file_name: String; var mask: String }
        var classes: [Class]
        var images: [Item]
    }

    public init(contentsOf json: URL) throws {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(contentsOf: json)) } catch {
            throw DatasetError("cannot read semantic dataset '\(json.path)': \(error)")
        }
        let sorted = file.classes.sorted { $0.id < $1.id }
        guard sorted.map(\.id) == Array(0..<sorted.count) else { throw DatasetError("'\(json.lastPathComponent)': class ids must be 0..<n") }
        classes = sorted.map(\.name)
        let folder = json.deletingLastPathComponent()
        entries = file.images.map {
            Entry(id: $0.file_name, url: folder.appendingPathComponent($0.file_name), mask: folder.appendingPathComponent($0.mask))
        }
    }

    /// Decodes image and label map; a map of another size or with labels outside the class list is an
    /// error naming the file (the rules of `LabelMapFiles`, which the server's import applies too).
    public func sample(_ entry: Entry) throws -> Sample {
        let image = try Image(contentsOf: entry.url)
        let decoded = try LabelMap(contentsOf: entry.mask)
        let labels: LabelMap
        do throws(FormatError) {
            labels = try LabelMapFiles.checked(
                decoded, width: image.width, height: image.height, classCount: classes.count, owner: "the dataset")
        } catch {
            var named = error
            named.file = entry.mask.lastPathComponent
            throw named
        }
        return Sample(id: entry.id, image: image, annotation: Annotation(labels: labels))
    }
}
