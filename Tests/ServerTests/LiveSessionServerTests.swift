import Foundation
import Hummingbird
import HummingbirdTesting
import LiveTraining
import Models
import Server
import Store
import TestSupport
import Testing

/// The server's loop over the real engine (a real model, trained in the background): what it stores as
/// shown and scored is what `LiveSession` decides, and the live metric survives a restart.
@Suite("the server's live session on the real engine", .serialized)
struct LiveSessionServerTests {
    /// Runs `test` against `server`, then stops its engine's trainers, pass or fail: a trainer left
    /// running would train on through the rest of the suite and into the process's exit, where libtorch's
    /// static destructors pull its kernels from under it (a SIGSEGV after every test had passed).
    static func run(_ server: LoopbackServer<TrainerService>, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        do { try await server.run(test) } catch {
            await server.service.shutdown()
            throw error
        }
        await server.service.shutdown()
    }

    static func engine(_ folder: URL) -> EngineConfig {
        var config = EngineConfig(
            weights: PackagePaths.weights,
            checkpoints: folder.appendingPathComponent("checkpoints"), device: .cpu)
        (config.inputSize, config.checkpointEvery) = (128, 0)
        return config
    }

    @Test("semi-supervised: the trainer's unlabelled pool follows uploads, submits and deleted annotations")
    func unlabelledPool() async throws {
        let server = try await LoopbackServer { config, store in
            var engine = Self.engine(config.dataDirectory)
            engine.semiSupervised = true
            return TrainerService(config: engine, store: store, imagesDirectory: config.imagesDirectory)
        }
        defer { withExtendedLifetime(server) {} }
        let token = server.admin
        try await Self.run(server) { client in
            let project = try await client.createTreeProject(token: token)
            var images: [Int] = []
            for i in 0..<3 {
                images.append(try await client.uploadImage(try CrashRecoveryTests.picture(i).0, name: "\(i).png", project: project, token: token))
            }
            func unlabelled() async throws -> Int? {
                let status = try await client.execute(uri: "/api/projects/\(project)/status", method: .get, headers: headers(token))
                return status.object["unlabelledImages"] as? Int
            }
            // The first open starts the engine with every unlabelled image in its pool.
            _ = try await client.execute(uri: "/api/projects/\(project)/images/\(images[0])/open", method: .post, headers: headers(token))
            #expect(try await unlabelled() == 3)
            let body = try JSONSerialization.data(withJSONObject: ["objects": [["classIndex": 0, "box": CrashRecoveryTests.picture(0).1]]])
            #expect(try await client.submit(String(decoding: body, as: UTF8.self), project: project, image: images[0], token: token).status == .ok)
            #expect(try await unlabelled() == 2, "a labelled image is no longer pseudo-labelled")
            _ = try await client.uploadImage(try CrashRecoveryTests.picture(3).0, name: "3.png", project: project, token: token)
            #expect(try await unlabelled() == 3, "an upload joins the pool")
            let deleted = try await client.execute(
                uri: "/api/projects/\(project)/images/\(images[0])/annotation", method: .delete, headers: headers(token))
            #expect(deleted.status == .noContent || deleted.status == .ok)
            #expect(try await unlabelled() == 4, "an image whose annotation was deleted is unlabelled again")
        }
    }

    @Test("shrink on arrival and the training thread's nice in the server: a new label after training began pulls the student back once; an edit does not")
    func shrinkOnArrival() async throws {
        let server = try await LoopbackServer { config, store in
            var engine = Self.engine(config.dataDirectory)
            engine.shrinkOnArrival = 0.5
            engine.trainingNice = 4  // no other test uses it
            return TrainerService(config: engine, store: store, imagesDirectory: config.imagesDirectory)
        }
        defer { withExtendedLifetime(server) {} }
        let token = server.admin
        try await Self.run(server) { client in
            let project = try await client.createTreeProject(token: token)
            func status() async throws -> [String: Any] {
                try await client.execute(uri: "/api/projects/\(project)/status", method: .get, headers: headers(token)).object
            }
            func label(_ i: Int, image: Int) async throws {
                let body = try JSONSerialization.data(withJSONObject: ["objects": [["classIndex": 0, "box": CrashRecoveryTests.picture(i).1]]])
                #expect(try await client.submit(String(decoding: body, as: UTF8.self), project: project, image: image, token: token).status == .ok)
            }
            var images: [Int] = []
            for i in 0..<3 {
                images.append(try await client.uploadImage(try CrashRecoveryTests.picture(i).0, name: "\(i).png", project: project, token: token))
            }
            try await label(0, image: images[0])
            try await label(1, image: images[1])
            for _ in 0..<600 where (try await status())["step"] as? Int ?? 0 == 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect((try await status())["shrinks"] as? Int == 0, "the first two labels arrive before any step")
            #expect(threadNices().contains(4), "the engine's trainer runs at `trainingNice`")
            try await label(1, image: images[1])  // an edit
            try await label(2, image: images[2])
            var shrinks = (try await status())["shrinks"] as? Int
            for _ in 0..<600 where shrinks == 0 {
                try await Task.sleep(for: .milliseconds(100))
                shrinks = (try await status())["shrinks"] as? Int
            }
            #expect(shrinks == 1)
        }
    }

    @Test("every opening is stored and scored with the session's metric; the metric is rebuilt after a restart")
    func scoredAndRestored() async throws {
        let server = try await LoopbackServer { config, store in
            TrainerService(config: Self.engine(config.dataDirectory), store: store, imagesDirectory: config.imagesDirectory)
        }
        // The store and folder are used after the last request: keep the server (which removes them) until the end.
        defer { withExtendedLifetime(server) {} }
        let (folder, config, store, service, token) = (server.folder, server.config, server.store, server.service, server.admin)
        let (project, shownByImage) = try await server.run { client in
            var shownByImage: [Int: Bool] = [:]
            let project = try await client.createTreeProject(token: token)
            for i in 0..<4 {
                let (png, box) = try CrashRecoveryTests.picture(i)
                let image = try await client.uploadImage(png, name: "\(i).png", project: project, token: token)
                let opened = try await client.execute(
                    uri: "/api/projects/\(project)/images/\(image)/open", method: .post, headers: headers(token))
                shownByImage[image] = opened.object["ready"] as? Bool
                // From the second image on, the min score is calibrated on the images scored before it.
                #expect((opened.object["suggestedMinScore"] is Double) == (i > 0), "image \(i)")
                // Per class likewise, keyed by the project's class names, within the slider's range.
                let perClass = opened.object["suggestedClassMinScores"] as? [String: Double]
                #expect((perClass != nil) == (i > 0), "image \(i)")
                #expect((perClass ?? [:]).allSatisfy { ["tree", "shrub"].contains($0.key) && (0...1).contains($0.value) }, "image \(i): \(perClass ?? [:])")
                #expect((opened.object["prediction"] is [String: Any]) == (shownByImage[image] == true))
                let body = try JSONSerialization.data(withJSONObject: ["objects": [["classIndex": 0, "box": box]]])
                let saved = try await client.submit(String(decoding: body, as: UTF8.self), project: project, image: image, token: token)
                #expect(saved.status == .ok)
                #expect((saved.object["liveScore"] is [String: Any]) == (shownByImage[image] == true))
            }
            // Labels imported while the model runs join its training at once.
            let imports = folder.appendingPathComponent("import")
            try FileManager.default.createDirectory(at: imports, withIntermediateDirectories: true)
            let (png, box) = try CrashRecoveryTests.picture(3)
            try png.write(to: imports.appendingPathComponent("extra.png"))
            let coco = #"{"images": [{"id": 1, "file_name": "extra.png"}], "categories": [{"id": 1, "name": "tree"}], "annotations": "#
                + #"[{"image_id": 1, "category_id": 1, "bbox": [\#(box["x1"]!), \#(box["y1"]!), 40, 40]}]}"#
            try Data(coco.utf8).write(to: imports.appendingPathComponent("coco.json"))
            let imported = try await client.execute(
                uri: "/api/projects/\(project)/images/import/coco", method: .post, headers: headers(token),
                body: json(#"{"annotations": "\#(imports.appendingPathComponent("coco.json").path)"}"#))
            #expect(imported.object["annotated"] as? Int == 1)
            let status = try await client.execute(uri: "/api/projects/\(project)/status", method: .get, headers: headers(token))
            #expect(status.object["samples"] as? Int == 5)
            // The live values say what they are: box AP for a detection project.
            #expect(status.object["liveMetric"] as? String == "boxAP" && status.object["livePrimary"] is Double)
            let listed = try await client.execute(uri: "/api/projects/\(project)/evaluations", method: .get, headers: headers(token))
            #expect(listed.object["metric"] as? String == "boxAP")
            #expect((listed.object["evaluations"] as? [[String: Any]])?.first?["primaryEMA"] is Double)
            return (project, shownByImage)
        }
        // Every opening was scored, hidden ones too: the first open starts the engine, which predicts.
        let evaluations = try await store.evaluations(project: Int64(project))
        #expect(evaluations.count == 4)
        for evaluation in evaluations {
            let opened = try #require(try await openedPrediction(store, project: project, image: evaluation.imageId))
            let prediction = try JSONDecoder().decode(Prediction.self, from: Data(try #require(opened.prediction).utf8))
            let stored = try await store.annotation(project: Int64(project), image: evaluation.imageId)
            let annotation = Annotation(objects: stored.objects.map { AnnotatedObject(classIndex: $0.classIndex, box: Box(x1: $0.x1, y1: $0.y1, x2: $0.x2, y2: $0.y2)) })
            let expected = LiveEvaluator.score(prediction: prediction, annotation: annotation, task: .detection)
            #expect(evaluation.primary == expected.primary && evaluation.secondary == expected.secondary, "image \(evaluation.imageId)")
            #expect(evaluation.shown == shownByImage[Int(evaluation.imageId)], "image \(evaluation.imageId)")
        }
        let spec = ProjectSpec(id: Int64(project), name: "trees", task: .detection, classNames: ["tree", "shrub"])
        let before = await service.status(project: spec)
        await service.shutdown()

        // A new engine over the same store: the metric is rebuilt from the stored scores, before any request.
        let restarted = TrainerService(config: Self.engine(folder), store: store, imagesDirectory: config.imagesDirectory)
        try await restarted.resumeLabelledProjects()
        var after = await restarted.status(project: spec)
        for _ in 0..<600 where after.samples < 5 {
            try await Task.sleep(for: .milliseconds(100))
            after = await restarted.status(project: spec)
        }
        #expect(after.samples == 5)
        #expect(after.livePrimary == before.livePrimary && after.liveSecondary == before.liveSecondary)
        #expect(after.livePrimary == evaluations.last?.primaryEMA)
        await restarted.shutdown()
    }

    func openedPrediction(_ store: Store, project: Int, image: Int64) async throws -> OpenedPrediction? {
        try await store.openedPredictions(project: Int64(project), image: image).last
    }
}
