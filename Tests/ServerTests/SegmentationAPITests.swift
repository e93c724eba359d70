import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@Suite("instance masks and semantic label maps over HTTP")
struct SegmentationAPITests {
    func project(_ client: any TestClientProtocol, token: String, task: String) async throws -> Int {
        let response = try await client.execute(
            uri: "/api/projects", method: .post, headers: headers(token),
            body: json(#"{"name": "\#(task)", "task": "\#(task)", "classes": [{"name": "background"}, {"name": "tree"}]}"#))
        return try #require(response.object["id"] as? Int)
    }

    @Test("instance masks are stored, returned, exported as COCO RLE; a mask of the wrong size is 422")
    func instance() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 4, height: 3)
        try await server.run { client in
            let project = try await project(client, token: token, task: "instance")
            let image = try await client.uploadImage(png, project: project, token: token)
            let body =
                #"{"objects": [{"classIndex": 1, "box": {"x1": 1, "y1": 0, "x2": 3, "y2": 3}, "mask": {"width": 4, "height": 3, "counts": [3, 6, 3]}}]}"#
            let saved = try await client.submit(body, project: project, image: image, token: token)
            #expect(saved.status == .ok)
            let current = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation", method: .get, headers: headers(token))
            let mask = (current.object["objects"] as? [[String: Any]])?.first?["mask"] as? [String: Any]
            #expect(mask?["counts"] as? [Int] == [3, 6, 3])
            let coco = try await client.execute(uri: "/api/projects/\(project)/export/coco", method: .get, headers: headers(token))
            let object = try #require((coco.object["annotations"] as? [[String: Any]])?.first)
            #expect((object["segmentation"] as? [String: Any])?["size"] as? [Int] == [3, 4])
            #expect(object["area"] as? Double == 6)
            let wrong = try await client.submit(
                #"{"objects": [{"classIndex": 1, "box": {"x1": 1, "y1": 0, "x2": 3, "y2": 3}, "mask": {"width": 3, "height": 4, "counts": [3, 6, 3]}}]}"#,
                project: project, image: image, token: token)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.reason.contains("invalid mask"))
        }
        #expect(server.service.submissions.first?.annotation.objects.first?.mask?.counts == [3, 6, 3])
    }

    @Test("semantic label maps are stored, handed to the engine, exported as VOC PNGs and COCO class masks; boxes are 422")
    func semantic() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 4, height: 3)
        try await server.run { client in
            let project = try await project(client, token: token, task: "semantic")
            let image = try await client.uploadImage(png, project: project, token: token)
            let saved = try await client.submit(
                #"{"labels": {"width": 4, "height": 3, "runs": [[0, 5], [1, 7]]}}"#, project: project, image: image, token: token)
            #expect(saved.status == .ok)
            #expect(
                ((saved.object["annotation"] as? [String: Any])?["labels"] as? [String: Any])?["runs"] as? [[Int]] == [[0, 5], [1, 7]])
            let boxes = try await client.submit(TestBodies.oneTree, project: project, image: image, token: token)
            #expect(boxes.status == .unprocessableContent)
            #expect(boxes.reason.contains("not a semantic annotation"))
            let unknown = try await client.submit(
                #"{"labels": {"width": 4, "height": 3, "runs": [[5, 12]]}}"#, project: project, image: image, token: token)
            #expect(unknown.status == .unprocessableContent)
            let voc = try await client.execute(uri: "/api/projects/\(project)/export/voc", method: .get, headers: headers(token))
            let names = try ZipReading.names(Data(buffer: voc.body))
            #expect(names.filter { $0.hasPrefix("SegmentationClass/") } == ["SegmentationClass/tile.png"])
            #expect(names.contains("ImageSets/Segmentation/trainval.txt"))
            // COCO: one annotation per class present (COCO-Stuff's way), masks as column-major RLE.
            let coco = try await client.execute(uri: "/api/projects/\(project)/export/coco", method: .get, headers: headers(token))
            let regions = try #require(coco.object["annotations"] as? [[String: Any]])
            #expect(regions.map { $0["category_id"] as? Int } == [1, 2])
            #expect(regions.map { ($0["segmentation"] as? [String: Any])?["counts"] as? [Int] } == [[0, 2, 1, 1, 2, 1, 2, 1, 2], [2, 1, 1, 2, 1, 2, 1, 2]])
            #expect(regions.map { $0["bbox"] as? [Double] } == [[0, 0, 4, 2], [0, 1, 4, 2]])
            #expect(regions.map { $0["area"] as? Double } == [5, 7])
        }
        let labels = try #require(server.service.submissions.first?.annotation.labels)
        #expect(labels.labels == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    }

    @Test("a COCO import into an instance project rasterises polygon segmentations into masks")
    func cocoPolygons() async throws {
        let directory = try TemporaryDirectory(prefix: "coco")
        defer { directory.remove() }
        let folder = directory.url
        try TestImages.png(width: 4, height: 3).write(to: folder.appendingPathComponent("a.png"))
        let coco = """
            {"images": [{"id": 1, "file_name": "a.png", "width": 4, "height": 3}],
             "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 0, 2, 3],
                              "segmentation": [[1, 0, 3, 0, 3, 3, 1, 3]]}],
             "categories": [{"id": 1, "name": "tree"}]}
            """
        try Data(coco.utf8).write(to: folder.appendingPathComponent("coco.json"))
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await project(client, token: token, task: "instance")
            let response = try await client.execute(
                uri: "/api/projects/\(project)/images/import/coco", method: .post, headers: headers(token),
                body: json(#"{"annotations": "\#(folder.appendingPathComponent("coco.json").path)"}"#))
            #expect(response.object["annotated"] as? Int == 1)
            let image = try #require((response.object["imported"] as? [[String: Any]])?.first?["id"] as? Int)
            let current = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation", method: .get, headers: headers(token))
            let mask = (current.object["objects"] as? [[String: Any]])?.first?["mask"] as? [String: Any]
            #expect(mask?["counts"] as? [Int] == [3, 6, 3])
        }
    }
}

enum TestBodies {
    static let oneTree = #"{"objects": [{"classIndex": 0, "box": {"x1": 1, "y1": 1, "x2": 3, "y2": 2}}]}"#
}
