import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Several people on one project over real loopback HTTP: leases from `next`, review, measured time.
@Suite("team annotation: leases, review and measured time")
struct TeamAnnotationTests {
    static let tree = #"{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}"#

    @Test("8 concurrent annotators label 40 images: no image leased twice, none lost, every version in the history")
    func eightAnnotators() async throws {
        let server = try await TestServer()
        var made: [String] = []
        for k in 0..<8 { made.append(try await server.userToken("annotator\(k)")) }
        let (tokens, admin) = (made, server.admin)
        try await server.run { client in
            let project = try await client.createTreeProject(token: admin)
            for k in 0..<8 { _ = try await server.store.setMember(project: Int64(project), accountName: "annotator\(k)", role: .annotator) }
            var uploaded: Set<Int> = []
            for i in 0..<40 {
                uploaded.insert(
                    try await client.uploadImage(try TestImages.png(fill: UInt8(i * 5)), name: "tile\(i).png", project: project, token: admin))
            }
            let port = try #require(client.port)
            // Each annotator: its own connection, next → submit, until nothing is left (bounded).
            let labelled = try await withThrowingTaskGroup(of: [(image: Int, who: Int)].self) { group in
                for (k, token) in tokens.enumerated() {
                    group.addTask {
                        let http = TestClient(host: "127.0.0.1", port: port)
                        http.connect()
                        var mine: [(image: Int, who: Int)] = []
                        do {
                            for _ in 0..<40 {
                                let next = try await http.get("/api/projects/\(project)/images/next", headers: headers(token))
                                #expect(next.status == .ok)
                                guard let image = (object(next)["image"] as? [String: Any])?["id"] as? Int else { break }
                                #expect((object(next)["lease"] as? [String: Any])?["holder"] as? String == "annotator\(k)")
                                let body = #"{"objects": [\#(Self.tree)], "version": 0, "activeSeconds": \#(10 + k)}"#
                                let saved = try await http.put(
                                    "/api/projects/\(project)/images/\(image)/annotation", headers: headers(token), body: json(body))
                                #expect(saved.status == .ok, "\(String(buffer: saved.body ?? ByteBuffer()))")
                                mine.append((image, k))
                            }
                        } catch {
                            try? await http.shutdown()
                            throw error
                        }
                        try await http.shutdown()
                        return mine
                    }
                }
                var all: [(image: Int, who: Int)] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(labelled.count == 40)
            #expect(Set(labelled.map(\.image)) == uploaded)
            #expect(Set(labelled.map(\.who)).count > 1, "the work was shared")
            for (image, who) in labelled {
                let history = try await client.execute(
                    uri: "/api/projects/\(project)/images/\(image)/annotation/history", method: .get, headers: headers(admin))
                let entries = history.object["history"] as? [[String: Any]] ?? []
                #expect(entries.count == 1)
                #expect(entries.first?["who"] as? String == "annotator\(who)")
                #expect(entries.first?["activeSeconds"] as? Double == Double(10 + who))
            }
            let summary = try await client.execute(uri: "/api/projects/\(project)", method: .get, headers: headers(admin))
            #expect((summary.object["counts"] as? [String: Any])?["labelled"] as? Int == 40)
            let times = try await client.execute(
                uri: "/api/projects/\(project)/annotation-times", method: .get, headers: headers(admin))
            let entries = times.object["times"] as? [[String: Any]] ?? []
            #expect(entries.count == 40)
            #expect(entries.compactMap { $0["labelledIndex"] as? Int }.sorted() == Array(0..<40))

            // A stale edit is 409: two annotators reopen one labelled image (version 1), the second save loses.
            let (image, _) = try #require(labelled.first)
            let uri = "/api/projects/\(project)/images/\(image)/annotation"
            let first = try await client.execute(
                uri: uri, method: .put, headers: headers(tokens[1]), body: json(#"{"objects": [], "version": 1}"#))
            #expect(first.status == .ok)
            let stale = try await client.execute(
                uri: uri, method: .put, headers: headers(tokens[2]), body: json(#"{"objects": [\#(Self.tree)], "version": 1}"#))
            #expect(stale.status == .conflict)
            #expect(stale.reason.contains("changed by someone else"))
        }
    }

    @Test("a lease expires after the configured time and its image goes back to the pool")
    func leaseExpiry() async throws {
        // 3 s, renewed right before the checks that need it held: a loaded machine (tests run in
        // parallel) must not let it lapse between two requests.
        let server = try await TestServer(leaseDuration: 3)
        let (ana, ben) = (try await server.userToken("ana"), try await server.userToken("ben"))
        try await server.run { client in
            let project = try await client.createTreeProject(token: ana)
            _ = try await server.store.setMember(project: Int64(project), accountName: "ben", role: .annotator)
            let image = try await client.uploadImage(try TestImages.png(), project: project, token: ana)
            let next = "/api/projects/\(project)/images/next"
            let anaNext = try await client.execute(uri: next, method: .get, headers: headers(ana))
            #expect((anaNext.object["image"] as? [String: Any])?["id"] as? Int == image)
            #expect((anaNext.object["lease"] as? [String: Any])?["leaseSeconds"] as? Double == 3)
            let lease = "/api/projects/\(project)/images/\(image)/lease"
            #expect(try await client.execute(uri: lease, method: .post, headers: headers(ana)).status == .ok)
            let none = try await client.execute(uri: next, method: .get, headers: headers(ben))
            #expect(none.object["image"] is NSNull)
            // Ben may neither submit nor skip the image Ana holds.
            let refused = try await client.submit(#"{"objects": []}"#, project: project, image: image, token: ben)
            #expect(refused.status == .conflict)
            #expect(refused.reason.contains("leased to ana"))
            let skip = try await client.execute(uri: "/api/projects/\(project)/images/\(image)/skip", method: .post, headers: headers(ben))
            #expect(skip.status == .conflict)
            try await Task.sleep(for: .milliseconds(3300))
            let benNext = try await client.execute(uri: next, method: .get, headers: headers(ben))
            #expect((benNext.object["image"] as? [String: Any])?["id"] as? Int == image)
            // Now Ana's renewal and submit meet Ben's lease.
            let renew = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/lease", method: .post, headers: headers(ana))
            #expect(renew.status == .conflict)
            #expect(try await client.submit(#"{"objects": []}"#, project: project, image: image, token: ana).status == .conflict)
            // Ben leaves (release), Ana takes it back, submits; nothing was saved before.
            let release = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/lease", method: .delete, headers: headers(ben))
            #expect(release.status == .noContent)
            let take = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/lease", method: .post, headers: headers(ana))
            #expect(take.status == .ok)
            #expect(take.object["holder"] as? String == "ana")
            let saved = try await client.submit(#"{"objects": [], "version": 0}"#, project: project, image: image, token: ana)
            #expect(saved.status == .ok)
        }
    }

    @Test("activeSeconds outside 0...86400 or not a number is 400 and stores nothing")
    func activeSecondsValidated() async throws {
        let server = try await TestServer()
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(try TestImages.png(), project: project, token: token)
            for bad in ["-1", "86401", "1e999", "\"ten\"", "true"] {
                let response = try await client.submit(#"{"objects": [], "activeSeconds": \#(bad)}"#, project: project, image: image, token: token)
                #expect(response.status == .badRequest, "activeSeconds \(bad)")
            }
            let history = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/annotation/history", method: .get, headers: headers(token))
            #expect((history.object["history"] as? [Any])?.count == 0)
            #expect(try await client.submit(#"{"objects": [], "activeSeconds": 86400}"#, project: project, image: image, token: token).status == .ok)
        }
    }

    @Test("review: returned to its annotator first with the comment; accepted ones alone in ?accepted=true exports")
    func reviewFlow() async throws {
        let server = try await TestServer()
        let (ana, rita) = (try await server.userToken("ana"), try await server.userToken("rita"))
        try await server.run { client in
            let project = try await client.createTreeProject(token: ana)
            _ = try await server.store.setMember(project: Int64(project), accountName: "rita", role: .reviewer)
            var images: [Int] = []
            for i in 0..<3 { images.append(try await client.uploadImage(try TestImages.png(fill: UInt8(i * 40)), name: "t\(i).png", project: project, token: ana)) }
            func next(_ token: String, review: Bool = false) async throws -> [String: Any] {
                let path = review ? "review/next" : "images/next"
                return try await client.execute(uri: "/api/projects/\(project)/\(path)", method: .get, headers: headers(token)).object
            }
            func id(_ reply: [String: Any]) -> Int? { (reply["image"] as? [String: Any])?["id"] as? Int }
            for _ in 0..<2 {
                let image = try #require(id(try await next(ana)))
                let body = #"{"objects": [\#(Self.tree)], "version": 0, "activeSeconds": 30}"#
                #expect(try await client.submit(body, project: project, image: image, token: ana).status == .ok)
            }
            // Oldest submitted first.
            let first = try await next(rita, review: true)
            #expect(id(first) == images[0])
            #expect((first["lease"] as? [String: Any])?["kind"] as? String == "review")
            #expect(first["remaining"] as? Int == 2)
            let review = "/api/projects/\(project)/images/\(images[0])/review"
            let noComment = try await client.execute(uri: review, method: .post, headers: headers(rita), body: json(#"{"decision": "return"}"#))
            #expect(noComment.status == .unprocessableContent)
            let staleVersion = try await client.execute(
                uri: review, method: .post, headers: headers(rita), body: json(#"{"decision": "accept", "version": 7}"#))
            #expect(staleVersion.status == .conflict)
            let badDecision = try await client.execute(uri: review, method: .post, headers: headers(rita), body: json(#"{"decision": "maybe"}"#))
            #expect(badDecision.status == .badRequest)
            let returned = try await client.execute(
                uri: review, method: .post, headers: headers(rita), body: json(#"{"decision": "return", "comment": "a tree is missing", "version": 1}"#))
            #expect(returned.status == .ok)
            #expect(returned.object["reviewState"] as? String == "returned")
            // Ana's next: the returned image first (before unlabelled images[2]), with the comment.
            let back = try await next(ana)
            #expect(id(back) == images[0])
            #expect((back["returned"] as? [String: Any])?["comment"] as? String == "a tree is missing")
            #expect((back["returned"] as? [String: Any])?["reviewer"] as? String == "rita")
            #expect(try await client.submit(#"{"objects": [\#(Self.tree), \#(Self.tree)], "version": 1}"#, project: project, image: images[0], token: ana).status == .ok)
            // Rita accepts images[1], then reviews the fixed images[0] with an edit of her own and accepts it.
            let second = try await next(rita, review: true)
            #expect(id(second) == images[1])
            let accept = #"{"decision": "accept", "version": 1}"#
            #expect(try await client.execute(uri: "/api/projects/\(project)/images/\(images[1])/review", method: .post, headers: headers(rita), body: json(accept)).status == .ok)
            #expect(id(try await next(rita, review: true)) == images[0])
            #expect(try await client.submit(#"{"objects": [\#(Self.tree)], "version": 2}"#, project: project, image: images[0], token: rita).status == .ok)
            let accepted = try await client.execute(uri: review, method: .post, headers: headers(rita), body: json(#"{"decision": "accept", "version": 3}"#))
            #expect(accepted.status == .ok)
            #expect(accepted.object["reviewState"] as? String == "accepted")
            #expect(id(try await next(rita, review: true)) == nil)
            // Ana labels the last image; it is not accepted, so ?accepted=true leaves it out.
            let last = try #require(id(try await next(ana)))
            #expect(last == images[2])
            #expect(try await client.submit(#"{"objects": []}"#, project: project, image: last, token: ana).status == .ok)
            let all = try await client.execute(uri: "/api/projects/\(project)/export/coco", method: .get, headers: headers(ana))
            let only = try await client.execute(uri: "/api/projects/\(project)/export/coco?accepted=true", method: .get, headers: headers(ana))
            let allImages = all.object["images"] as? [[String: Any]] ?? []
            let acceptedImages = only.object["images"] as? [[String: Any]] ?? []
            #expect(allImages.count == 3)
            #expect(Set(acceptedImages.compactMap { $0["id"] as? Int }) == [images[0], images[1]])
            // Measured time on each image entry: the first annotator, and seconds summed over timed versions.
            let entry = try #require(allImages.first { $0["id"] as? Int == images[0] })
            #expect(entry["annotator"] as? String == "ana")
            #expect(entry["annotation_seconds"] as? Double == 30)
            #expect(entry["labelled_index"] as? Int == 0)
            #expect(allImages.first { $0["id"] as? Int == images[2] }?["annotation_seconds"] == nil)
            let yolo = try await client.execute(uri: "/api/projects/\(project)/export/yolo?accepted=maybe", method: .get, headers: headers(ana))
            #expect(yolo.status == .badRequest)
        }
    }
}

private func object(_ response: TestClient.Response) -> [String: Any] {
    guard let body = response.body else { return [:] }
    return (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
}
