import Logging
import Observability
import OTel
import ServiceLifecycle
import Tracing

/// A process's observability, set up once at start-up: the metrics registry behind
/// `GET /metrics`, and the OTLP trace exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the
/// standard `OTEL_*` variables configure it). Without an endpoint no tracer is bootstrapped and
/// the call paths create no spans at all.
struct Telemetry: Sendable {
    let metrics: MetricsEndpoint
    let settings: ObservabilitySettings
    private let exporter: ServiceGroup?
    private let exporterTask: Task<Void, Never>?

    /// - Parameter serviceName: the OTel `service.name` unless `OTEL_SERVICE_NAME` says otherwise.
    static func start(metrics enabled: Bool, serviceName: String, logger: Logger) throws -> Telemetry {
        let metrics = MetricsEndpoint.bootstrap(enabled: enabled)
        guard let endpoint = Setting.environment("OTEL_EXPORTER_OTLP_ENDPOINT") ?? Setting.environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
            !endpoint.isEmpty
        else {
            return Telemetry(metrics: metrics, settings: .init(metrics: enabled, tracing: false), exporter: nil, exporterTask: nil)
        }
        var config = OTel.Configuration.default
        config.serviceName = serviceName
        config.logs.enabled = false
        config.metrics.enabled = false
        config.diagnosticLogLevel = .warning
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: config)
            backend = (made.factory, made.service)
        } catch {
            throw SettingError("cannot export traces to \(endpoint) (OTEL_EXPORTER_OTLP_ENDPOINT): \(error)")
        }
        InstrumentationSystem.bootstrap(backend.factory)
        let group = ServiceGroup(services: [backend.service], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let task = Task {
            do { try await group.run() } catch { logger.error("the trace exporter stopped", metadata: ["error": "\(error)"]) }
        }
        logger.info("exporting traces (OTLP)", metadata: ["endpoint": "\(endpoint)", "service-name": "\(serviceName)"])
        return Telemetry(metrics: metrics, settings: .init(metrics: enabled, tracing: true), exporter: group, exporterTask: task)
    }

    /// Flushes the spans still queued (the exporter's own timeout bounds it), then stops.
    func shutdown() async {
        await exporter?.triggerGracefulShutdown()
        await exporterTask?.value
    }
}
