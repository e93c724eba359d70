import Foundation
import HummingbirdTesting
import Testing

@Suite("projects and classes over HTTP")
struct ProjectAPITests {
    @Test("create, list, get, add a class")
    func crud() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let id = try await client.createTreeProject(token: token)
            let list = try await client.execute(uri: "/api/projects", method: .get, headers: headers(token))
            #expect((list.object["projects"] as? [[String: Any]])?.count == 1)
            let project = try await client.execute(uri: "/api/projects/\(id)", method: .get, headers: headers(token))
            #expect(project.object["task"] as? String == "detection")
            let classes = try #require(project.object["classes"] as? [[String: Any]])
            #expect(classes.map { $0["name"] as? String } == ["tree", "shrub"])
            #expect(classes[1]["colour"] as? String == "#00ff00")
            #expect((project.object["counts"] as? [String: Any])?["total"] as? Int == 0)
            let added = try await client.execute(
                uri: "/api/projects/\(id)/classes", method: .post, headers: headers(token),
                body: json(##"{"name": "dead tree", "colour": "#123456"}"##))
            #expect(added.status == .created)
            #expect(added.object["index"] as? Int == 2)
        }
    }

    @Test("an admin deletes a project with its images, labels and trainer; others are untouched; a non-member gets 404")
    func delete() async throws {
        let server = try await TestServer()
        let token = server.admin
        let user = try await server.userToken()
        let png = try TestImages.png(width: 32, height: 24)
        let tree = #"{"objects": [{"classIndex": 0, "box": {"x1": 2, "y1": 2, "x2": 20, "y2": 20}}]}"#
        let (gone, kept) = try await server.run { client in
            let gone = try await client.createTreeProject(token: token, name: "gone")
            let kept = try await client.createTreeProject(token: token, name: "kept")
            for project in [gone, kept] {
                let image = try await client.uploadImage(png, name: "a.png", project: project, token: token)
                #expect(try await client.submit(tree, project: project, image: image, token: token).status == .ok)
            }
            let refused = try await client.execute(uri: "/api/projects/\(gone)", method: .delete, headers: headers(user))
            #expect(refused.status == .notFound)
            let deleted = try await client.execute(uri: "/api/projects/\(gone)", method: .delete, headers: headers(token))
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/api/projects/\(gone)", method: .get, headers: headers(token)).status == .notFound)
            #expect(try await client.execute(uri: "/api/projects/\(gone)", method: .delete, headers: headers(token)).status == .notFound)
            let list = try await client.execute(uri: "/api/projects", method: .get, headers: headers(token))
            #expect((list.object["projects"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [kept])
            return (gone, kept)
        }
        #expect(server.service.deletedProjects == [Int64(gone)])
        let images = server.config.imagesDirectory
        #expect(!FileManager.default.fileExists(atPath: images.appendingPathComponent("\(gone)").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: images.appendingPathComponent("\(kept)").path).count == 1)
        #expect(try await server.store.imagesWithAnnotations(project: Int64(kept)).compactMap(\.annotation).count == 1)
    }

    @Test("malformed JSON and wrong types are 400 with where and why")
    func malformed() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let cases: [(String, String)] = [
                (#"{"name": "x", "task": "detection""#, "malformed JSON"),
                (#"{"task": "detection"}"#, "missing field 'name'"),
                (#"{"name": 5, "task": "detection"}"#, "name: expected a string"),
                (#"{"name": "x", "task": "keypoints"}"#, "task"),
                ("", "empty body"),
            ]
            for (body, expected) in cases {
                let response = try await client.execute(
                    uri: "/api/projects", method: .post, headers: headers(token), body: json(body))
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.reason.contains(expected), "\(response.reason)")
            }
        }
        #expect(try await server.store.projects().isEmpty)
    }

    @Test("duplicates are 409, invalid names and colours 422, unknown ids 404, non-numeric ids 400")
    func domainErrors() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let id = try await client.createTreeProject(token: token)
            let again = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(token),
                body: json(#"{"name": "Trees", "task": "detection"}"#))
            #expect(again.status == .conflict)
            #expect(again.reason.contains("already exists"))
            let colour = try await client.execute(
                uri: "/api/projects/\(id)/classes", method: .post, headers: headers(token),
                body: json(#"{"name": "x", "colour": "blue"}"#))
            #expect(colour.status == .unprocessableContent)
            let empty = try await client.execute(
                uri: "/api/projects", method: .post, headers: headers(token), body: json(#"{"name": " ", "task": "semantic"}"#))
            #expect(empty.status == .unprocessableContent)
            let missing = try await client.execute(uri: "/api/projects/999", method: .get, headers: headers(token))
            #expect(missing.status == .notFound)
            #expect(missing.reason == "project 999 does not exist")
            #expect(try await client.execute(uri: "/api/projects/abc", method: .get, headers: headers(token)).status == .badRequest)
        }
    }
}
