import ArgumentParser
import Logging
import Orders

/// Options every service command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "trace, debug, info, notice, warning, error or critical (ORDERHUB_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "File holding the shared service secret (ORDERHUB_SERVICE_SECRET_FILE; else ORDERHUB_SERVICE_SECRET).")
    var serviceSecretFile: String?

    @Option(help: "Seconds open calls may take to finish on SIGTERM (ORDERHUB_DRAIN_SECONDS; default 30).")
    var drainSeconds: Double?

    @Flag(help: "Record no metrics; /metrics answers 404 (ORDERHUB_METRICS=off). Traces go out when OTEL_EXPORTER_OTLP_ENDPOINT is set.")
    var noMetrics = false

    /// Metrics (unless turned off) and, with an OTLP endpoint in the environment, traces.
    func telemetry(serviceName: String, logger: Logger) throws -> Telemetry {
        let off = noMetrics || Setting.environment("ORDERHUB_METRICS")?.lowercased() == "off"
        return try Telemetry.start(metrics: !off, serviceName: serviceName, logger: logger)
    }

    func level() throws -> Logger.Level {
        let text = Setting.string(logLevel, env: "ORDERHUB_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: text.lowercased()) else { throw SettingError("--log-level \(text) is not a log level") }
        return level
    }

    func drain() throws -> Duration {
        try Setting.seconds(drainSeconds, env: "ORDERHUB_DRAIN_SECONDS", name: "drain-seconds", default: 30)
    }

    /// The shared secret: from the file, else the environment; nil when neither is set.
    func secret() throws -> String? {
        if let path = Setting.optionalString(serviceSecretFile, env: "ORDERHUB_SERVICE_SECRET_FILE") {
            let text = try TextFile.read(path).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !text.isEmpty else { throw SettingError("the service secret file \(path) is empty") }
            return text
        }
        return Setting.environment("ORDERHUB_SERVICE_SECRET")
    }
}

/// Options of the Orders service.
struct OrdersOptions: ParsableArguments {
    @Option(help: "Seconds without a payment result before an order is cancelled (ORDERHUB_PAYMENT_TIMEOUT; default 60).")
    var paymentTimeout: Double?

    @Option(help: "Seconds from confirmation to delivery (ORDERHUB_DELIVERY_DELAY; default 5).")
    var deliveryDelay: Double?

    @Option(help: "Deadline of each call to Payments, in seconds (ORDERHUB_PAYMENT_CALL_TIMEOUT; default 2).")
    var paymentCallTimeout: Double?

    @Option(help: "Seconds order feed events are kept; an older cursor is OUT_OF_RANGE (ORDERHUB_EVENT_RETENTION; default 86400).")
    var eventRetention: Double?

    @Option(help: "Seconds between purges of expired idempotency keys and feed events (ORDERHUB_RETENTION_SWEEP_INTERVAL; default 3600).")
    var retentionSweepInterval: Double?

    @Option(help: "Events an order feed stream may have waiting before it is ended with RESOURCE_EXHAUSTED (ORDERHUB_FEED_BUFFER; default 1024).")
    var feedBuffer: Int?

    @Option(help: "Orders a SQLite store keeps in memory for GetOrder, 0 for none (ORDERHUB_ORDER_CACHE_SIZE; default 16384).")
    var orderCacheSize: Int?

    func config() throws -> OrdersLaunch.Behaviour {
        OrdersLaunch.Behaviour(
            paymentTimeout: try Setting.seconds(paymentTimeout, env: "ORDERHUB_PAYMENT_TIMEOUT", name: "payment-timeout", default: 60),
            deliveryDelay: try Setting.seconds(deliveryDelay, env: "ORDERHUB_DELIVERY_DELAY", name: "delivery-delay", default: 5),
            callTimeout: try Setting.seconds(paymentCallTimeout, env: "ORDERHUB_PAYMENT_CALL_TIMEOUT", name: "payment-call-timeout", default: 2),
            eventRetention: try Setting.seconds(eventRetention, env: "ORDERHUB_EVENT_RETENTION", name: "event-retention", default: 86_400),
            sweepInterval: try Setting.seconds(
                retentionSweepInterval, env: "ORDERHUB_RETENTION_SWEEP_INTERVAL", name: "retention-sweep-interval", default: 3_600
            ),
            feedBuffer: try Setting.positiveInt(feedBuffer, env: "ORDERHUB_FEED_BUFFER", name: "feed-buffer", default: 1_024),
            orderCacheSize: try Setting.nonNegativeInt(
                orderCacheSize, env: "ORDERHUB_ORDER_CACHE_SIZE", name: "order-cache-size", default: SQLiteOrderStore.defaultOrderCacheSize
            )
        )
    }
}

/// Options of the Payments service.
struct PaymentsOptions: ParsableArguments {
    @Option(help: "Chance the mock processor approves a payment, 0–1 (ORDERHUB_APPROVAL_RATE; default 0.8).")
    var approvalRate: Double?

    @Option(help: "Seed for the mock processor's random decisions (ORDERHUB_SEED; default random).")
    var seed: UInt64?

    func config() throws -> (approvalRate: Double, seed: UInt64?) {
        let rate = try Setting.double(approvalRate, env: "ORDERHUB_APPROVAL_RATE", name: "approval-rate", default: 0.8)
        guard (0...1).contains(rate) else { throw SettingError("--approval-rate must be between 0 and 1") }
        return (rate, try Setting.optionalUInt64(seed, env: "ORDERHUB_SEED", name: "seed"))
    }
}

/// A random service secret for the all-in-one run: 32 random bytes, hex.
enum ServiceSecret {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
