import Foundation
import Store

/// Labels as COCO JSON (snake_case keys): category ids are class index + 1 (COCO reserves 0),
/// `file_name` is the server's file name, boxes are [x, y, width, height] in pixels, and instance
/// masks are uncompressed RLE `segmentation`s (`size` is [height, width], as pycocotools reads it).
enum COCOExport {
    struct Document: Codable {
        struct Image: Codable {
            var id: Int64
            var fileName: String
            var width: Int
            var height: Int
        }
        struct Object: Codable {
            var id: Int
            var imageId: Int64
            var categoryId: Int
            var bbox: [Double]
            var area: Double
            var iscrowd: Int
            var segmentation: RLE?
        }
        struct RLE: Codable {
            var size: [Int]
            var counts: [Int]
        }
        struct Category: Codable {
            var id: Int
            var name: String
        }
        var images: [Image]
        var annotations: [Object]
        var categories: [Category]
    }

    static func document(project: ProjectSummary, images: [LabelledImage]) -> Document {
        var objects: [Document.Object] = []
        for labelled in images {
            for box in labelled.annotation.objects {
                let (w, h) = (box.x2 - box.x1, box.y2 - box.y1)
                let rle = box.mask.map { Document.RLE(size: [$0.height, $0.width], counts: $0.counts) }
                // With a mask, COCO's area is the mask's pixel count (the odd runs).
                let maskArea = box.mask.map { mask in mask.counts.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reduce(0, +) }
                objects.append(
                    .init(
                        id: objects.count + 1, imageId: labelled.image.id, categoryId: box.classIndex + 1,
                        bbox: [box.x1, box.y1, w, h], area: maskArea.map(Double.init) ?? w * h, iscrowd: 0,
                        segmentation: rle))
            }
        }
        return Document(
            images: images.map {
                .init(id: $0.image.id, fileName: $0.image.fileName, width: $0.image.width, height: $0.image.height)
            },
            annotations: objects,
            categories: project.classes.map { .init(id: $0.index + 1, name: $0.name) })
    }

    static func json(project: ProjectSummary, images: [LabelledImage]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // fileName -> file_name, as COCO spells it
        // Encoding plain structs of finite numbers cannot fail.
        return try! encoder.encode(document(project: project, images: images))
    }
}
