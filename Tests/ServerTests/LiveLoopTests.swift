import Foundation
import HummingbirdTesting
import Server
import Testing

@Suite("the live loop: open, pre-label, submit, score")
struct LiveLoopTests {
    @Test("no pre-label until the engine is ready; then it is shown, stored and scored on submit")
    func prelabels() async throws {
        let server = try await TestServer(service: InMemoryTrainingService(readyAfter: 2))
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        let tree = #"{"objects": [{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}]}"#
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            var images: [Int] = []
            for i in 0..<3 { images.append(try await client.uploadImage(png, name: "\(i).png", project: project, token: token)) }

            for image in images.prefix(2) {
                let opened = try await client.execute(
                    uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token))
                #expect(opened.status == .ok)
                #expect(opened.object["ready"] as? Bool == false)
                #expect(opened.object["prediction"] == nil || opened.object["prediction"] is NSNull)
                let submitted = try await client.submit(tree, project: project, image: image, token: token)
                #expect(submitted.object["liveScore"] == nil || submitted.object["liveScore"] is NSNull)
            }

            let opened = try await client.execute(
                uri: "/api/projects/\(project)/images/\(images[2])/open", method: .post, headers: headers(token))
            #expect(opened.object["ready"] as? Bool == true)
            let prediction = try #require(opened.object["prediction"] as? [String: Any])
            #expect((prediction["objects"] as? [Any])?.count == 1)
            let submitted = try await client.submit(tree, project: project, image: images[2], token: token, source: "prelabel-accepted")
            let score = try #require(submitted.object["liveScore"] as? [String: Any])
            #expect(score["secondary"] as? Double == 1 && score["metric"] as? String == "boxAP")

            let evaluations = try await client.execute(
                uri: "/api/projects/\(project)/evaluations", method: .get, headers: headers(token))
            #expect((evaluations.object["evaluations"] as? [[String: Any]])?.first?["imageId"] as? Int == images[2])
            let status = try await client.execute(uri: "/api/projects/\(project)/status", method: .get, headers: headers(token))
            #expect(status.object["samples"] as? Int == 3)
            #expect(status.object["state"] as? String == "training")
        }
        #expect(server.service.opened.count == 3)
        #expect(server.service.submissions.last?.openedPrediction != nil)
        #expect(server.service.submissions.first?.openedPrediction == nil)
    }

    @Test("a submit naming its opening is scored against the pre-label on screen, not a later open's; another image's is 422")
    func namedOpening() async throws {
        let server = try await TestServer(service: InMemoryTrainingService(readyAfter: 2))
        let token = server.admin
        let png = try TestImages.png(width: 64, height: 48)
        let left = #"[{"classIndex": 0, "box": {"x1": 4, "y1": 4, "x2": 30, "y2": 40}}]"#
        let right = #"[{"classIndex": 0, "box": {"x1": 34, "y1": 4, "x2": 60, "y2": 40}}]"#
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            var images: [Int] = []
            for i in 0..<4 { images.append(try await client.uploadImage(png, name: "\(i).png", project: project, token: token)) }
            for image in images.prefix(2) {
                _ = try await client.submit(#"{"objects": \#(left)}"#, project: project, image: image, token: token)
            }
            func open(_ image: Int) async throws -> [String: Any] {
                try await client.execute(uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token)).object
            }
            // The in-memory model predicts its latest sample: the left tree, then (after image 3) the right one.
            let first = try await open(images[2])
            let shown = try #require(first["opening"] as? Int)
            _ = try await client.submit(#"{"objects": \#(right)}"#, project: project, image: images[3], token: token)
            let second = try await open(images[2])
            let unseen = try #require(second["opening"] as? Int)
            #expect(unseen != shown)

            let foreign = try await client.submit(
                #"{"objects": \#(left), "opening": \#(shown)}"#, project: project, image: images[3], token: token)
            #expect(foreign.status == .unprocessableContent)
            #expect(foreign.reason.contains("opening \(shown)"), "\(foreign.reason)")
            let untouched = try await client.execute(uri: "/api/projects/\(project)/images/\(images[3])/annotation", method: .get, headers: headers(token))
            let kept = (untouched.object["objects"] as? [[String: Any]])?.first?["box"] as? [String: Any]
            #expect((kept?["x1"] as? NSNumber)?.doubleValue == 34, "the refused submit changed nothing")

            // The annotator kept the first pre-label (the left tree) and accepted it.
            let saved = try await client.submit(
                #"{"objects": \#(left), "opening": \#(shown)}"#, project: project, image: images[2], token: token,
                source: "prelabel-accepted")
            let score = try #require(saved.object["liveScore"] as? [String: Any])
            #expect(score["secondary"] as? Double == 1, "scored against the left tree shown, not the unseen right one")
        }
        #expect(server.service.submissions.last?.openedPrediction?.objects.first?.box.x1 == 4)
    }

    @Test("a failing model does not block labelling: open answers without a pre-label")
    func failingModel() async throws {
        let service = InMemoryTrainingService()
        service.failsToPredict = true
        let server = try await TestServer(service: service)
        let token = server.admin
        let png = try TestImages.png()
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            let image = try await client.uploadImage(png, project: project, token: token)
            let opened = try await client.execute(
                uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token))
            #expect(opened.status == .ok)
            #expect(opened.object["ready"] as? Bool == false)
        }
    }

    @Test("the events stream sends the current state, each update, and labelling progress")
    func events() async throws {
        let updates = [
            TrainingStatus(state: .training, step: 5, loss: 0.5, samples: 1),
            TrainingStatus(state: .pausedPlateau, step: 9, loss: 0.25, samples: 1, livePrimary: 0.4),
        ]
        let server = try await TestServer(service: InMemoryTrainingService(scriptedUpdates: updates))
        let token = server.admin
        try await server.run { client in
            let project = try await client.createTreeProject(token: token)
            // EventSource cannot set headers, so the token rides in the query.
            let response = try await client.execute(uri: "/api/projects/\(project)/events?token=\(token)", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = response.text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: status") }
            #expect(events.count == 3)
            let states = try events.map { event -> String in
                let data = try #require(event.split(separator: "\n").first { $0.hasPrefix("data: ") }?.dropFirst(6))
                let object = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
                #expect((object?["progress"] as? [String: Any])?["total"] as? Int == 0)
                return (object?["training"] as? [String: Any])?["state"] as? String ?? ""
            }
            #expect(states == ["waiting-for-labels", "training", "paused-plateau"])
        }
    }
}

@Suite("shutdown")
struct ShutdownTests {
    @Test("open event streams end when the server shuts down, so a browser tab cannot hold it up")
    func eventStreamsEnd() async throws {
        let server = try await TestServer()  // its updates never finish on their own
        let token = server.admin
        let socket = try await withThrowingTaskGroup(of: RawSocket?.self) { group in
            group.addTask {
                try await server.run { client in
                    let project = try await client.createTreeProject(token: token)
                    let socket = try RawSocket(port: try #require(client.port))
                    try socket.send("GET /api/projects/\(project)/events?token=\(token) HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    let head = try socket.read(until: "event: status")
                    #expect(head.hasPrefix("HTTP/1.1 200"))
                    return socket
                }
            }
            // Fail rather than hang if the stream keeps the shutdown waiting.
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "the server did not shut down within 30 s with an event stream open")
        }
        // `run` returned, so the server has shut down; the stream must have been ended, not cut.
        let rest = try #require(socket.readToEnd())
        #expect(rest.hasSuffix("0\r\n\r\n"))  // the chunked body's last chunk
    }
}
