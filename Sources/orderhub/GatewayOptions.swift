import ArgumentParser
import Foundation
import Gateway
import RPC

/// Options of the REST gateway.
struct GatewayOptions: ParsableArguments {
    @Option(help: "Deadline of each call to Orders, in seconds (ORDERHUB_GATEWAY_RPC_TIMEOUT; default 5).")
    var rpcTimeout: Double?

    @Option(help: "Origins allowed by CORS, comma-separated, * for any (ORDERHUB_CORS_ORIGINS; default *).")
    var corsOrigins: String?

    @Option(
        help:
            "Requests per second each client may send on average; 0 for no limit (ORDERHUB_RATE_LIMIT; default 0). A client is its verified token's subject, else its IP address; beyond the limit: 429 with Retry-After."
    )
    var rateLimit: Double?

    @Option(help: "Requests a quiet client may send at once under --rate-limit (ORDERHUB_RATE_BURST; default twice the rate, at least 1).")
    var rateBurst: Int?

    @Option(help: "Open event streams (SSE) the gateway holds at most; 429 beyond (ORDERHUB_MAX_EVENT_STREAMS; default 2000).")
    var maxEventStreams: Int?

    @Option(help: "Open event streams one client holds at most; 429 beyond (ORDERHUB_MAX_EVENT_STREAMS_PER_CLIENT; default 100).")
    var maxEventStreamsPerClient: Int?

    @Option(help: "Seconds a request body may take after its head, plus one per --min-body-rate bytes received (ORDERHUB_BODY_READ_TIMEOUT; default 10).")
    var bodyReadTimeout: Double?

    @Option(help: "Slowest request body upload waited for, in bytes/s (ORDERHUB_MIN_BODY_RATE; default 8192).")
    var minBodyRate: Int?

    @Option(help: "Open client connections the gateway holds at most; more are closed at once (ORDERHUB_GATEWAY_MAX_CONNECTIONS; default 4096).")
    var maxGatewayConnections: Int?

    @Option(help: "REST requests the gateway serves at once; more wait in a queue (ORDERHUB_GATEWAY_MAX_CONCURRENT_REQUESTS; default 256).")
    var maxConcurrentRequests: Int?

    @Option(help: "Requests that may wait for a slot; beyond, 503 with Retry-After at once (ORDERHUB_GATEWAY_MAX_QUEUED_REQUESTS; default 512).")
    var maxQueuedRequests: Int?

    @Option(help: "Seconds a request may wait in that queue before 503 (ORDERHUB_GATEWAY_MAX_QUEUE_WAIT; default 2).")
    var maxRequestQueueWait: Double?

    func config() throws -> OrdersGateway.Config {
        var config = OrdersGateway.Config.defaults
        config.rpcTimeout = try Setting.seconds(rpcTimeout, env: "ORDERHUB_GATEWAY_RPC_TIMEOUT", name: "rpc-timeout", default: 5)
        config.allowedOrigins = Setting.string(corsOrigins, env: "ORDERHUB_CORS_ORIGINS", default: "*")
            .split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        config.rateLimit = try rateLimitSetting()
        config.bodyReadTimeout = try Setting.seconds(bodyReadTimeout, env: "ORDERHUB_BODY_READ_TIMEOUT", name: "body-read-timeout", default: 10)
        config.minBodyBytesPerSecond = try Setting.positiveInt(minBodyRate, env: "ORDERHUB_MIN_BODY_RATE", name: "min-body-rate", default: 8192)
        config.maxConnections = try Setting.positiveInt(
            maxGatewayConnections, env: "ORDERHUB_GATEWAY_MAX_CONNECTIONS", name: "max-gateway-connections", default: config.maxConnections)
        config.maxEventStreams = try Setting.positiveInt(
            maxEventStreams, env: "ORDERHUB_MAX_EVENT_STREAMS", name: "max-event-streams", default: config.maxEventStreams)
        config.maxEventStreamsPerClient = try Setting.positiveInt(
            maxEventStreamsPerClient, env: "ORDERHUB_MAX_EVENT_STREAMS_PER_CLIENT", name: "max-event-streams-per-client",
            default: config.maxEventStreamsPerClient)
        let admission = AdmissionLimiter.Config()
        config.admission = AdmissionLimiter.Config(
            maxConcurrent: try Setting.positiveInt(
                maxConcurrentRequests, env: "ORDERHUB_GATEWAY_MAX_CONCURRENT_REQUESTS", name: "max-concurrent-requests", default: admission.maxConcurrent),
            maxQueued: try Setting.positiveInt(
                maxQueuedRequests, env: "ORDERHUB_GATEWAY_MAX_QUEUED_REQUESTS", name: "max-queued-requests", default: admission.maxQueued),
            maxQueueWait: try Setting.seconds(maxRequestQueueWait, env: "ORDERHUB_GATEWAY_MAX_QUEUE_WAIT", name: "max-request-queue-wait", default: 2)
        )
        return config
    }

    private func rateLimitSetting() throws -> OrdersGateway.RateLimit? {
        let rate = try Setting.double(rateLimit, env: "ORDERHUB_RATE_LIMIT", name: "rate-limit", default: 0)
        guard rate.isFinite, rate >= 0 else { throw SettingError("--rate-limit must be zero or a positive number of requests per second") }
        guard rate > 0 else { return nil }
        let burst = try Setting.positiveInt(rateBurst, env: "ORDERHUB_RATE_BURST", name: "rate-burst", default: max(1, Int((rate * 2).rounded(.up))))
        return OrdersGateway.RateLimit(requestsPerSecond: rate, burst: burst)
    }

    /// `host:port`, or `:port` for every interface.
    static func address(_ text: String, option: String) throws -> Address {
        try Address(parsing: text.hasPrefix(":") ? "0.0.0.0" + text : text, option: option)
    }
}
