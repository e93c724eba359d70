import Formats
import Foundation
import HummingbirdTesting
import Store
import Testing
import Vision

@Suite("YOLO imports")
struct YOLOImportAPITests {
    func importYOLO(
        _ client: any TestClientProtocol, project: Int, images: URL, labels: URL, classes: [String]? = nil, token: String
    ) async throws -> TestResponse {
        let names = classes.map { ", \"classes\": [" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? ""
        return try await client.execute(
            uri: "/api/projects/\(project)/images/import/yolo", method: .post, headers: headers(token),
            body: json(#"{"images": "\#(images.path)", "labels": "\#(labels.path)"\#(names)}"#))
    }

    /// Annotations by the image's original name (what exports name images after, and imports keep),
    /// with class indices as names.
    func objects(_ server: TestServer, project: Int) async throws -> [String: [(String, DatasetObject)]?] {
        let classes = try await server.store.project(Int64(project)).classes
        let names = Dictionary(uniqueKeysWithValues: classes.map { ($0.index, $0.name) })
        var result: [String: [(String, DatasetObject)]?] = [:]
        for (image, annotation) in try await server.store.imagesWithAnnotations(project: Int64(project)) {
            result[image.originalName] = annotation.map { annotation in
                annotation.objects.map { (names[$0.classIndex] ?? "?", $0) }
            }
        }
        return result
    }

    func within1px(_ a: DatasetObject, _ b: DatasetObject) -> Bool {
        abs(a.x1 - b.x1) <= 1 && abs(a.y1 - b.y1) <= 1 && abs(a.x2 - b.x2) <= 1 && abs(a.y2 - b.y2) <= 1
    }

    @Test("boxes exported as YOLO import into a new project by the names in its classes.txt, within 1 px; missing classes are created")
    func boxesRoundTrip() async throws {
        let server = try await TestServer()
        let token = server.admin
        let (source, target) = try await server.run { client in
            let source = try await client.createTreeProject(token: token, name: "source")
            let png = try TestImages.png(width: 100, height: 50)
            let a = try await client.uploadImage(png, name: "a.png", project: source, token: token)
            let b = try await client.uploadImage(try TestImages.jpeg(width: 100, height: 50), name: "b.jpg", project: source, token: token)
            let empty = try await client.uploadImage(
                try TestImages.png(width: 80, height: 60), name: "c.png", project: source, token: token)
            _ = try await client.uploadImage(png, name: "d.png", project: source, token: token)
            let saved = [
                try await client.submit(
                    #"{"objects": [{"classIndex": 0, "box": {"x1": 10, "y1": 5, "x2": 30, "y2": 25}}, {"classIndex": 1, "box": {"x1": 40.5, "y1": 10.25, "x2": 90, "y2": 45}}]}"#,
                    project: source, image: a, token: token),
                try await client.submit(
                    #"{"objects": [{"classIndex": 1, "box": {"x1": 0, "y1": 0, "x2": 50, "y2": 50}}]}"#,
                    project: source, image: b, token: token),
                try await client.submit(#"{"objects": []}"#, project: source, image: empty, token: token),
            ]
            #expect(saved.allSatisfy { $0.status == .ok })

            let dataset = try await ExportedDataset("yolo", project: source, client: client, token: token)
            defer { dataset.remove() }
            let classes = try String(contentsOf: dataset.folder.appendingPathComponent("classes.txt"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            #expect(classes == ["tree", "shrub"])
            let created = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(token),
                body: json(#"{"name": "target", "task": "detection", "classes": [{"name": "shrub"}]}"#))
            let target = try #require(created.object["id"] as? Int)
            // No "classes" in the request: the export's classes.txt, above its labels folder, names them.
            let response = try await importYOLO(
                client, project: target, images: dataset.images, labels: dataset.labels, token: token)
            #expect(response.status == .ok)
            // The export holds the labelled images only (d.png is not in it).
            #expect((response.object["imported"] as? [Any])?.count == 3)
            #expect(response.object["annotated"] as? Int == 3)
            #expect(response.object["classesCreated"] as? [String] == ["tree"])
            #expect((response.object["skipped"] as? [Any])?.isEmpty == true)
            return (source, target)
        }
        // The export names images by their original names, and the import keeps the names it is given.
        let before = try await objects(server, project: source).filter { $0.value != nil }
        let after = try await objects(server, project: target)
        #expect(Set(after.keys) == Set(before.keys))
        for (name, original) in before {
            let imported = after[name] ?? nil
            #expect((original == nil) == (imported == nil), "\(name): labelled in one project only")
            guard let original, let imported else { continue }
            #expect(imported.map(\.0) == original.map(\.0), "\(name): classes by name")
            #expect(imported.count == original.count && zip(imported, original).allSatisfy { within1px($0.1, $1.1) })
        }
        #expect(before.values.compactMap { $0 }.map(\.count).sorted() == [0, 1, 2])
    }

    @Test("YOLO-seg polygons import as masks in an instance project: boxes within 1 px, masks IoU >= 0.9")
    func polygonsRoundTrip() async throws {
        let polygon: [Double] = [20, 10, 70, 15, 85, 50, 45, 72, 12, 45]
        let drawn = try PolygonRaster.fill([polygon], width: 100, height: 80)
        let rle = COCORLE(drawn)
        let bounds = try #require(drawn.bounds)
        let server = try await TestServer()
        let token = server.admin
        let (source, target) = try await server.run { client in
            var ids: [Int] = []
            for name in ["source", "target"] {
                let created = try await client.execute(
                    uri: "/api/projects", method: .post, headers: headers(token),
                    body: json(#"{"name": "\#(name)", "task": "instance", "classes": [{"name": "tree"}, {"name": "snag"}]}"#))
                ids.append(try #require(created.object["id"] as? Int))
            }
            let image = try await client.uploadImage(
                try TestImages.png(width: 100, height: 80), name: "a.png", project: ids[0], token: token)
            let saved = try await client.submit(
                #"{"objects": [{"classIndex": 1, "box": {"x1": \#(bounds.x1), "y1": \#(bounds.y1), "x2": \#(bounds.x2), "y2": \#(bounds.y2)}, "mask": {"width": 100, "height": 80, "counts": \#(rle.counts)}}, {"classIndex": 0, "box": {"x1": 2, "y1": 60, "x2": 9.5, "y2": 78}}]}"#,
                project: ids[0], image: image, token: token)
            #expect(saved.status == .ok, "\(saved.text)")

            let dataset = try await ExportedDataset("yolo", project: ids[0], client: client, token: token)
            defer { dataset.remove() }
            let response = try await importYOLO(client, project: ids[1], images: dataset.images, labels: dataset.labels, token: token)
            #expect(response.status == .ok)
            #expect(response.object["annotated"] as? Int == 1)
            #expect((response.object["skipped"] as? [Any])?.isEmpty == true)
            return (ids[0], ids[1])
        }
        let original = try #require(try await objects(server, project: source).values.first ?? nil)
        let imported = try #require(try await objects(server, project: target).values.first ?? nil)
        #expect(imported.map(\.0) == ["snag", "tree"])
        #expect(imported.count == 2 && zip(imported, original).allSatisfy { within1px($0.1, $1.1) })
        let mask = try #require(imported.first?.1.mask)
        let iou = try COCORLE(width: mask.width, height: mask.height, counts: mask.counts).mask.iou(drawn)
        #expect(iou >= 0.9, "IoU \(iou)")
        #expect(imported.last?.1.mask == nil)
    }

    @Test("a bad line skips that image's labels with its line number; the image is still imported")
    func malformedLines() async throws {
        let folders = try ImportFolders("yolo")
        defer { folders.remove() }
        let (images, labels) = (folders.images, folders.labels)
        let files = [
            "a": "0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n",
            "b": "0 0.5 abc 0.2 0.2\n",
            "c": "1 0.5 0.5 0.2 0.2\r\n0 0.5 0.5 0.2 1.7\r\n",
            "d": "\n5 0.5 0.5 0.2 0.2\n",
            "e": "1 0.1 0.2 0.5 0.2 0.3 0.6\n",
        ]
        for (stem, text) in files {
            try TestImages.png(width: 100, height: 50).write(to: images.appendingPathComponent("\(stem).png"))
            try Data(text.utf8).write(to: labels.appendingPathComponent("\(stem).txt"))
        }
        let server = try await TestServer()
        let token = server.admin
        let project = try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let response = try await importYOLO(client, project: project, images: images, labels: labels, token: token)
            #expect(response.status == .ok)
            #expect((response.object["imported"] as? [Any])?.count == 5)
            #expect(response.object["annotated"] as? Int == 1)
            let skipped = try #require(response.object["skipped"] as? [[String: String]])
            let expected = [
                "a.png": "line 2: expected 4 numbers (cx cy w h) or an even count of 6 or more (a polygon) after the class, got 3",
                "b.png": "line 1: 'abc' is not a number",
                "c.png": "line 2: 1.7 is outside 0...1",
                "d.png": "line 2: class 5 unknown (project has 0..<2)",
            ]
            #expect(skipped.map { $0["file"] ?? "" } == expected.keys.sorted())
            for entry in skipped {
                #expect(entry["reason"] == "labels not imported: " + (expected[entry["file"] ?? ""] ?? ""))
            }

            let semantic = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(token),
                body: json(#"{"name": "semantic", "task": "semantic", "classes": [{"name": "tree"}]}"#))
            let wrongTask = try await importYOLO(
                client, project: try #require(semantic.object["id"] as? Int), images: images, labels: labels, token: token)
            #expect(wrongTask.status == .unprocessableContent)
            #expect(wrongTask.reason.contains("this is a semantic project"))
            return project
        }
        // The polygon of e becomes its bounds in a detection project; nothing of the bad files is saved.
        let saved = try await server.store.imagesWithAnnotations(project: Int64(project))
        #expect(saved.filter { $0.annotation != nil }.map(\.image.originalName) == ["e.png"])
        let box = try #require(saved.compactMap(\.annotation).first?.objects.first)
        #expect(box.classIndex == 1 && box.mask == nil)
        #expect(within1px(box, DatasetObject(classIndex: 1, x1: 10, y1: 10, x2: 50, y2: 30)))
    }
}
