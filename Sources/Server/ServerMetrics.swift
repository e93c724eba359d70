import Foundation
import Metrics
import Prometheus

/// The server's Prometheus metrics: request latency, pre-label wait, and the trainer gauges.
///
/// Metrics go to this instance's registry rather than a process-wide one, so several servers (tests)
/// can live in one process. The CLI may also bootstrap `MetricsSystem` with `factory` so metrics the
/// engine records through swift-metrics appear on the same `/metrics` page.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    private let prelabelWait: Metrics.Timer

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Pre-labels and uploads are slower than typical API calls; extend the top of the range.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        prelabelWait = Metrics.Timer(label: "livetrain_prelabel_wait_seconds", factory: factory)
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        Metrics.Timer(
            label: "livetrain_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// How long opening an image waited for the engine's pre-label.
    func recordPrelabelWait(_ duration: Duration) {
        prelabelWait.recordNanoseconds(duration.nanoseconds)
    }

    /// Sets the trainer gauges of one project from its status.
    func record(_ status: TrainingStatus, project: Int64) {
        let dimensions = [("project", String(project))]
        func gauge(_ name: String, _ value: Double?, _ extra: [(String, String)] = []) {
            guard let value else { return }
            Gauge(label: name, dimensions: dimensions + extra, factory: factory).record(value)
        }
        gauge("livetrain_train_steps", Double(status.step))
        gauge("livetrain_train_loss", status.loss)
        gauge("livetrain_train_samples", Double(status.samples))
        // The `metric` label says what the two values are (box AP, mask AP or mIoU); a series keeps one
        // set of label names, so the values are left out while the metric is unknown.
        if let metric = status.liveMetric {
            gauge("livetrain_live_primary", status.livePrimary, [("metric", metric)])
            gauge("livetrain_live_secondary", status.liveSecondary, [("metric", metric)])
        }
        gauge("livetrain_prelabel_last_wait_seconds", status.lastPrelabelWaitSeconds)
        gauge("livetrain_prelabel_ready", status.prelabelReady ? 1 : 0)
    }

    /// The Prometheus text exposition of everything recorded.
    public func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
