import Foundation

/// A COCO-format detection set on disk: `file_name`s relative to the folder holding the json, boxes as
/// [x, y, w, h] pixels; categories become class indices 0..<n in id order.
public struct COCODataset: Sendable {
    public struct Entry: Sendable {
        public var id: Int
        public var url: URL
        public var width: Int, height: Int
        public var annotation: Annotation
        /// Extra per-image keys some sets carry (e.g. `source_image` for a split by site).
        public var group: String?
    }

    public var classes: [String]
    public var categoryIDs: [Int]
    public var entries: [Entry]

    private struct File: Decodable {
        struct Image: Decodable {
            var id: Int
            var file_name: String
            var width: Int
            var height: Int
            var source_image: String?
        }
        struct Object: Decodable {
            var image_id: Int
            var category_id: Int
            var bbox: [Double]
            var iscrowd: Int?
        }
        struct Category: Decodable {
            var id: Int
            var name: String
        }
        var images: [Image]
        var annotations: [Object]
        var categories: [Category]
    }

    public init(contentsOf json: URL) throws {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(contentsOf: json)) } catch {
            throw DatasetError("cannot read COCO file '\(json.path)': \(error)")
        }
        let categories = file.categories.sorted { $0.id < $1.id }
        classes = categories.map(\.name)
        categoryIDs = categories.map(\.id)
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.id, $0) })
        var objects: [Int: [AnnotatedObject]] = [:]
        for a in file.annotations where (a.iscrowd ?? 0) == 0 {
            guard let c = index[a.category_id], a.bbox.count == 4 else {
                throw DatasetError("'\(json.lastPathComponent)': annotation with unknown category \(a.category_id) or malformed bbox")
            }
            objects[a.image_id, default: []].append(AnnotatedObject(classIndex: c, box: Box(coco: a.bbox)))
        }
        let folder = json.deletingLastPathComponent()
        entries = file.images.map { image in
            Entry(id: image.id, url: folder.appendingPathComponent(image.file_name), width: image.width, height: image.height,
                  annotation: Annotation(objects: objects[image.id] ?? []), group: image.source_image)
        }
    }
}

public struct DatasetError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
