import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Two people editing one image: an edit names the version it replaces, and a stale one is 409.
@Suite("annotation versions and stale edits")
struct AnnotationVersionTests {
    static let tree = #"{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}"#
    static let shrub = #"{"classIndex": 1, "box": {"x1": 1, "y1": 1, "x2": 9, "y2": 9}}"#

    @Test("a submit over a newer save is 409 and stores nothing; If-Match and the body's version both work")
    func staleSubmit() async throws {
        let server = try await TestServer()
        let (ana, ben) = (try await server.userToken("ana"), try await server.userToken("ben"))
        try await server.run { client in
            let project = try await client.createTreeProject(token: ana)
            try await client.addMember("ben", role: "annotator", project: project, token: ana)
            let image = try await client.uploadImage(try TestImages.png(), project: project, token: ana)
            let base = "/api/projects/\(project)/images/\(image)"
            // Both open the unlabelled image: version 0.
            for token in [ana, ben] {
                let opened = try await client.execute(uri: base + "/open", method: .post, headers: headers(token))
                #expect(opened.object["version"] as? Int == 0)
            }
            let first = try await client.submit(#"{"objects": [\#(Self.tree)], "version": 0}"#, project: project, image: image, token: ana)
            #expect(first.status == .ok)
            #expect((first.object["annotation"] as? [String: Any])?["version"] as? Int == 1)
            #expect(first.headers[.eTag] == "\"1\"")
            // Ben still edits version 0: refused, and Ana's labels stay.
            let stale = try await client.submit(#"{"objects": [\#(Self.shrub)], "version": 0}"#, project: project, image: image, token: ben)
            #expect(stale.status == .conflict)
            #expect(stale.reason.contains("changed by someone else"))
            let current = try await client.execute(uri: base + "/annotation", method: .get, headers: headers(ben))
            #expect((current.object["objects"] as? [[String: Any]])?.first?["classIndex"] as? Int == 0)
            #expect(current.object["updatedBy"] as? String == "ana")
            #expect(current.headers[.eTag] == "\"1\"")
            // After reloading, Ben's edit of version 1 goes through, here with If-Match.
            var ifMatch = headers(ben)
            ifMatch[.ifMatch] = "\"1\""
            let edited = try await client.execute(
                uri: base + "/annotation", method: .put, headers: ifMatch, body: json(#"{"objects": [\#(Self.shrub)]}"#))
            #expect(edited.status == .ok)
            #expect((edited.object["annotation"] as? [String: Any])?["version"] as? Int == 2)
            // Without a version, an edit replaces whatever is there (scripts that don't track versions).
            #expect(try await client.submit(#"{"objects": [\#(Self.tree)]}"#, project: project, image: image, token: ana).status == .ok)
            let history = try await client.execute(uri: base + "/annotation/history", method: .get, headers: headers(ana))
            #expect((history.object["history"] as? [Any])?.count == 3)
        }
    }

    @Test("a delete with a stale If-Match is 409; a malformed If-Match or one that contradicts the body is 400")
    func staleDelete() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(try TestImages.png(), project: project, token: token)
            let uri = "/api/projects/\(project)/images/\(image)/annotation"
            #expect(try await client.submit(#"{"objects": [\#(Self.tree)]}"#, project: project, image: image, token: token).status == .ok)
            func request(_ method: HTTPRequest.Method, ifMatch: String, body: String? = nil) async throws -> TestResponse {
                var fields = headers(token)
                fields[.ifMatch] = ifMatch
                return try await client.execute(uri: uri, method: method, headers: fields, body: body.map(json))
            }
            #expect(try await request(.delete, ifMatch: "\"0\"").status == .conflict)
            #expect(try await request(.delete, ifMatch: "abc").status == .badRequest)
            #expect(try await request(.delete, ifMatch: "\"99999999999999999999999\"").status == .badRequest)
            #expect(try await request(.put, ifMatch: "\"1\"", body: #"{"objects": [], "version": 0}"#).status == .badRequest)
            #expect(try await request(.delete, ifMatch: "W/\"1\"").status == .ok)
            // Reopened after the deletion, the image is at version 2: the next save must name it.
            let opened = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token))
            #expect(opened.object["version"] as? Int == 2)
            #expect(try await client.submit(#"{"objects": [], "version": 1}"#, project: project, image: image, token: token).status == .conflict)
            #expect(try await client.submit(#"{"objects": [], "version": 2}"#, project: project, image: image, token: token).status == .ok)
        }
    }
}
