import Formats
import Foundation
import HummingbirdTesting
import Server
import Store
import Testing

@Suite("annotations over HTTP")
struct AnnotationAPITests {
    static let oneTree = #"{"objects": [{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}]}"#

    @Test("a submitted annotation is committed before the reply and survives reopening the database")
    func durable() async throws {
        let server = try await TestServer()
        let token = try await server.userToken("ana")
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            let response = try await client.submit(Self.oneTree, project: project, image: image, token: token)
            #expect(response.status == .ok)
            #expect((response.object["image"] as? [String: Any])?["status"] as? String == "labelled")
            // Another connection to the file sees it as soon as the reply has come.
            let other = try Store(path: server.config.databaseURL.path)
            let stored = try await other.annotation(project: Int64(project), image: Int64(image))
            #expect(stored.objects == [DatasetObject(classIndex: 0, x1: 4, y1: 4, x2: 30, y2: 40)])
            #expect(stored.updatedBy == "ana")
            try other.close()
        }
        #expect(server.service.submissions.count == 1)
    }

    @Test("boxes far outside the image are 422 with the reason; the stored annotation is untouched")
    func outOfRange() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            #expect(try await client.submit(Self.oneTree, project: project, image: image, token: token).status == .ok)
            let outside = try await client.submit(
                #"{"objects": [{"classIndex": 0, "box": {"x1": 10, "y1": 10, "x2": 90, "y2": 20}}]}"#,
                project: project, image: image, token: token)
            #expect(outside.status == .unprocessableContent)
            #expect(outside.reason.contains("outside the 64x48 image"))
            let current = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation", method: .get, headers: headers(token))
            let objects = try #require(current.object["objects"] as? [[String: Any]])
            #expect((objects.first?["box"] as? [String: Any])?["x2"] as? Double == 30)
            // A pixel of overshoot is what a drag to the edge looks like: clipped, not refused.
            let edge = try await client.submit(
                #"{"objects": [{"classIndex": 1, "box": {"x1": -1, "y1": 0, "x2": 65, "y2": 48.5}}]}"#,
                project: project, image: image, token: token, source: "edited")
            #expect(edge.status == .ok)
            let box = ((edge.object["annotation"] as? [String: Any])?["objects"] as? [[String: Any]])?.first?["box"]
            #expect((box as? [String: Any])?["x1"] as? Double == 0)
            #expect((box as? [String: Any])?["x2"] as? Double == 64)
        }
        #expect(server.service.submissions.count == 2)
    }

    @Test("unknown classes and empty boxes are 422; numbers beyond Double and malformed JSON are 400")
    func invalidObjects() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            let unknown = try await client.submit(
                #"{"objects": [{"classIndex": 7, "box": {"x1": 1, "y1": 1, "x2": 5, "y2": 5}}]}"#,
                project: project, image: image, token: token)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.reason == "object 0: unknown class index 7 (the project has classes 0..<2)")
            let empty = try await client.submit(
                #"{"objects": [{"classIndex": 0, "box": {"x1": 5, "y1": 1, "x2": 5, "y2": 5}}]}"#,
                project: project, image: image, token: token)
            #expect(empty.status == .unprocessableContent)
            let huge = try await client.submit(
                #"{"objects": [{"classIndex": 0, "box": {"x1": 1e999, "y1": 1, "x2": 5, "y2": 5}}]}"#,
                project: project, image: image, token: token)
            #expect(huge.status == .badRequest)
            let broken = try await client.submit(#"{"objects": [{"classIndex": 0, "box": "#, project: project, image: image, token: token)
            #expect(broken.status == .badRequest)
            let noBox = try await client.submit(#"{"objects": [{"classIndex": 0}]}"#, project: project, image: image, token: token)
            #expect(noBox.status == .badRequest)
            #expect(noBox.reason.contains("missing field 'box'"))
            let source = try await client.submit(
                #"{"objects": [], "source": "imported"}"#, project: project, image: image, token: token)
            #expect(source.status == .unprocessableContent)
            let history = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation/history", method: .get, headers: headers(token))
            #expect((history.object["history"] as? [Any])?.isEmpty == true)
            let missing = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation", method: .get, headers: headers(token))
            #expect(missing.status == .notFound)
        }
        #expect(server.service.submissions.isEmpty)
    }

    @Test("history keeps every version with who and how; delete returns the image to unlabelled")
    func historyAndDelete() async throws {
        let server = try await TestServer()
        let ana = try await server.userToken("ana")
        let ben = try await server.userToken("ben")
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: ana)
            try await client.addMember("ben", role: "annotator", project: project, token: ana)
            let image = try await client.uploadImage(png, project: project, token: ana)
            _ = try await client.submit(Self.oneTree, project: project, image: image, token: ana)
            _ = try await client.submit(#"{"objects": []}"#, project: project, image: image, token: ben, source: "edited")
            let deleted = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation", method: .delete, headers: headers(ben))
            #expect(deleted.object["status"] as? String == "unlabelled")
            let history = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation/history", method: .get, headers: headers(ana))
            let entries = try #require(history.object["history"] as? [[String: Any]])
            #expect(entries.map { $0["who"] as? String } == ["ana", "ben", "ben"])
            #expect(entries.map { $0["source"] as? String } == ["drawn", "edited", "deleted"])
            let skip = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/skip", method: .post, headers: headers(ana))
            #expect(skip.status == .ok)
        }
        #expect(server.service.removedImages.count == 1)
    }

    @Test("a labelled image cannot be skipped (409)")
    func skipLabelled() async throws {
        let server = try await TestServer()
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            _ = try await client.submit(Self.oneTree, project: project, image: image, token: token)
            let skip = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/skip", method: .post, headers: headers(token))
            #expect(skip.status == .conflict)
        }
    }
}

extension TestClientProtocol {
    func submit(_ body: String, project: Int, image: Int, token: String, source: String) async throws -> TestResponse {
        var object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        object["source"] = source
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await submit(String(decoding: data, as: UTF8.self), project: project, image: image, token: token)
    }
}
