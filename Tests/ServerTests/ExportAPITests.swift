import Foundation
import HummingbirdTesting
import Testing

@Suite("exports")
struct ExportAPITests {
    /// A project with two labelled images (one box each, classes 0 and 1) and one unlabelled image.
    func labelledProject(_ client: any TestClientProtocol, token: String) async throws -> Int {
        let project = try await client.createTreeProject(token: token)
        let png = try TestImages.png(width: 100, height: 50)
        let a = try await client.uploadImage(png, name: "a.png", project: project, token: token)
        let b = try await client.uploadImage(png, name: "b.png", project: project, token: token)
        _ = try await client.uploadImage(png, name: "c.png", project: project, token: token)
        _ = try await client.submit(
            #"{"objects": [{"classIndex": 0, "box": {"x1": 10, "y1": 5, "x2": 30, "y2": 25}}]}"#,
            project: project, image: a, token: token)
        _ = try await client.submit(
            #"{"objects": [{"classIndex": 1, "box": {"x1": 0, "y1": 0, "x2": 50, "y2": 50}}]}"#,
            project: project, image: b, token: token)
        return project
    }

    @Test("COCO lists labelled images, boxes as [x, y, w, h], categories from 1")
    func coco() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/export/coco", method: .get, headers: headers(token))
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition]?.contains("trees-coco.json") == true)
            #expect((response.object["images"] as? [Any])?.count == 2)
            let annotations = try #require(response.object["annotations"] as? [[String: Any]])
            #expect(annotations.first?["bbox"] as? [Double] == [10, 5, 20, 20])
            #expect(annotations.map { $0["category_id"] as? Int } == [1, 2])
            let categories = try #require(response.object["categories"] as? [[String: Any]])
            #expect(categories.map { $0["name"] as? String } == ["tree", "shrub"])
        }
    }

    @Test("YOLO and VOC come as ZIPs of one label file per labelled image")
    func yoloAndVOC() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token)
            let yolo = try await client.execute(uri: "/api/projects/\(project)/export/yolo", method: .get, headers: headers(token))
            #expect(yolo.headers[.contentType] == "application/zip")
            let yoloFiles = try ZipReading.entries(Data(buffer: yolo.body))
            #expect(yoloFiles["classes.txt"] == "tree\nshrub\n")
            #expect(yoloFiles.keys.filter { $0.hasPrefix("labels/") }.count == 2)
            #expect(yoloFiles.values.contains("0 0.200000 0.300000 0.200000 0.400000\n"))
            let voc = try await client.execute(uri: "/api/projects/\(project)/export/voc", method: .get, headers: headers(token))
            let vocFiles = try ZipReading.entries(Data(buffer: voc.body))
            #expect(vocFiles.count == 2)
            #expect(vocFiles.values.contains { $0.contains("<name>tree</name>") && $0.contains("<xmin>11</xmin>") })
        }
    }

    @Test("the model download is a ZIP of weights and descriptor; before any training it is 409")
    func model() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let empty = try await client.createTreeProject(token: token, name: "empty")
            let early = try await client.execute(uri: "/api/projects/\(empty)/export/model", method: .get, headers: headers(token))
            #expect(early.status == .conflict)
            #expect(early.reason.contains("not ready"))
            let project = try await labelledProject(client, token: token)
            let response = try await client.execute(uri: "/api/projects/\(project)/export/model", method: .get, headers: headers(token))
            let files = try ZipReading.entries(Data(buffer: response.body))
            #expect(files["model.safetensors"] == "weights at step 20")
            #expect(files["model.json"]?.contains("\"tree\"") == true)
        }
    }
}
