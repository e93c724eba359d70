import Foundation
import HummingbirdTesting
import Testing

@Suite("imports from the server's disk")
struct ImportAPITests {
    func folder(_ files: [String: Data]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test("a folder import copies the images in and reports files it could not use")
    func folderImport() async throws {
        let source = try folder([
            "a.png": try TestImages.png(), "b.JPG": try TestImages.jpeg(), "notes.txt": Data("x".utf8),
            "fake.jpg": Data("not really".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: source) }
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/images/import/folder", method: .post, headers: headers(token),
                body: json(#"{"folder": "\#(source.path)"}"#))
            #expect(response.status == .ok)
            #expect((response.object["imported"] as? [[String: Any]])?.map { $0["originalName"] as? String } == ["a.png", "b.JPG"])
            let skipped = try #require(response.object["skipped"] as? [[String: Any]])
            #expect(skipped.map { $0["file"] as? String } == ["fake.jpg"])
            #expect((skipped.first?["reason"] as? String)?.contains("not an image") == true)
            let notFolder = try await client.execute(
                uri: "/api/projects/\(project)/images/import/folder", method: .post, headers: headers(token),
                body: json(#"{"folder": "relative/path"}"#))
            #expect(notFolder.status == .unprocessableContent)
        }
        #expect(FileManager.default.fileExists(atPath: source.appendingPathComponent("a.png").path))
    }

    @Test("a COCO import adds images with their boxes as imported annotations and creates missing classes")
    func cocoImport() async throws {
        let coco = """
            {"images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 48},
                        {"id": 2, "file_name": "b.png", "width": 64, "height": 48},
                        {"id": 3, "file_name": "../escape.png"}],
             "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [2, 3, 10, 10]},
                             {"id": 2, "image_id": 1, "category_id": 9, "bbox": [20, 20, 5, 5]}],
             "categories": [{"id": 7, "name": "Tree"}, {"id": 9, "name": "snag"}]}
            """
        let source = try folder([
            "a.png": try TestImages.png(width: 64, height: 48), "b.png": try TestImages.png(width: 64, height: 48),
            "coco.json": Data(coco.utf8),
        ])
        defer { try? FileManager.default.removeItem(at: source) }
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/images/import/coco", method: .post, headers: headers(token),
                body: json(#"{"annotations": "\#(source.appendingPathComponent("coco.json").path)"}"#))
            #expect(response.status == .ok)
            #expect((response.object["imported"] as? [Any])?.count == 2)
            #expect(response.object["annotated"] as? Int == 1)
            #expect(response.object["classesCreated"] as? [String] == ["snag"])
            #expect((response.object["skipped"] as? [[String: Any]])?.first?["file"] as? String == "../escape.png")
            let images = try await client.execute(
                uri: "/api/projects/\(project)/images?status=labelled", method: .get, headers: headers(token))
            let labelled = try #require((images.object["items"] as? [[String: Any]])?.first?["id"] as? Int)
            let annotation = try await client.execute(
                uri: "/api/projects/\(project)/images/\(labelled)/annotation", method: .get, headers: headers(token))
            #expect(annotation.object["source"] as? String == "imported")
            let objects = try #require(annotation.object["objects"] as? [[String: Any]])
            #expect(objects.map { $0["classIndex"] as? Int } == [0, 2])
            // A running model is told to take the imported labels.
            #expect(server.service.importedProjects == [Int64(project)])
        }
    }

    @Test("a file that is not COCO is 422 naming the file and what is missing; nothing is added")
    func notCOCO() async throws {
        let source = try folder(["coco.json": Data(#"{"categories": []}"#.utf8)])
        defer { try? FileManager.default.removeItem(at: source) }
        let server = try await TestServer()
        let token = server.admin
        let path = source.appendingPathComponent("coco.json").path
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/images/import/coco", method: .post, headers: headers(token),
                body: json(#"{"annotations": "\#(path)"}"#))
            #expect(response.status == .unprocessableContent)
            #expect(response.reason.contains("not a COCO detection file: missing field 'images'"))
            #expect(try await server.store.project(Int64(project)).counts.total == 0)
        }
    }
}
