import Hummingbird
import Store

/// `GET /metrics`: Prometheus text, with the trainer gauges refreshed from each project's status.
struct MetricsRoute {
    let store: Store
    let service: any LiveTrainingService
    let metrics: ServerMetrics

    func add(to router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            for summary in try await store.projects() {
                metrics.record(await service.status(project: ProjectSpec(summary)), project: summary.project.id)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
