import CoreMetrics
import Prometheus
import RPCHTTP2
import Synchronization

/// The process's one Prometheus registry behind swift-metrics, and the text `GET /metrics`
/// serves from it. Bootstrapped once per process; with metrics off (`--no-metrics`), nothing is
/// bootstrapped, the RPC paths are not wrapped, and `/metrics` answers 404.
final class MetricsEndpoint: Sendable {
    /// Latency buckets from 100 µs (a cached read) to 10 s (a payment call at its deadline).
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// Delivery lag: from on time to a minute late.
    static let lagBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    /// Requests per group commit, up to the writer's largest batch.
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    let registry: PrometheusCollectorRegistry?
    private let process: ProcessMetrics?
    private let refreshers = Mutex<[@Sendable () async -> Void]>([])

    /// Bootstraps swift-metrics with a Prometheus registry when `enabled`.
    static func bootstrap(enabled: Bool) -> MetricsEndpoint {
        guard enabled else { return MetricsEndpoint(registry: nil) }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = latencyBuckets
        factory.durationHistogramBuckets["orderhub_delivery_lag_seconds"] = lagBuckets
        factory.valueHistogramBuckets["orderhub_storage_commit_batch_size"] = batchBuckets
        MetricsSystem.bootstrap(factory)
        return MetricsEndpoint(registry: registry)
    }

    private init(registry: PrometheusCollectorRegistry?) {
        self.registry = registry
        self.process = registry == nil ? nil : ProcessMetrics()
    }

    var enabled: Bool { registry != nil }

    /// Adds work that brings gauges up to date just before each scrape (open connections,
    /// watch streams).
    func refreshBeforeScrape(_ refresh: @escaping @Sendable () async -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    /// The Prometheus text exposition of every metric, gauges refreshed first.
    func render() async -> [UInt8] {
        guard let registry else { return [] }
        for refresh in refreshers.withLock({ $0 }) { await refresh() }
        process?.update()
        return registry.emitToBuffer()
    }

    /// `GET /metrics` for the gRPC probe listeners (HTTP/1.1 beside gRPC health).
    var responder: HTTP1Responder {
        HTTP1Responder { [self] method, target in
            let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            guard path == "/metrics", enabled else {
                return .init(status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8))
            }
            guard method == "GET" || method == "HEAD" else {
                return .init(status: 405, contentType: "text/plain; charset=utf-8", body: Array("only GET\n".utf8))
            }
            return .init(status: 200, contentType: Self.contentType, body: await render())
        }
    }

    /// Prometheus' text format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
