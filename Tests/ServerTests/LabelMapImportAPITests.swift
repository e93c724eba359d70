import Foundation
import HummingbirdTesting
import Store
import TestSupport
import Testing
import Vision

@Suite("label map imports")
struct LabelMapImportAPITests {
    /// A semantic project with classes background (0), tree (1), water (2); returns its id.
    func semanticProject(_ client: any TestClientProtocol, token: String, name: String) async throws -> Int {
        let response = try await client.execute(
            uri: "/api/projects", method: .post, headers: headers(token),
            body: json(
                #"{"name": "\#(name)", "task": "semantic", "classes": [{"name": "background"}, {"name": "tree"}, {"name": "water"}]}"#
            ))
        return try #require(response.object["id"] as? Int)
    }

    func importLabelMaps(
        _ client: any TestClientProtocol, project: Int, images: URL, labels: URL, token: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/projects/\(project)/images/import/labelmaps", method: .post, headers: headers(token),
            body: json(#"{"images": "\#(images.path)", "labels": "\#(labels.path)"}"#))
    }

    @Test("label maps exported as VOC import into a new semantic project with identical runs")
    func roundTrip() async throws {
        let server = try await TestServer()
        let token = server.admin
        let (source, target) = try await server.run { client in
            let source = try await semanticProject(client, token: token, name: "source")
            let a = try await client.uploadImage(
                try TestImages.png(width: 40, height: 30), name: "a.png", project: source, token: token)
            let b = try await client.uploadImage(
                try TestImages.jpeg(width: 16, height: 12), name: "b.jpg", project: source, token: token)
            _ = try await client.uploadImage(try TestImages.png(width: 8, height: 8), name: "c.png", project: source, token: token)
            let savedA = try await client.submit(
                #"{"labels": {"width": 40, "height": 30, "runs": [[0, 500], [2, 300], [1, 399], [2, 1]]}}"#,
                project: source, image: a, token: token)
            let savedB = try await client.submit(
                #"{"labels": {"width": 16, "height": 12, "runs": [[1, 100], [0, 92]]}}"#,
                project: source, image: b, token: token)
            #expect(savedA.status == .ok && savedB.status == .ok)

            let dataset = try await ExportedDataset("voc", project: source, client: client, token: token)
            defer { dataset.remove() }
            let target = try await semanticProject(client, token: token, name: "target")
            let response = try await importLabelMaps(
                client, project: target, images: dataset.images,
                labels: dataset.folder.appendingPathComponent("SegmentationClass"), token: token)
            #expect(response.status == .ok)
            // The export holds the labelled images only (c.png is not in it).
            #expect((response.object["imported"] as? [Any])?.count == 2)
            #expect(response.object["annotated"] as? Int == 2)
            #expect((response.object["skipped"] as? [Any])?.isEmpty == true)
            return (source, target)
        }
        // The target's images carry the source's original names (the export's names).
        let original = try await server.store.imagesWithAnnotations(project: Int64(source))
        let imported = try await server.store.imagesWithAnnotations(project: Int64(target))
        let before = Dictionary(
            uniqueKeysWithValues: original.filter { $0.annotation != nil }.map { ($0.image.originalName, $0.annotation?.labels) })
        let after = Dictionary(uniqueKeysWithValues: imported.map { ($0.image.originalName, $0.annotation?.labels) })
        #expect(after == before)
        #expect(before.values.compactMap { $0 }.count == 2)
        #expect(imported.compactMap(\.annotation).allSatisfy { $0.source == .imported })
    }

    @Test("a label map of the wrong size or with an unknown class is reported and saves nothing")
    func badMaps() async throws {
        let folders = try ImportFolders("labelmaps")
        defer { folders.remove() }
        let (images, labels) = (folders.images, folders.labels)
        for name in ["big.png", "unknown.png", "unlabelled.png"] {
            try TestImages.png(width: 4, height: 3).write(to: images.appendingPathComponent(name))
        }
        try LabelMap(width: 5, height: 4, labels: Array(repeating: 0, count: 20)).pngData()
            .write(to: labels.appendingPathComponent("big.png"))
        try LabelMap(width: 4, height: 3, labels: [0, 1, 2, 7, 0, 0, 0, 0, 1, 1, 1, 1]).pngData()
            .write(to: labels.appendingPathComponent("unknown.png"))

        let server = try await TestServer()
        let token = server.admin
        let project = try await server.run { client in
            let project = try await semanticProject(client, token: token, name: "bad maps")
            let response = try await importLabelMaps(client, project: project, images: images, labels: labels, token: token)
            #expect(response.status == .ok)
            #expect((response.object["imported"] as? [Any])?.count == 3)
            #expect(response.object["annotated"] as? Int == 0)
            let skipped = try #require(response.object["skipped"] as? [[String: String]])
            #expect(
                skipped == [
                    ["file": "big.png", "reason": "labels not imported: the label map is 5x4, the image is 4x3"],
                    ["file": "unknown.png", "reason": "labels not imported: class index 7 unknown (project has 0..<3)"],
                ])
            return project
        }
        let summary = try await server.store.project(Int64(project))
        #expect(summary.counts.total == 3 && summary.counts.unlabelled == 3)
        for (image, annotation) in try await server.store.imagesWithAnnotations(project: Int64(project)) {
            #expect(annotation == nil)
            #expect(try await server.store.history(project: Int64(project), image: image.id).isEmpty)
        }
    }

    @Test("Pascal VOC's void value 255 (object outlines) imports as background")
    func vocVoid() async throws {
        let folders = try ImportFolders("labelmaps")
        defer { folders.remove() }
        let (images, labels) = (folders.images, folders.labels)
        try TestImages.png(width: 4, height: 2).write(to: images.appendingPathComponent("voc.png"))
        try LabelMap(width: 4, height: 2, labels: [255, 255, 1, 1, 255, 2, 2, 0]).pngData()
            .write(to: labels.appendingPathComponent("voc.png"))
        let server = try await TestServer()
        let token = server.admin
        let project = try await server.run { client in
            let project = try await semanticProject(client, token: token, name: "voc")
            let response = try await importLabelMaps(client, project: project, images: images, labels: labels, token: token)
            #expect(response.object["annotated"] as? Int == 1)
            return project
        }
        let stored = try await server.store.imagesWithAnnotations(project: Int64(project)).first?.annotation?.labels
        #expect(stored == LabelRuns(width: 4, height: 2, runs: [[0, 2], [1, 2], [0, 1], [2, 2], [0, 1]]))
    }

    @Test("label maps into a detection project are 422; non-admins are refused")
    func wrongTask() async throws {
        let directory = try TemporaryDirectory(prefix: "labelmaps")
        defer { directory.remove() }
        let folder = directory.url
        let server = try await TestServer()
        let token = server.admin
        let user = try await server.userToken()
        try await server.run { client in
            let detection = try await client.createTreeProject(token: token)
            let response = try await importLabelMaps(client, project: detection, images: folder, labels: folder, token: token)
            #expect(response.status == .unprocessableContent)
            #expect(response.reason.contains("label maps belong to semantic projects; this is a detection project"))
            let semantic = try await semanticProject(client, token: token, name: "semantic")
            try await client.addMember("ana", role: "owner", project: semantic, token: token)
            let notAdmin = try await importLabelMaps(client, project: semantic, images: folder, labels: folder, token: user)
            #expect(notAdmin.status == .forbidden)
            let relative = try await client.execute(
                uri: "/api/projects/\(semantic)/images/import/labelmaps", method: .post, headers: headers(token),
                body: json(#"{"images": "\#(folder.path)", "labels": "labels"}"#))
            #expect(relative.status == .unprocessableContent)
            #expect(relative.reason.contains("'labels' is not an absolute path"))
        }
    }
}
