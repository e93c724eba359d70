import Foundation
import Testing
import Vision

@testable import Formats

@Suite("COCO files")
struct COCOFileTests {
    /// A 6x4 image's mask with columns 2 and 3 set, rows 1 and 2.
    static let mask = COCORLE(try! PolygonRaster.fill([[2, 1, 4, 1, 4, 3, 2, 3]], width: 6, height: 4))

    func read(_ json: String) throws(FormatError) -> COCOFile { try COCOFile.read(Data(json.utf8)) }

    /// The error `body` throws, failing the test when it throws none or another type.
    func error(_ body: () throws -> Void) -> FormatError? {
        do {
            try body()
            Issue.record("no error thrown")
            return nil
        } catch {
            guard let error = error as? FormatError else {
                Issue.record("\(error) is no FormatError")
                return nil
            }
            return error
        }
    }

    @Test("objects written as COCO read back as the same objects, masks included")
    func roundTrip() throws {
        let objects = [
            DatasetObject(classIndex: 1, x1: 2, y1: 1, x2: 4, y2: 3, mask: Self.mask),
            DatasetObject(classIndex: 0, x1: 0.5, y1: 0.25, x2: 6, y2: 4),
        ]
        let written = COCOFile(
            classes: ["tree", "snag"],
            images: [
                (COCOFile.Image(id: 7, fileName: "a.png", width: 6, height: 4), objects),
                (COCOFile.Image(id: 9, fileName: "b.png", width: 6, height: 4), []),
            ])
        let read = try COCOFile.read(written.json())
        #expect(read == written)
        #expect(read.categories == [.init(id: 1, name: "tree"), .init(id: 2, name: "snag")])
        let indices = read.annotationIndices()
        #expect(indices[9] == nil)
        let back = try read.objects(at: indices[7] ?? [], width: 6, height: 4, classIndex: [1: 0, 2: 1], masks: .optional)
        #expect(back == objects)
    }

    @Test("the writer numbers categories and objects from 1, writes snake_case keys and a mask's pixel count as its area")
    func writerShape() throws {
        let file = COCOFile(
            classes: ["tree"],
            images: [
                (
                    COCOFile.Image(id: 3, fileName: "a.png", width: 6, height: 4),
                    [
                        DatasetObject(classIndex: 0, x1: 2, y1: 1, x2: 4, y2: 3, mask: Self.mask),
                        DatasetObject(classIndex: 0, x1: 0, y1: 0, x2: 3, y2: 2),
                    ]
                )
            ])
        let json = try #require(try JSONSerialization.jsonObject(with: file.json()) as? [String: Any])
        let annotations = try #require(json["annotations"] as? [[String: Any]])
        #expect(annotations.map { $0["id"] as? Int } == [1, 2])
        #expect(annotations.map { $0["image_id"] as? Int } == [3, 3])
        #expect(annotations.map { $0["category_id"] as? Int } == [1, 1])
        #expect(annotations.map { $0["area"] as? Double } == [4, 6])
        #expect(annotations.first?["bbox"] as? [Double] == [2, 1, 2, 2])
        let segmentation = try #require(annotations.first?["segmentation"] as? [String: Any])
        #expect(segmentation["size"] as? [Int] == [4, 6])
        #expect(segmentation["counts"] as? [Int] == Self.mask.counts)
        #expect(annotations.last?["segmentation"] == nil)
        #expect((json["images"] as? [[String: Any]])?.first?["file_name"] as? String == "a.png")
    }

    @Test("an image-only file reads with no annotations or categories")
    func imagesOnly() throws {
        let file = try read(#"{"images": [{"id": 1, "file_name": "a.png"}], "info": {"year": 2024}}"#)
        #expect(file.images == [.init(id: 1, fileName: "a.png", width: nil, height: nil)])
        #expect(file.annotations.isEmpty && file.categories.isEmpty)
    }

    @Test("missing fields, wrong types and nulls name the field in JSON's terms")
    func structure() {
        #expect(error { _ = try read(#"{"categories": []}"#) } == FormatError(.coco, .missingField("images")))
        #expect(
            error { _ = try read(#"{"images": [{"id": 1}]}"#) }
                == FormatError(.coco, field: "images[0]", .missingField("file_name")))
        #expect(
            error { _ = try read(#"{"images": [{"id": "one", "file_name": "a.png"}]}"#) }
                == FormatError(.coco, field: "images[0].id", .wrongType(expected: "an integer", null: false)))
        #expect(
            error { _ = try read(#"{"images": [], "annotations": [{"image_id": 1, "category_id": null, "bbox": []}]}"#) }
                == FormatError(.coco, field: "annotations[0].category_id", .wrongType(expected: "an integer", null: true)))
        #expect(
            error { _ = try read(#"{"images": [], "annotations": [{"image_id": 1, "category_id": 1, "bbox": "0 0 1 1"}]}"#) }
                == FormatError(.coco, field: "annotations[0].bbox", .wrongType(expected: "an array", null: false)))
        #expect(
            error { _ = try read(#"{"images": [], "annotations": [{"image_id": 1, "category_id": 1, "bbox": [], "segmentation": 5}]}"#) }?
                .field == "annotations[0].segmentation")
    }

    @Test("bytes that are not JSON are malformed, and the message names the file when given one")
    func notJSON() {
        let thrown = error { _ = try COCOFile.read(Data([0xFF, 0x00, 0x7B]), file: "coco.json") }
        guard case .malformed = thrown?.reason else {
            Issue.record("\(String(describing: thrown))")
            return
        }
        #expect(thrown?.description.hasPrefix("'coco.json' is not a COCO detection file: ") == true)
        #expect(
            FormatError(.coco, file: "c.json", .missingField("images")).description
                == "'c.json' is not a COCO detection file: missing field 'images'")
    }

    @Test("two images or two categories with one id are refused")
    func duplicates() {
        #expect(
            error { _ = try read(#"{"images": [{"id": 1, "file_name": "a.png"}, {"id": 1, "file_name": "b.png"}]}"#) }
                == FormatError(.coco, field: "images[1].id", .duplicateID(1)))
        #expect(
            error { _ = try read(#"{"images": [], "categories": [{"id": 4, "name": "a"}, {"id": 4, "name": "b"}]}"#) }
                == FormatError(.coco, field: "categories[1].id", .duplicateID(4)))
    }

    /// One image (6x4) with the given annotations, as JSON.
    func file(_ annotations: String) throws(FormatError) -> COCOFile {
        try read(
            #"{"images": [{"id": 1, "file_name": "a.png", "width": 6, "height": 4}], "annotations": [\#(annotations)], "categories": [{"id": 1, "name": "tree"}]}"#
        )
    }

    func objects(_ annotations: String, masks: COCOFile.Masks = .optional) throws(FormatError) -> [DatasetObject] {
        let coco = try file(annotations)
        return try coco.objects(at: coco.annotationIndices()[1] ?? [], width: 6, height: 4, classIndex: [1: 0], masks: masks)
    }

    @Test("unknown categories and boxes of 3 numbers name the annotation")
    func badObjects() {
        #expect(
            error {
                _ = try objects(
                    #"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}, {"image_id": 1, "category_id": 9, "bbox": [0, 0, 1, 1]}"#)
            }
                == FormatError(.coco, field: "annotations[1].category_id", .unknownCategory(9)))
        #expect(
            error { _ = try objects(#"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1]}"#) }
                == FormatError(.coco, field: "annotations[0].bbox", .boxValues(3)))
        #expect(
            FormatError(.coco, field: "annotations[0].bbox", .boxValues(3)).description
                == "annotations[0].bbox: bbox needs 4 numbers [x, y, width, height], got 3")
    }

    @Test("bad RLE, polygons out of range and masks of another size name the segmentation")
    func badMasks() {
        let field = "annotations[0].segmentation"
        #expect(
            error {
                _ = try objects(
                    #"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": {"size": [4, 6], "counts": [3, 6]}}"#)
            }
                == FormatError(.coco, field: field, .rle(.malformed("runs cover 9 pixels, the image has 24"))))
        let string = error {
            _ = try objects(
                #"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": {"size": [4, 6], "counts": "\u007f"}}"#)
        }
        guard case .rle = string?.reason else {
            Issue.record("\(String(describing: string))")
            return
        }
        #expect(
            error {
                _ = try objects(#"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": {"size": [4], "counts": [24]}}"#)
            }
                == FormatError(.coco, field: field, .rle(.malformed("size must be [height, width]"))))
        #expect(
            error {
                _ = try objects(#"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": [[0, 0, 1e300, 0.5, 0, 3]]}"#)
            }
                == FormatError(.coco, field: field, .polygon(.outOfRange(1e300))))
        #expect(
            error { _ = try objects(#"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": [[0, 0, 3, 0]]}"#) }
                == FormatError(.coco, field: field, .polygon(.tooFewPoints(2))))
        #expect(
            error {
                _ = try objects(
                    #"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "segmentation": {"size": [6, 4], "counts": [24]}}"#)
            }
                == FormatError(.coco, field: field, .maskSize(width: 4, height: 6, imageWidth: 6, imageHeight: 4)))
    }

    @Test("segmentation is read only when asked, and required masks must be there")
    func maskPolicy() throws {
        let bad = #"{"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2], "segmentation": {"size": [4, 6], "counts": [1]}}"#
        #expect(try objects(bad, masks: .ignore) == [DatasetObject(classIndex: 0, x1: 1, y1: 1, x2: 3, y2: 3)])
        let boxOnly = #"{"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2], "segmentation": []}"#
        #expect(try objects(boxOnly).first?.mask == nil)
        #expect(
            error { _ = try objects(boxOnly, masks: .required) }
                == FormatError(.coco, field: "annotations[0]", .missingField("segmentation")))
    }

    @Test("crowd regions are left out")
    func crowds() throws {
        let found = try objects(
            #"{"image_id": 1, "category_id": 1, "bbox": [0, 0, 6, 4], "iscrowd": 1, "segmentation": {"size": [4, 6], "counts": "0"}}, {"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2], "iscrowd": 0}"#
        )
        #expect(found == [DatasetObject(classIndex: 0, x1: 1, y1: 1, x2: 3, y2: 3)])
    }
}
