import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Who may do what in a project: every project route against owner, annotator, reviewer and a
/// non-member (who must not learn that the project exists).
@Suite("project roles over HTTP")
struct ProjectRoleTests {
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
    }

    static let tree = #"{"objects": [{"classIndex": 0, "box": {"x1": 2, "y1": 2, "x2": 20, "y2": 20}}]}"#

    /// Reads any member may make.
    static func viewing(_ p: Int, _ i: Int) -> [Route] {
        [
            Route(method: .get, path: "/api/projects/\(p)"), Route(method: .get, path: "/api/projects/\(p)/classes"),
            Route(method: .get, path: "/api/projects/\(p)/images"), Route(method: .get, path: "/api/projects/\(p)/images/\(i)"),
            Route(method: .get, path: "/api/projects/\(p)/images/\(i)/file"),
            Route(method: .get, path: "/api/projects/\(p)/images/\(i)/annotation"),
            Route(method: .get, path: "/api/projects/\(p)/images/\(i)/annotation/history"),
            Route(method: .get, path: "/api/projects/\(p)/status"), Route(method: .get, path: "/api/projects/\(p)/evaluations"),
            Route(method: .get, path: "/api/projects/\(p)/annotation-times"),
        ]
    }

    /// The labelling loop, which every role may run (ends with the image labelled again).
    static func annotating(_ p: Int, _ i: Int, skip: Int) -> [Route] {
        [
            Route(method: .get, path: "/api/projects/\(p)/images/next"),
            Route(method: .post, path: "/api/projects/\(p)/images/\(i)/open"),
            Route(method: .put, path: "/api/projects/\(p)/images/\(i)/annotation", body: tree),
            Route(method: .delete, path: "/api/projects/\(p)/images/\(i)/annotation"),
            Route(method: .put, path: "/api/projects/\(p)/images/\(i)/annotation", body: tree),
            Route(method: .post, path: "/api/projects/\(p)/images/\(skip)/lease"),
            Route(method: .delete, path: "/api/projects/\(p)/images/\(skip)/lease"),
            Route(method: .post, path: "/api/projects/\(p)/images/\(skip)/skip"),
        ]
    }

    /// The review queue and decisions: reviewers and owners. Version 1 is long stale by the time the
    /// decision is sent (409), which is past the role check.
    static func reviewing(_ p: Int, _ i: Int) -> [Route] {
        [
            Route(method: .get, path: "/api/projects/\(p)/review/next"),
            Route(method: .post, path: "/api/projects/\(p)/images/\(i)/review", body: #"{"decision": "accept", "version": 1}"#),
        ]
    }

    /// Owner-only: classes, images in, exports out, members, deletion.
    static func managing(_ p: Int, member: Int64) -> [Route] {
        [
            Route(method: .post, path: "/api/projects/\(p)/classes", body: #"{"name": "bush"}"#),
            Route(method: .post, path: "/api/projects/\(p)/images?name=x.png", body: ""),
            Route(method: .get, path: "/api/projects/\(p)/export/coco"), Route(method: .get, path: "/api/projects/\(p)/export/yolo"),
            Route(method: .get, path: "/api/projects/\(p)/export/voc"), Route(method: .get, path: "/api/projects/\(p)/export/model"),
            Route(method: .get, path: "/api/projects/\(p)/members"),
            Route(method: .put, path: "/api/projects/\(p)/members", body: #"{"name": "nick", "role": "annotator"}"#),
            Route(method: .delete, path: "/api/projects/\(p)/members/\(member)"),
        ]
    }

    /// Server-disk imports: owner routes that also need a server admin.
    static func importing(_ p: Int) -> [Route] {
        ["folder", "coco", "labelmaps", "yolo"].map {
            Route(method: .post, path: "/api/projects/\(p)/images/import/\($0)", body: #"{"folder": "/tmp"}"#)
        }
    }

    func send(_ route: Route, token: String, client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: route.path, method: route.method, headers: headers(token, contentType: "application/json"),
            body: route.body.map(json))
    }

    @Test("a non-member gets 404 on every project route and no trace in the list; members the role's rights; owners manage")
    func roleMatrix() async throws {
        let server = try await TestServer()
        let (olga, anna, rita, nick) = (
            try await server.userToken("olga"), try await server.userToken("anna"), try await server.userToken("rita"),
            try await server.userToken("nick")
        )
        try await server.run { client in
            let p = try await client.createTreeProject(token: olga)
            let i = try await client.uploadImage(try TestImages.png(width: 32, height: 24), project: p, token: olga)
            let spare = try await client.uploadImage(try TestImages.png(width: 32, height: 24), name: "b.png", project: p, token: olga)
            #expect(try await client.submit(Self.tree, project: p, image: i, token: olga).status == .ok)
            try await client.addMember("anna", role: "annotator", project: p, token: olga)
            try await client.addMember("rita", role: "reviewer", project: p, token: olga)
            let nickID = try #require(try await server.store.accounts().first { $0.name == "nick" }?.id)

            // The non-member: the same 404 as for a project that does not exist, on every route.
            let all =
                Self.viewing(p, i) + Self.annotating(p, i, skip: spare) + Self.reviewing(p, i) + Self.managing(p, member: nickID)
                + Self.importing(p) + [Route(method: .get, path: "/api/projects/\(p)/events"), Route(method: .delete, path: "/api/projects/\(p)")]
            for route in all {
                let answer = try await send(route, token: nick, client: client)
                #expect(answer.status == .notFound, "\(route.method) \(route.path)")
                #expect(answer.reason == "project \(p) does not exist", "\(route.method) \(route.path)")
            }
            let listed = try await client.execute(uri: "/api/projects", method: .get, headers: headers(nick))
            #expect((listed.object["projects"] as? [[String: Any]])?.isEmpty == true)

            // Annotators and reviewers view and annotate, and are refused owner routes with 403.
            for (token, role) in [(anna, "annotator"), (rita, "reviewer")] {
                let list = try await client.execute(uri: "/api/projects", method: .get, headers: headers(token))
                #expect((list.object["projects"] as? [[String: Any]])?.map { $0["role"] as? String } == [role])
                for route in Self.viewing(p, i) + Self.annotating(p, i, skip: spare) {
                    let answer = try await send(route, token: token, client: client)
                    #expect(
                        (200..<300).contains(answer.status.code),
                        "\(role): \(route.method) \(route.path): \(answer.status) \(answer.reason)")
                }
                for route in Self.managing(p, member: nickID) + Self.importing(p) + [Route(method: .delete, path: "/api/projects/\(p)")] {
                    let answer = try await send(route, token: token, client: client)
                    #expect(answer.status == .forbidden, "\(role): \(route.method) \(route.path)")
                    #expect(answer.reason.contains("owner role"), "\(role): \(answer.reason)")
                }
            }
            // Reviewing: the reviewer and the owner, not the annotator.
            for (token, who) in [(rita, "reviewer"), (olga, "owner"), (anna, "annotator")] {
                for route in Self.reviewing(p, i) {
                    let answer = try await send(route, token: token, client: client)
                    if who == "annotator" {
                        #expect(answer.status == .forbidden && answer.reason.contains("reviewer or owner role"), "\(route.path): \(answer.reason)")
                    } else {
                        #expect(![.forbidden, .notFound].contains(answer.status), "\(who): \(route.method) \(route.path): \(answer.reason)")
                    }
                }
            }
            let history = try await client.execute(
                uri: "/api/projects/\(p)/images/\(i)/annotation/history", method: .get, headers: headers(olga))
            #expect(
                (history.object["history"] as? [[String: Any]])?.compactMap { $0["who"] as? String }.suffix(3) == ["rita", "rita", "rita"])

            // The owner manages (an empty upload is 415 and no model yet is 409: past the role check either way).
            for route in Self.managing(p, member: nickID) {
                let answer = try await send(route, token: olga, client: client)
                #expect(![.forbidden, .notFound].contains(answer.status), "owner: \(route.method) \(route.path): \(answer.reason)")
            }
            for route in Self.importing(p) {
                let answer = try await send(route, token: olga, client: client)
                #expect(answer.status == .forbidden && answer.reason.contains("admin"), "\(route.path): \(answer.reason)")
            }
            // Nick was added by the owner above and removed again: still no trace.
            #expect(try await client.execute(uri: "/api/projects/\(p)", method: .get, headers: headers(nick)).status == .notFound)
            // Members cannot leave the project ownerless; the owner deletes it.
            let demote = try await client.execute(
                uri: "/api/projects/\(p)/members", method: .put, headers: headers(olga),
                body: json(#"{"name": "olga", "role": "annotator"}"#))
            #expect(demote.status == .conflict)
            #expect(try await client.execute(uri: "/api/projects/\(p)", method: .delete, headers: headers(olga)).status == .noContent)
        }
    }

    @Test("server admins see and manage every project without being members")
    func adminsSeeAll() async throws {
        let server = try await TestServer()
        let ana = try await server.userToken("ana")
        try await server.run { client in
            let p = try await client.createTreeProject(token: ana)
            let list = try await client.execute(uri: "/api/projects", method: .get, headers: headers(server.admin))
            #expect((list.object["projects"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [p])
            let members = try await client.execute(uri: "/api/projects/\(p)/members", method: .get, headers: headers(server.admin))
            #expect((members.object["members"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["ana"])
            #expect(
                try await client.execute(uri: "/api/projects/\(p)", method: .delete, headers: headers(server.admin)).status == .noContent)
        }
    }
}
