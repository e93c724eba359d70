import Foundation
import HummingbirdTesting
import Testing
import Vision

@testable import Server

/// The audit's requests that once killed the process or answered 500: each now gets a clear 4xx
/// (or works), and the server answers the next request. A trap would end this test process.
@Suite("hostile requests get a 4xx and the server stays up")
struct HostileInputTests {
    @Test("simulation parameters out of range are 400 before any conversion; the page's cost is bounded")
    func simulationRanges() async throws {
        let server = try await TestServer()
        try await server.run { client in
            for query in [
                "images=1e300", "images=1e8", "images=1e12", "images=-5", "images=2.5", "annotators=1e300",
                "annotators=0", "manualSeconds=1e300", "hoursPerDay=25", "retrainDays=nan", "reviewSeconds=inf",
                // Found by the schemathesis pass: tiny positive values made infinite hours and days.
                "hoursPerDay=5e-324", "hoursPerDay=1e-300", "foundationSeconds=5e-324", "manualSeconds=5e-324&reviewSeconds=5e-324",
            ] {
                let response = try await client.execute(uri: "/simulation?\(query)", method: .get)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.reason.contains("must be"), "\(query): \(response.reason)")
            }
            let page = try await client.execute(uri: "/simulation?images=2000&annotators=3", method: .get)
            #expect(page.status == .ok)
        }
    }

    @Test("a mask whose runs or size overflow is 400 for any token and any project id, not a trap")
    func overflowingMasks() async throws {
        let server = try await TestServer()
        let user = try await server.userToken()
        try await server.run { client in
            let response = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(server.admin),
                body: json(#"{"name": "cells", "task": "instance", "classes": [{"name": "cell"}]}"#))
            let project = try #require(response.object["id"] as? Int)
            let image = try await client.uploadImage(try TestImages.png(width: 4, height: 3), project: project, token: server.admin)
            try await client.addMember("ana", role: "annotator", project: project, token: server.admin)
            let masks = [
                #"{"width": 1, "height": 1, "counts": [9223372036854775807, 1]}"#,
                #"{"width": 4611686018427387904, "height": 4, "counts": [0]}"#,
                #"{"width": 4, "height": 3, "counts": [-1]}"#,
                #"{"width": 4, "height": 3, "counts": [5]}"#,
                #"{"width": -4, "height": -3, "counts": [12]}"#,
            ]
            // A non-member's request ends at the role check (404); an admin's reaches the body for any id.
            for (projectID, imageID, token) in [(999, 1, server.admin), (project, image, user)] {
                for mask in masks {
                    let body = #"{"objects": [{"classIndex": 0, "box": {"x1": 0, "y1": 0, "x2": 1, "y2": 1}, "mask": \#(mask)}]}"#
                    let answer = try await client.submit(body, project: projectID, image: imageID, token: token)
                    #expect(answer.status == .badRequest, "\(mask): \(answer.status) \(answer.reason)")
                    #expect(answer.reason.contains("RLE"), "\(answer.reason)")
                }
            }
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: headers(user)).status == .ok)
        }
    }

    @Test("a COCO file with hostile polygons and RLE strings imports its images and reports each bad mask")
    func hostileCOCO() async throws {
        let folders = try ImportFolders("hostile-coco")
        defer { folders.remove() }
        let png = try TestImages.png(width: 16, height: 16)
        for name in ["a.png", "b.png", "c.png"] { try png.write(to: folders.images.appendingPathComponent(name)) }
        let rle = String(repeating: "ooooooooooo?", count: 40)
        let coco = """
            {"images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "b.png"}, {"id": 3, "file_name": "c.png"}],
             "annotations": [
               {"image_id": 1, "category_id": 1, "bbox": [0, 0, 4, 4], "segmentation": [[0, 0, 1e300, 0.5, 0, 100]]},
               {"image_id": 2, "category_id": 1, "bbox": [0, 0, 4, 4], "segmentation": {"size": [16, 16], "counts": "\(rle)"}},
               {"image_id": 3, "category_id": 1, "bbox": [0, 0, 4, 4], "segmentation": {"size": [-16, 4611686018427387904], "counts": [1]}}],
             "categories": [{"id": 1, "name": "cell"}]}
            """
        let file = folders.root.appendingPathComponent("coco.json")
        try Data(coco.utf8).write(to: file)
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let created = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(token),
                body: json(#"{"name": "cells", "task": "instance", "classes": [{"name": "cell"}]}"#))
            let project = try #require(created.object["id"] as? Int)
            let response = try await client.execute(
                uri: "/api/projects/\(project)/images/import/coco", method: .post, headers: headers(token),
                body: json(#"{"annotations": "\#(file.path)", "images": "\#(folders.images.path)"}"#))
            #expect(response.status == .ok)
            #expect(response.object["annotated"] as? Int == 0)
            let skipped = try #require(response.object["skipped"] as? [[String: Any]])
            #expect(skipped.map { $0["file"] as? String } == ["a.png", "b.png", "c.png"])
            let reasons = skipped.compactMap { $0["reason"] as? String }
            #expect(reasons.first?.contains("polygon coordinate") == true, "\(reasons)")
            #expect(reasons.dropFirst().allSatisfy { $0.contains("RLE") }, "\(reasons)")
        }
    }

    @Test("import paths: NUL bytes 400, relative 422, outside the import root 403, links out of it skipped")
    func importPaths() async throws {
        let folders = try ImportFolders("hostile-paths")
        defer { folders.remove() }
        try TestImages.png().write(to: folders.images.appendingPathComponent("inside.png"))
        // A link inside the root to a file outside it: followed, it would copy any file the server can read.
        let outside = URL(fileURLWithPath: "/var/tmp/livetrain-outside-\(UUID().uuidString).png")
        try TestImages.png().write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: folders.images.appendingPathComponent("link.png"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: folders.root.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            func post(_ route: String, _ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/projects/\(project)/images/import/\(route)", method: .post, headers: headers(token), body: json(body))
            }
            let nul = try await post("folder", #"{"folder": "/tmp/a\u0000b"}"#)
            #expect(nul.status == .badRequest)
            #expect(nul.reason.contains("NUL"))
            let relative = try await post("coco", #"{"annotations": "../../etc/passwd"}"#)
            #expect(relative.status == .unprocessableContent)
            #expect(relative.reason.contains("not an absolute path"))
            for path in ["/etc", "/etc/passwd", folders.root.appendingPathComponent("etc").path, "\(folders.root.path)/../../etc"] {
                let answer = try await post(path.hasSuffix("passwd") ? "coco" : "folder",
                                            path.hasSuffix("passwd") ? #"{"annotations": "\#(path)"}"# : #"{"folder": "\#(path)"}"#)
                #expect(answer.status == .forbidden, "\(path): \(answer.status) \(answer.reason)")
                #expect(!answer.reason.contains("root:"), "file contents must never be quoted")
            }
            let folder = try await post("folder", #"{"folder": "\#(folders.images.path)"}"#)
            #expect(folder.status == .ok)
            #expect((folder.object["imported"] as? [[String: Any]])?.map { $0["originalName"] as? String } == ["inside.png"])
            let skipped = try #require(folder.object["skipped"] as? [[String: Any]])
            #expect(skipped.map { $0["file"] as? String } == ["link.png"])
            #expect((skipped.first?["reason"] as? String)?.contains("outside the server's import root") == true)
        }
    }

    @Test("without --import-root, imports from the server's disk are refused")
    func noImportRoot() async throws {
        let server = try await TestServer(importRoot: nil)
        try await server.run { client in
            let project = try await client.createTreeProject(token: server.admin)
            let answer = try await client.execute(
                uri: "/api/projects/\(project)/images/import/folder", method: .post, headers: headers(server.admin),
                body: json(#"{"folder": "/tmp"}"#))
            #expect(answer.status == .forbidden)
            #expect(answer.reason.contains("--import-root"))
        }
    }

    @Test("an image over the default 40 MP limit is 413 from its header, for any token")
    func pixelLimit() async throws {
        let server = try await TestServer()
        let user = try await server.userToken()
        // 48 MP of one grey level: a small file, a large decode.
        let big = try Image(width: 8_000, height: 6_000, channels: 1, fill: 0).pngData()
        try await server.run { client in
            let project = try await client.createTreeProject(token: server.admin)
            try await client.addMember("ana", role: "owner", project: project, token: server.admin)
            let response = try await client.upload(big, name: "huge.png", project: project, token: user)
            #expect(response.status == .contentTooLarge)
            #expect(response.reason.contains("limit of 40000000 pixels"), "\(response.reason)")
        }
    }

    @Test("every response carries the security headers, errors and static files included")
    func securityHeaders() async throws {
        let server = try await TestServer()
        try await server.run { client in
            for uri in ["/", "/api/projects", "/simulation?images=10", "/simulation?images=1e300", "/nowhere"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy, "\(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[SecurityHeadersMiddleware.xFrameOptions] == "DENY", "\(uri)")
            }
        }
    }

    @Test("the data folder is made private: folders 0700, files 0600, new files too")
    func privateDataFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("private-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let old = images.appendingPathComponent("old.png")
        FileManager.default.createFile(atPath: old.path, contents: Data([1]), attributes: [.posixPermissions: 0o644])
        try DataFolder.makePrivate(folder)
        func mode(_ url: URL) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
        }
        #expect(try mode(folder) == 0o700)
        #expect(try mode(images) == 0o700)
        #expect(try mode(old) == 0o600)
        let new = images.appendingPathComponent("new.png")
        try Data([2]).write(to: new)
        #expect(try mode(new) == 0o600)
    }
}
