import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("image uploads, listing and files")
struct ImageAPITests {
    @Test("PNG and JPEG uploads are stored with their sizes and served back byte for byte")
    func upload() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        let jpeg = try TestImages.jpeg(width: 30, height: 20)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let first = try await client.upload(png, name: "tile 1.png", project: project, token: token)
            #expect(first.status == .created)
            #expect(first.object["width"] as? Int == 64)
            #expect(first.object["height"] as? Int == 48)
            #expect(first.object["status"] as? String == "unlabelled")
            #expect(first.object["originalName"] as? String == "tile 1.png")
            let second = try await client.upload(jpeg, name: "b.jpg", project: project, token: token)
            #expect(second.object["width"] as? Int == 30)
            let file = try #require(first.object["file"] as? String)
            let served = try await client.execute(uri: file, method: .get, headers: headers(token))
            #expect(served.headers[.contentType] == "image/png")
            #expect(Data(buffer: served.body) == png)
        }
    }

    @Test("non-images are 415, damaged images 422, and nothing is stored for them")
    func notImages() async throws {
        let server = try await TestServer()
        let token = server.admin
        let truncated = try TestImages.jpeg(width: 64, height: 64).prefix(200)
        let gif = Data("GIF89a".utf8) + Data(repeating: 0, count: 32)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let text = try await client.upload(Data("hello, not an image".utf8), name: "a.png", project: project, token: token)
            #expect(text.status == .unsupportedMediaType)
            #expect(text.reason.contains("text, not an image"))
            let gifResponse = try await client.upload(gif, name: "a.gif", project: project, token: token)
            #expect(gifResponse.status == .unsupportedMediaType)
            #expect(gifResponse.reason.contains("GIF"))
            let empty = try await client.upload(Data(), name: "a.png", project: project, token: token)
            #expect(empty.status == .unsupportedMediaType)
            let damaged = try await client.upload(Data(truncated), name: "a.jpg", project: project, token: token)
            #expect(damaged.status == .unprocessableContent)
            #expect(damaged.reason.contains("JPEG"))
            let list = try await client.execute(uri: "/api/projects/\(project)/images", method: .get, headers: headers(token))
            #expect(list.object["total"] as? Int == 0)
        }
        let folder = server.config.imagesDirectory.appendingPathComponent("1")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? true)
    }

    @Test("bodies over the upload limit are 413, and so are images over the pixel limit")
    func limits() async throws {
        let server = try await TestServer(limits: .init(maxUploadBytes: 20_000, maxImagePixels: 10_000))
        let token = server.admin
        // One colour compresses to far under 20 kB, but 400x400 is 16 times the pixel limit.
        let big = try TestImages.png(width: 400, height: 400)
        let noisy = Data((0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let tooLarge = try await client.upload(noisy, name: "x.png", project: project, token: token)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.reason.contains("20000"))
            let tooManyPixels = try await client.upload(big, name: "big.png", project: project, token: token)
            #expect(tooManyPixels.status == .contentTooLarge)
            #expect(tooManyPixels.reason.contains("400x400"))
            #expect(
                try await client.upload(TestImages.png(width: 50, height: 50), name: "ok.png", project: project, token: token).status
                    == .created)
        }
    }

    @Test("a name with path tricks never becomes a path: the file gets a server name in the project folder")
    func pathTricks() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png()
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            for name in ["../../etc/passwd", "..\\..\\boot.ini", "/abs/x.png", "..", "a\u{0}b.png"] {
                let response = try await client.upload(png, name: name, project: project, token: token)
                #expect(response.status == .created, "\(name)")
                let shown = response.object["originalName"] as? String ?? ""
                #expect(!shown.contains("/") && !shown.contains("\\") && !shown.contains(".."), "\(shown)")
            }
        }
        let folder = server.config.imagesDirectory.appendingPathComponent("1")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 5)
        #expect(files.allSatisfy { $0.range(of: #"^[0-9a-f-]{36}\.png$"#, options: .regularExpression) != nil })
        let outside = try FileManager.default.contentsOfDirectory(atPath: server.folder.path).sorted()
        #expect(outside == ["admin-password", "admin-token", "images", "livetrain.sqlite", "livetrain.sqlite-shm", "livetrain.sqlite-wal"])
        #expect(!FileManager.default.fileExists(atPath: server.config.imagesDirectory.appendingPathComponent("etc").path))
    }

    @Test("listing pages and filters by status; next gives the first unlabelled, then null")
    func listAndNext() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png()
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            var ids: [Int] = []
            for i in 0..<3 { ids.append(try await client.uploadImage(png, name: "\(i).png", project: project, token: token)) }
            let page = try await client.execute(
                uri: "/api/projects/\(project)/images?offset=1&limit=1", method: .get, headers: headers(token))
            #expect(page.object["total"] as? Int == 3)
            #expect((page.object["items"] as? [[String: Any]])?.first?["id"] as? Int == ids[1])
            let skip = try await client.execute(
                uri: "/api/projects/\(project)/images/\(ids[0])/skip", method: .post, headers: headers(token))
            #expect(skip.object["status"] as? String == "skipped")
            let next = try await client.execute(uri: "/api/projects/\(project)/images/next", method: .get, headers: headers(token))
            #expect((next.object["image"] as? [String: Any])?["id"] as? Int == ids[1])
            #expect(next.object["remaining"] as? Int == 2)
            let after = try await client.execute(
                uri: "/api/projects/\(project)/images/next?after=\(ids[1])", method: .get, headers: headers(token))
            #expect((after.object["image"] as? [String: Any])?["id"] as? Int == ids[2])
            let skipped = try await client.execute(
                uri: "/api/projects/\(project)/images?status=skipped", method: .get, headers: headers(token))
            #expect(skipped.object["total"] as? Int == 1)
            let bad = try await client.execute(
                uri: "/api/projects/\(project)/images?status=done", method: .get, headers: headers(token))
            #expect(bad.status == .badRequest)
            let badLimit = try await client.execute(
                uri: "/api/projects/\(project)/images?limit=0", method: .get, headers: headers(token))
            #expect(badLimit.status == .badRequest)
            for id in ids.dropFirst() {
                _ = try await client.execute(uri: "/api/projects/\(project)/images/\(id)/skip", method: .post, headers: headers(token))
            }
            let none = try await client.execute(uri: "/api/projects/\(project)/images/next", method: .get, headers: headers(token))
            #expect(none.status == .ok)
            #expect(none.object["image"] is NSNull)
        }
    }

    @Test("an image of one project is 404 through another")
    func crossProject() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png()
        try await server.run { client in
            let a = try await client.createTreeProject(token: token, name: "a")
            let b = try await client.createTreeProject(token: token, name: "b")
            let image = try await client.uploadImage(png, project: a, token: token)
            let response = try await client.execute(uri: "/api/projects/\(b)/images/\(image)/file", method: .get, headers: headers(token))
            #expect(response.status == .notFound)
        }
    }
}
