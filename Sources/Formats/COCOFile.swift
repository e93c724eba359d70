import Foundation
import Vision

/// A COCO detection file (boxes, and polygons or RLE masks): the one model of it that the importer,
/// the export, the dataset readers and the tests share. Keys are COCO's snake_case; what nothing here
/// needs (`info`, `licenses`, keypoints) is ignored when read.
public struct COCOFile: Codable, Sendable, Equatable {
    public struct Image: Codable, Sendable, Equatable {
        public var id: Int64
        public var fileName: String
        /// Optional when read: some files list images by name only.
        public var width: Int?
        public var height: Int?
        /// The photo a tile was cut from, in sets split by it (a site-wise held-out split).
        public var sourceImage: String?
        /// livetrain's measured annotation time (not COCO's): who labelled the image first, how many
        /// images the project had labelled before it, and the active seconds summed over its versions.
        public var annotator: String?
        public var labelledIndex: Int?
        public var annotationSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case id
            case fileName = "file_name"
            case width, height
            case sourceImage = "source_image"
            case annotator
            case labelledIndex = "labelled_index"
            case annotationSeconds = "annotation_seconds"
        }

        public init(
            id: Int64, fileName: String, width: Int?, height: Int?, sourceImage: String? = nil, annotator: String? = nil,
            labelledIndex: Int? = nil, annotationSeconds: Double? = nil
        ) {
            self.id = id
            self.fileName = fileName
            self.width = width
            self.height = height
            self.sourceImage = sourceImage
            self.annotator = annotator
            self.labelledIndex = labelledIndex
            self.annotationSeconds = annotationSeconds
        }
    }

    public struct Category: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Object: Codable, Sendable, Equatable {
        public var id: Int64?
        public var imageId: Int64
        public var categoryId: Int
        /// [x, y, width, height] in pixels; any count when read, so the error can say which object.
        public var bbox: [Double]
        public var area: Double?
        /// 1 for a crowd region: many objects outlined as one.
        public var iscrowd: Int?
        public var segmentation: COCOSegmentation?

        enum CodingKeys: String, CodingKey {
            case id
            case imageId = "image_id"
            case categoryId = "category_id"
            case bbox, area, iscrowd, segmentation
        }

        public init(
            id: Int64?, imageId: Int64, categoryId: Int, bbox: [Double], area: Double? = nil, iscrowd: Int? = nil,
            segmentation: COCOSegmentation? = nil
        ) {
            self.id = id
            self.imageId = imageId
            self.categoryId = categoryId
            self.bbox = bbox
            self.area = area
            self.iscrowd = iscrowd
            self.segmentation = segmentation
        }
    }

    public var images: [Image]
    public var annotations: [Object]
    public var categories: [Category]

    enum CodingKeys: String, CodingKey { case images, annotations, categories }

    public init(images: [Image], annotations: [Object], categories: [Category]) {
        self.images = images
        self.annotations = annotations
        self.categories = categories
    }

    /// Image-only files (a folder listing) omit `annotations` and `categories`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        images = try c.decode([Image].self, forKey: .images)
        annotations = try c.decodeIfPresent([Object].self, forKey: .annotations) ?? []
        categories = try c.decodeIfPresent([Category].self, forKey: .categories) ?? []
    }
}

extension COCOFile {
    /// Reads a COCO file; `file` names it in errors. Two images or two categories with one id are
    /// refused: which of them an annotation means cannot be known.
    public static func read(_ data: Data, file: String? = nil) throws(FormatError) -> COCOFile {
        let coco: COCOFile
        do {
            coco = try JSONDecoder().decode(COCOFile.self, from: data)
        } catch let error as DecodingError {
            throw FormatError(error, format: .coco, file: file)
        } catch {
            throw FormatError(.coco, file: file, .malformed("\(error)"))
        }
        var images = Set<Int64>()
        for (i, image) in coco.images.enumerated() where !images.insert(image.id).inserted {
            throw FormatError(.coco, file: file, field: "images[\(i)].id", .duplicateID(image.id))
        }
        var categories = Set<Int>()
        for (i, category) in coco.categories.enumerated() where !categories.insert(category.id).inserted {
            throw FormatError(.coco, file: file, field: "categories[\(i)].id", .duplicateID(Int64(category.id)))
        }
        return coco
    }

    /// The file as JSON, keys sorted so that equal files are equal bytes.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Only a non-finite number can fail, and files are written from stored boxes, checked finite
        // and inside their image (or from files read, where JSON has no such numbers).
        return try! encoder.encode(self)
    }
}

extension COCOFile {
    /// What to do with `segmentation`: detection ignores it, instance imports take boxes without one,
    /// instance datasets need one on every object.
    public enum Masks: Sendable { case ignore, optional, required }

    /// Positions in `annotations` by image id, in file order: what `objects(at:...)` takes per image.
    public func annotationIndices() -> [Int64: [Int]] {
        Dictionary(grouping: annotations.indices, by: { annotations[$0].imageId })
    }

    /// The objects of the annotations at `indices` (one image's) on a `width` x `height` image, category
    /// ids mapped to class indices through `classIndex`. Crowd regions (`iscrowd` 1) are left out: one
    /// outline around many objects is no object to learn or to correct. The first annotation that
    /// cannot be read throws, naming its field.
    public func objects(at indices: [Int], width: Int, height: Int, classIndex: [Int: Int], masks: Masks)
        throws(FormatError) -> [DatasetObject]
    {
        var objects: [DatasetObject] = []
        for i in indices {
            let object = annotations[i]
            guard (object.iscrowd ?? 0) == 0 else { continue }
            guard object.bbox.count == 4 else {
                throw FormatError(.coco, field: "annotations[\(i)].bbox", .boxValues(object.bbox.count))
            }
            guard let index = classIndex[object.categoryId] else {
                throw FormatError(.coco, field: "annotations[\(i)].category_id", .unknownCategory(object.categoryId))
            }
            var mask: COCORLE?
            if masks != .ignore, let segmentation = object.segmentation {
                do throws(FormatError) {
                    mask = try segmentation.mask(width: width, height: height)
                } catch {
                    var located = error
                    located.field = "annotations[\(i)].segmentation"
                    throw located
                }
            }
            if masks == .required, mask == nil {
                throw FormatError(.coco, field: "annotations[\(i)]", .missingField("segmentation"))
            }
            let b = object.bbox
            objects.append(DatasetObject(classIndex: index, x1: b[0], y1: b[1], x2: b[0] + b[2], y2: b[1] + b[3], mask: mask))
        }
        return objects
    }

    /// The file of labelled images: category ids are class index + 1 (COCO reserves 0), object ids
    /// count from 1, boxes are [x, y, width, height], and masks are uncompressed RLE with their pixel
    /// count as `area` (the box's area without one).
    public init(classes: [String], images: [(image: Image, objects: [DatasetObject])]) {
        var annotations: [Object] = []
        for (image, objects) in images {
            for box in objects {
                let (w, h) = (box.x2 - box.x1, box.y2 - box.y1)
                // A mask's pixels are its odd runs.
                let maskArea = box.mask.map { $0.counts.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).reduce(0, +) }
                annotations.append(
                    Object(
                        id: Int64(annotations.count + 1), imageId: image.id, categoryId: box.classIndex + 1,
                        bbox: [box.x1, box.y1, w, h], area: maskArea.map(Double.init) ?? w * h, iscrowd: 0,
                        segmentation: box.mask.map(COCOSegmentation.init)))
            }
        }
        self.init(
            images: images.map(\.image), annotations: annotations,
            categories: classes.enumerated().map { Category(id: $0.offset + 1, name: $0.element) })
    }
}
