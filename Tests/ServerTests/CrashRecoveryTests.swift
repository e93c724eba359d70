import Foundation
import Store
import TestSupport
import Testing
import Vision

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `livetrain serve` process, killed with SIGKILL while training and started again on the
/// same data folder.
@Suite("crash recovery", .serialized)
struct CrashRecoveryTests {
    /// The server binary next to the test bundle (built by `swift build --build-tests`).
    static var binary: URL {
        let here = Bundle.main.bundleURL
        let candidates = [here.appendingPathComponent("livetrain"), here.deletingLastPathComponent().appendingPathComponent("livetrain")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// A running server: its process and the base URL and token read from its login line.
    struct Running {
        let process: Process
        let base: URL
        let token: String

        static func start(data: URL, checkpointEvery: Int) throws -> Running {
            let process = Process()
            process.executableURL = CrashRecoveryTests.binary
            process.arguments = ["serve", "--data", data.path, "--port", "0", "--input-size", "128", "--checkpoint-every", "\(checkpointEvery)",
                                 "--threads", "1", "--weights", PackagePaths.weights.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            var buffer = ""
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let chunk = pipe.fileHandleForReading.availableData
                buffer += String(decoding: chunk, as: UTF8.self)
                if let line = buffer.split(separator: "\n").first(where: { $0.contains("/#token=") }) {
                    let link = String(line.split(separator: " ").last!)
                    let parts = link.components(separatedBy: "/#token=")
                    return Running(process: process, base: URL(string: parts[0])!, token: parts[1])
                }
                if chunk.isEmpty && !process.isRunning { break }
            }
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no login link from the server: \(buffer)"])
        }

        func request(_ method: String, _ path: String, json: Any? = nil, body: Data? = nil) async throws -> (Int, Any?) {
            var r = URLRequest(url: URL(string: base.absoluteString + path)!)
            r.httpMethod = method
            r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let json {
                r.httpBody = try JSONSerialization.data(withJSONObject: json)
                r.setValue("application/json", forHTTPHeaderField: "Content-Type")
            } else if let body {
                r.httpBody = body
            }
            let (data, response) = try await URLSession.shared.data(for: r)
            return ((response as! HTTPURLResponse).statusCode, try? JSONSerialization.jsonObject(with: data))
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A 128x128 picture of a bright square on grey, and the square's box.
    static func picture(_ i: Int) throws -> (Data, [String: Double]) {
        var image = Image(width: 128, height: 128, channels: 3, fill: 60)
        let x0 = 10 + 20 * i, y0 = 20 + 10 * i
        for y in y0..<(y0 + 40) { for x in x0..<(x0 + 40) { for c in 0..<3 { image[x: x, y: y, channel: c] = 230 } } }
        return (try image.pngData(), ["x1": Double(x0), "y1": Double(y0), "x2": Double(x0 + 40), "y2": Double(y0 + 40)])
    }

    @Test("after SIGKILL during training every submitted annotation is there and training resumes from the last checkpoint at start")
    func killAndRestart() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("livetrain-crash-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        var server = try Running.start(data: data, checkpointEvery: 3)
        let (created, project) = try await server.request("POST", "/api/projects", json: ["name": "squares", "task": "detection", "classes": [["name": "square"]]])
        #expect(created == 201)
        let projectID = try #require((project as? [String: Any])?["id"] as? Int)
        var submitted: [Int: [String: Double]] = [:]
        for i in 0..<3 {
            let (png, box) = try Self.picture(i)
            let (status, image) = try await server.request("POST", "/api/projects/\(projectID)/images?name=square\(i).png", body: png)
            #expect(status == 201)
            let imageID = try #require((image as? [String: Any])?["id"] as? Int)
            let (saved, _) = try await server.request("PUT", "/api/projects/\(projectID)/images/\(imageID)/annotation",
                                                       json: ["objects": [["classIndex": 0, "box": box]], "source": "drawn"])
            #expect(saved == 200)
            submitted[imageID] = box
        }
        // Wait until the trainer has written a checkpoint, then kill it mid-training.
        var checkpointStep = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && checkpointStep == 0 {
            let (_, status) = try await server.request("GET", "/api/projects/\(projectID)/status")
            checkpointStep = (status as? [String: Any])?["lastCheckpointStep"] as? Int ?? 0
            try await Task.sleep(nanoseconds: 300_000_000)
        }
        #expect(checkpointStep > 0, "no checkpoint within two minutes")
        // The store lists the checkpoints too, recorded as the trainer writes them (read beside the server: WAL).
        let store = try Store(path: data.appendingPathComponent("livetrain.sqlite").path)
        var recorded = try await store.latestCheckpoint(project: Int64(projectID))
        for _ in 0..<50 where recorded == nil {
            try await Task.sleep(nanoseconds: 100_000_000)
            recorded = try await store.latestCheckpoint(project: Int64(projectID))
        }
        #expect((recorded?.step ?? 0) >= checkpointStep)
        #expect(recorded.map { FileManager.default.fileExists(atPath: $0.path) } == true)
        server.kill()

        // No automatic checkpoints after the restart: a checkpoint step it reports can only be the one it resumed from.
        server = try Running.start(data: data, checkpointEvery: 0)
        defer { server.kill() }
        for (imageID, box) in submitted {
            let (status, annotation) = try await server.request("GET", "/api/projects/\(projectID)/images/\(imageID)/annotation")
            #expect(status == 200)
            let objects = (annotation as? [String: Any])?["objects"] as? [[String: Any]]
            #expect((objects?.first?["box"] as? [String: Double]) == box)
        }
        // The project's model resumes when the server starts, before any request: /status starts nothing
        // itself, so it shows the trainer the start-up resumed, with every labelled sample.
        var status: [String: Any] = [:]
        let resumeDeadline = Date().addingTimeInterval(60)
        while Date() < resumeDeadline && (status["samples"] as? Int ?? 0) < 3 {
            status = (try await server.request("GET", "/api/projects/\(projectID)/status").1 as? [String: Any]) ?? [:]
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let step = status["step"] as? Int ?? -1
        let resumedFrom = status["lastCheckpointStep"] as? Int ?? -1
        #expect(status["samples"] as? Int == 3, "status after restart, no request made: \(status)")
        #expect(resumedFrom >= checkpointStep, "resumed from checkpoint step \(resumedFrom), one was written at \(checkpointStep)")
        #expect(step >= resumedFrom)
        // The data folder is the server user's alone.
        let modes = try [data, data.appendingPathComponent("livetrain.sqlite"), data.appendingPathComponent("images")].map {
            try FileManager.default.attributesOfItem(atPath: $0.path)[.posixPermissions] as? Int
        }
        #expect(modes == [0o700, 0o600, 0o700])
    }
}
