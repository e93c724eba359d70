import Foundation
import Hummingbird
import LiveTraining
import Store

/// The live state of a project's trainer: a snapshot, server-sent events, and the live evaluations.
struct TrainingRoutes {
    let store: Store
    let service: any LiveTrainingService
    /// How often an idle event stream sends a comment, so dead connections are noticed and closed.
    let heartbeat: Duration
    let openStreams: OpenEventStreams

    func add(to api: RouterGroup<AppRequestContext>) {
        api.get("projects/:project/status") { _, context in
            await service.status(project: ProjectSpec(try await store.project(try await context.project(.view, in: store))))
        }
        api.get("projects/:project/evaluations") { _, context in
            let project = try await store.project(try await context.project(.view, in: store))
            let evaluations = try await store.evaluations(project: project.project.id)
            return EvaluationListJSON(
                metric: project.project.task.metric.id,
                evaluations: evaluations.map {
                    EvaluationJSON(
                        imageId: $0.imageId, primary: $0.primary, secondary: $0.secondary, primaryEMA: $0.primaryEMA,
                        secondaryEMA: $0.secondaryEMA, at: $0.at, shown: $0.shown,
                        opening: $0.openedPredictionId, modelStep: $0.modelStep)
                })
        }
        api.get("projects/:project/events") { _, context in
            let spec = ProjectSpec(try await store.project(try await context.project(.view, in: store)))
            let stream = EventStream(
                project: spec, store: store, service: service, heartbeat: heartbeat, openStreams: openStreams)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: stream.body())
        }
    }
}

/// One client's server-sent event stream: the current state, then every change, with heartbeats.
///
/// Each event is `event: status` with a `LiveStateJSON` as data. The stream ends when the engine's
/// updates finish, the server shuts down, or the client goes away (the next write fails).
struct EventStream: Sendable {
    let project: ProjectSpec
    let store: Store
    let service: any LiveTrainingService
    let heartbeat: Duration
    let openStreams: OpenEventStreams

    func body() -> ResponseBody {
        ResponseBody { writer in
            let (lines, output) = AsyncStream<String>.makeStream()
            let id = await openStreams.add(output)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    output.yield("retry: 2000\n\n")
                    output.yield(await event(service.status(project: project)))
                    for await status in service.statusUpdates(project: project) {
                        output.yield(await event(status))
                    }
                    output.finish()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeat)
                        output.yield(": keep-alive\n\n")
                    }
                }
                for await line in lines {
                    try await writer.write(ByteBuffer(string: line))
                }
                group.cancelAll()
            }
            if let id { await openStreams.remove(id) }
            try await writer.finish(nil)
        }
    }

    private func event(_ status: TrainingStatus) async -> String {
        let progress = try? await store.project(project.id).counts
        let state = LiveStateJSON(project: project.id, training: status, progress: progress)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "event: status\ndata: \(json)\n\n"
    }
}
