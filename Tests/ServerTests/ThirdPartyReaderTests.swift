import Formats
import Foundation
import HummingbirdTesting
import Store
import Testing
import Vision

/// Every export with its images, loaded by a third-party reader (pycocotools for COCO, Roboflow's
/// supervision for YOLO and VOC) and compared with what the project holds: image names, sizes,
/// classes, boxes and masks. supervision pairing each YOLO image with its label file is the check that
/// the YOLO export trains as it is in a third-party loader.
@Suite("exports read by third-party readers")
struct ThirdPartyReaderTests {
    /// Upload names and the export names they must get: the two "tile 1" stems clash (a PNG and a
    /// JPEG would both want `labels/tile 1.txt`), the upload name keeps only its last component, and
    /// characters Windows refuses become `_`.
    static let uploads: [(upload: String, exported: String, jpeg: Bool)] = [
        ("tile 1.png", "tile 1.png", false),
        ("TILE 1.jpg", "TILE 1-2.jpg", true),
        ("../../etc/crown?.png", "crown_.png", false),
    ]

    /// The project's objects by export name, class indices as names.
    func expected(_ server: TestServer, project: Int) async throws -> [String: (width: Int, height: Int, objects: [(String, DatasetObject)])] {
        let summary = try await server.store.project(Int64(project))
        let names = Dictionary(uniqueKeysWithValues: summary.classes.map { ($0.index, $0.name) })
        var result: [String: (width: Int, height: Int, objects: [(String, DatasetObject)])] = [:]
        for (image, annotation) in try await server.store.imagesWithAnnotations(project: Int64(project)) {
            guard let annotation, let name = Self.uploads.first(where: { $0.upload.hasSuffix(image.originalName) })?.exported
            else { continue }
            result[name] = (image.width, image.height, annotation.objects.map { (names[$0.classIndex] ?? "?", $0) })
        }
        return result
    }

    /// Creates a project of `task` with classes tree and shrub and labels the three uploads.
    func labelledProject(_ client: any TestClientProtocol, token: String, task: String) async throws -> Int {
        let created = try await client.execute(
            uri: "/api/projects", method: .post, headers: headers(token),
            body: json(#"{"name": "\#(task)", "task": "\#(task)", "classes": [{"name": "tree"}, {"name": "shrub"}]}"#))
        let project = try #require(created.object["id"] as? Int)
        for (i, upload) in Self.uploads.enumerated() {
            let (width, height) = (100 + 20 * i, 60 + 10 * i)
            let data = upload.jpeg ? try TestImages.jpeg(width: width, height: height) : try TestImages.png(width: width, height: height)
            let image = try await client.uploadImage(data, name: upload.upload, project: project, token: token)
            // A box per image, plus a polygon-shaped mask (instance) on a second object.
            let polygon: [Double] = [10, 5, 60, 8, 70, 40, 30, Double(50 + i), 8, 30]
            let mask = COCORLE(try PolygonRaster.fill([polygon], width: width, height: height))
            let bounds = try #require(mask.mask.bounds)
            var objects = [#"{"classIndex": \#(i % 2), "box": {"x1": 3.5, "y1": 4, "x2": \#(40 + i), "y2": 30.25}}"#]
            if task == "instance" {
                objects.append(
                    #"{"classIndex": 1, "box": {"x1": \#(bounds.x1), "y1": \#(bounds.y1), "x2": \#(bounds.x2), "y2": \#(bounds.y2)}, "mask": {"width": \#(width), "height": \#(height), "counts": \#(mask.counts)}}"#
                )
            } else {
                objects.append(#"{"classIndex": 1, "box": {"x1": 50, "y1": 20, "x2": 90, "y2": 55}}"#)
            }
            let saved = try await client.submit(#"{"objects": [\#(objects.joined(separator: ", "))]}"#, project: project, image: image, token: token)
            #expect(saved.status == .ok, "\(saved.text)")
        }
        return project
    }

    /// Compares what the reader loaded with the project: same names, sizes, classes, boxes within
    /// `tolerance` pixels, and masks (when `maskIoU` is given) overlapping the stored ones that much.
    func compare(
        _ read: ThirdPartyReader, with project: [String: (width: Int, height: Int, objects: [(String, DatasetObject)])],
        prefix: String = "", tolerance: Double, maskIoU: Double? = nil
    ) throws {
        #expect(Set(read.images.keys) == Set(project.keys.map { prefix + $0 }))
        for (name, stored) in project {
            let loaded = try #require(read.images[prefix + name], "\(name) not loaded")
            #expect(loaded.width == stored.width && loaded.height == stored.height, "\(name): size")
            // Readers may reorder objects: pair them by class and box.
            let pending = loaded.objects.sorted { ($0.class, $0.box[0]) < ($1.class, $1.box[0]) }
            let wanted = stored.objects.sorted { ($0.0, $0.1.x1) < ($1.0, $1.1.x1) }
            #expect(pending.count == wanted.count, "\(name): object count")
            for (got, want) in zip(pending, wanted) {
                #expect(got.class == want.0, "\(name): class")
                let box = [want.1.x1, want.1.y1, want.1.x2, want.1.y2]
                #expect(zip(got.box, box).allSatisfy { abs($0 - $1) <= tolerance }, "\(name): box \(got.box) vs \(box)")
                guard let maskIoU, let storedMask = want.1.mask else { continue }
                let counts = try #require(got.mask, "\(name): reader found no mask")
                let mask = try COCORLE(width: stored.width, height: stored.height, counts: counts).mask
                let iou = mask.iou(storedMask.mask)
                #expect(iou >= maskIoU, "\(name): mask IoU \(iou)")
            }
        }
    }

    @Test("detection: COCO, YOLO and VOC exports with images load in pycocotools and supervision with the project's names and boxes")
    func detection() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token, task: "detection")
            let stored = try await expected(server, project: project)
            #expect(stored.count == 3)
            for format in ["coco", "yolo", "voc"] {
                let dataset = try await ExportedDataset(format, project: project, client: client, token: token)
                defer { dataset.remove() }
                let read = try ThirdPartyReader.load(format, folder: dataset.folder)
                // COCO: exact (JSON numbers); YOLO: six decimals of the image size; VOC: whole pixels.
                let tolerance = ["coco": 1e-9, "yolo": 0.01, "voc": 0.5][format]!
                try compare(read, with: stored, prefix: format == "coco" ? "images/" : "", tolerance: tolerance)
                // VOC names only the classes its files use; the others name all the project's.
                if format != "voc" { #expect(read.classes == ["tree", "shrub"]) }
            }
        }
    }

    @Test("instance: COCO masks decode in pycocotools exactly; YOLO-seg polygons rasterise in supervision to the masks")
    func instance() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token, task: "instance")
            let stored = try await expected(server, project: project)
            let coco = try await ExportedDataset("coco", project: project, client: client, token: token)
            defer { coco.remove() }
            try compare(
                try ThirdPartyReader.load("coco", folder: coco.folder), with: stored, prefix: "images/", tolerance: 1e-9, maskIoU: 1)
            let yolo = try await ExportedDataset("yolo", project: project, client: client, token: token)
            defer { yolo.remove() }
            // The YOLO-seg line is the mask's outline (boxes become its bounds, within a pixel); supervision
            // rounds vertices to whole pixels and fills the polygon, so the mask comes back close, not equal.
            try compare(try ThirdPartyReader.load("yolo", folder: yolo.folder), with: stored, tolerance: 1.01, maskIoU: 0.85)
        }
    }
}
