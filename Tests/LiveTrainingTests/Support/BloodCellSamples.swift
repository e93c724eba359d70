import Foundation
import Models
import TestSupport
import Vision

/// The raw COCO json of a shared detection set, kept as read (ids included) so tests can write
/// subsets of it for pycocotools.
struct COCOFile: Codable {
    struct Image: Codable {
        var id: Int
        var file_name: String
        var width: Int
        var height: Int
    }
    struct Object: Codable {
        var id: Int
        var image_id: Int
        var category_id: Int
        var bbox: [Double]
        var area: Double
        var iscrowd: Int
    }
    struct Category: Codable {
        var id: Int
        var name: String
    }
    var images: [Image]
    var annotations: [Object]
    var categories: [Category]

    static func read(_ url: URL) throws -> COCOFile {
        try JSONDecoder().decode(COCOFile.self, from: Data(contentsOf: url))
    }

    /// Class index of a category id: its rank among the sorted category ids.
    func classIndex(ofCategory id: Int) -> Int { categories.map(\.id).sorted().firstIndex(of: id)! }
    func categoryID(ofClass index: Int) -> Int { categories.map(\.id).sorted()[index] }

    func annotation(ofImage id: Int) -> Annotation {
        Annotation(
            objects: annotations.filter { $0.image_id == id }.map {
                AnnotatedObject(classIndex: classIndex(ofCategory: $0.category_id), box: Box(coco: $0.bbox))
            })
    }
}

/// A few real BCCD blood-smear images as small training samples: each image shrunk to `size` x `size`
/// with its boxes scaled alike (the tiny test model regresses the first one).
enum BloodCellSamples {
    static func load(count: Int, size: Int = 48) throws -> [Sample] {
        let file = try COCOFile.read(PackagePaths.coco("bccd-blood-cells"))
        return try file.images.sorted { $0.id < $1.id }.prefix(count).map { entry in
            let image = try Image(contentsOf: PackagePaths.dataset("bccd-blood-cells").appendingPathComponent(entry.file_name))
            let sx = Double(size) / Double(image.width)
            let sy = Double(size) / Double(image.height)
            let objects = file.annotation(ofImage: entry.id).objects.map {
                AnnotatedObject(
                    classIndex: $0.classIndex,
                    box: Box(x1: $0.box.x1 * sx, y1: $0.box.y1 * sy, x2: $0.box.x2 * sx, y2: $0.box.y2 * sy))
            }
            return Sample(
                id: "bccd-\(entry.id)", image: image.resized(width: size, height: size),
                annotation: Annotation(objects: objects))
        }
    }
}
