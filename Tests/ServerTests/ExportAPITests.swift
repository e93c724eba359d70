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

    @Test("COCO lists labelled images under their original names, boxes as [x, y, w, h], categories from 1")
    func coco() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/export/coco", method: .get, headers: headers(token))
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition]?.contains("trees-coco.json") == true)
            let images = try #require(response.object["images"] as? [[String: Any]])
            #expect(images.map { $0["file_name"] as? String } == ["a.png", "b.png"])
            let annotations = try #require(response.object["annotations"] as? [[String: Any]])
            #expect(annotations.first?["bbox"] as? [Double] == [10, 5, 20, 20])
            #expect(annotations.map { $0["category_id"] as? Int } == [1, 2])
            let categories = try #require(response.object["categories"] as? [[String: Any]])
            #expect(categories.map { $0["name"] as? String } == ["tree", "shrub"])
        }
    }

    @Test("YOLO and VOC come as ZIPs of one label file per labelled image, named after its original name")
    func yoloAndVOC() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token)
            let yolo = try await client.execute(uri: "/api/projects/\(project)/export/yolo", method: .get, headers: headers(token))
            #expect(yolo.headers[.contentType] == "application/zip")
            let yoloFiles = try ZipReading.entries(Data(buffer: yolo.body))
            #expect(yoloFiles["classes.txt"] == "tree\nshrub\n")
            #expect(yoloFiles.keys.filter { $0.hasPrefix("labels/") }.sorted() == ["labels/a.txt", "labels/b.txt"])
            #expect(yoloFiles["data.yaml"]?.contains("names:\n  0: \"tree\"\n  1: \"shrub\"\n") == true)
            #expect(!yoloFiles.keys.contains { $0.hasPrefix("images/") })
            #expect(yoloFiles.values.contains("0 0.200000 0.300000 0.200000 0.400000\n"))
            let voc = try await client.execute(uri: "/api/projects/\(project)/export/voc", method: .get, headers: headers(token))
            let vocFiles = try ZipReading.entries(Data(buffer: voc.body))
            #expect(Set(vocFiles.keys) == ["Annotations/a.xml", "Annotations/b.xml", "ImageSets/Main/trainval.txt"])
            #expect(vocFiles["ImageSets/Main/trainval.txt"] == "a\nb\n")
            #expect(vocFiles["Annotations/a.xml"]?.contains("<filename>a.png</filename>") == true)
            #expect(vocFiles.values.contains { $0.contains("<name>tree</name>") && $0.contains("<xmin>11</xmin>") })
        }
    }

    @Test("images=true packs the labelled images, byte for byte, in each format's layout; other values are 400")
    func withImages() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await labelledProject(client, token: token)
            let uploaded = try TestImages.png(width: 100, height: 50)
            let layouts = [
                "coco": ["annotations.json", "images/a.png", "images/b.png"],
                "yolo": ["classes.txt", "data.yaml", "images/a.png", "images/b.png", "labels/a.txt", "labels/b.txt"],
                "voc": ["Annotations/a.xml", "Annotations/b.xml", "ImageSets/Main/trainval.txt", "JPEGImages/a.png", "JPEGImages/b.png"],
            ]
            for (format, names) in layouts {
                let response = try await client.execute(
                    uri: "/api/projects/\(project)/export/\(format)?images=true", method: .get, headers: headers(token))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/zip")
                #expect(response.headers[.contentDisposition]?.contains("trees-\(format).zip") == true)
                let data = Data(buffer: response.body)
                #expect(try ZipReading.names(data).sorted() == names, "\(format)")
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: folder) }
                try ZipReading.extract(data, to: folder)
                let image = names.first { $0.hasSuffix("a.png") }!
                #expect(try Data(contentsOf: folder.appendingPathComponent(image)) == uploaded, "\(format): \(image)")
            }
            let coco = try await client.execute(
                uri: "/api/projects/\(project)/export/coco?images=1", method: .get, headers: headers(token))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try ZipReading.extract(Data(buffer: coco.body), to: folder)
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("annotations.json")))
            let images = try #require((document as? [String: Any])?["images"] as? [[String: Any]])
            #expect(images.map { $0["file_name"] as? String } == ["images/a.png", "images/b.png"])
            let bad = try await client.execute(
                uri: "/api/projects/\(project)/export/yolo?images=yes", method: .get, headers: headers(token))
            #expect(bad.status == .badRequest)
            #expect(bad.reason.contains("'images' must be true or false"))
        }
        // The archives were streamed from temporary files, deleted once sent (the server has stopped, so
        // every response has finished).
        let left = try FileManager.default.contentsOfDirectory(atPath: server.config.exportsDirectory.path)
        #expect(left.isEmpty, "\(left)")
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
