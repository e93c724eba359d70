import Formats
import Foundation

/// A COCO-format detection set on disk, read through `Formats.COCOFile`: `file_name`s relative to the
/// folder holding the json, boxes as [x, y, w, h] pixels; categories become class indices 0..<n in id
/// order. Crowd regions are left out.
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

    /// Boxes only; `segmentation` is not read.
    public init(contentsOf json: URL) throws {
        try self.init(contentsOf: json, masks: .ignore)
    }

    /// Reads a COCO instance-segmentation file: like `init(contentsOf:)`, with every object's mask
    /// (`segmentation` as polygons or RLE, counts or pycocotools string) decoded.
    public static func instances(contentsOf json: URL) throws -> COCODataset {
        try COCODataset(contentsOf: json, masks: .required)
    }

    private init(contentsOf json: URL, masks: COCOFile.Masks) throws {
        let name = json.lastPathComponent
        let file = try COCOFile.read(try Data(contentsOf: json), file: name)
        let categories = file.categories.sorted { $0.id < $1.id }
        classes = categories.map(\.name)
        categoryIDs = categories.map(\.id)
        let classIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1.id, $0) })
        let byImage = file.annotationIndices()
        let folder = json.deletingLastPathComponent()
        entries = try file.images.enumerated().map { i, image in
            // A training set needs sizes: masks are drawn at them and boxes are checked against them.
            guard let width = image.width, let height = image.height else {
                throw FormatError(.coco, file: name, field: "images[\(i)]", .missingField(image.width == nil ? "width" : "height"))
            }
            let objects: [DatasetObject]
            do throws(FormatError) {
                objects = try file.objects(
                    at: byImage[image.id] ?? [], width: width, height: height, classIndex: classIndex, masks: masks)
            } catch {
                var named = error
                named.file = name
                throw named
            }
            let annotation = Annotation(objects: objects.map(AnnotatedObject.init))
            return Entry(
                id: Int(image.id), url: folder.appendingPathComponent(image.fileName), width: width, height: height,
                annotation: annotation, group: image.sourceImage)
        }
    }
}

public struct DatasetError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
