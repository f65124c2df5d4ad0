import ArgumentParser
import RPC
import RPCHTTP2

/// The gRPC server limits (docs/rpc-runtime.md) an operator may change, for the Orders and Payments
/// servers: each has a flag and an ORDERHUB_* variable; the defaults are RPCServer's.
struct ServerLimitOptions: ParsableArguments {
    @Option(help: "Largest request message in bytes; larger is RESOURCE_EXHAUSTED (ORDERHUB_MAX_RECEIVE_MESSAGE_BYTES; default 1048576).")
    var maxReceiveMessageBytes: Int?

    @Option(help: "Largest response message in bytes; larger is INTERNAL (ORDERHUB_MAX_SEND_MESSAGE_BYTES; default 4194304).")
    var maxSendMessageBytes: Int?

    @Option(help: "Concurrent calls per connection (SETTINGS_MAX_CONCURRENT_STREAMS) (ORDERHUB_MAX_CONCURRENT_STREAMS; default 100).")
    var maxConcurrentStreams: Int?

    @Option(help: "Largest request header list in bytes (ORDERHUB_MAX_HEADER_LIST_BYTES; default 8192).")
    var maxHeaderListBytes: Int?

    @Option(help: "Open connections per server; more are closed at once (ORDERHUB_MAX_CONNECTIONS; default 1000).")
    var maxConnections: Int?

    @Option(help: "Seconds a connection may go without calls before GOAWAY (ORDERHUB_IDLE_TIMEOUT; default 300).")
    var idleTimeout: Double?

    @Option(
        help: "Seconds (±10 %) after which a connection is drained with GOAWAY, so clients rebalance over replicas (ORDERHUB_MAX_CONNECTION_AGE; default off).")
    var maxConnectionAge: Double?

    @Option(help: "Unary calls the server runs at once, over all connections; more wait in a queue (ORDERHUB_MAX_CONCURRENT_CALLS; default 256).")
    var maxConcurrentCalls: Int?

    @Option(help: "Calls that may wait for a slot; beyond, RESOURCE_EXHAUSTED at once (ORDERHUB_MAX_QUEUED_CALLS; default 512).")
    var maxQueuedCalls: Int?

    @Option(help: "Seconds a call may wait in that queue before RESOURCE_EXHAUSTED (ORDERHUB_MAX_QUEUE_WAIT; default 2).")
    var maxQueueWait: Double?

    /// A server configuration listening on `listen` with these limits.
    func config(listen: Address) throws -> RPCServer.Config {
        var config = RPCServer.Config(host: listen.host, port: listen.port)
        config.maxReceiveMessageSize = try Setting.positiveInt(
            maxReceiveMessageBytes, env: "ORDERHUB_MAX_RECEIVE_MESSAGE_BYTES", name: "max-receive-message-bytes", default: config.maxReceiveMessageSize)
        config.maxSendMessageSize = try Setting.positiveInt(
            maxSendMessageBytes, env: "ORDERHUB_MAX_SEND_MESSAGE_BYTES", name: "max-send-message-bytes", default: config.maxSendMessageSize)
        config.maxConcurrentStreams = try Setting.positiveInt(
            maxConcurrentStreams, env: "ORDERHUB_MAX_CONCURRENT_STREAMS", name: "max-concurrent-streams", default: config.maxConcurrentStreams)
        // Handlers still finishing after a reset count against this cap; it follows the stream limit.
        config.maxInFlightHandlersPerConnection = config.maxConcurrentStreams
        config.maxHeaderListSize = try Setting.positiveInt(
            maxHeaderListBytes, env: "ORDERHUB_MAX_HEADER_LIST_BYTES", name: "max-header-list-bytes", default: config.maxHeaderListSize)
        config.maxConnections = try Setting.positiveInt(
            maxConnections, env: "ORDERHUB_MAX_CONNECTIONS", name: "max-connections", default: config.maxConnections)
        config.idleTimeout = try Setting.seconds(
            idleTimeout, env: "ORDERHUB_IDLE_TIMEOUT", name: "idle-timeout", default: Double(config.idleTimeout.components.seconds))
        if maxConnectionAge != nil || Setting.environment("ORDERHUB_MAX_CONNECTION_AGE") != nil {
            config.maxConnectionAge = try Setting.seconds(maxConnectionAge, env: "ORDERHUB_MAX_CONNECTION_AGE", name: "max-connection-age", default: 0)
        }
        let admission = AdmissionLimiter.Config()
        config.admission = AdmissionLimiter.Config(
            maxConcurrent: try Setting.positiveInt(
                maxConcurrentCalls, env: "ORDERHUB_MAX_CONCURRENT_CALLS", name: "max-concurrent-calls", default: admission.maxConcurrent),
            maxQueued: try Setting.positiveInt(maxQueuedCalls, env: "ORDERHUB_MAX_QUEUED_CALLS", name: "max-queued-calls", default: admission.maxQueued),
            maxQueueWait: try Setting.seconds(maxQueueWait, env: "ORDERHUB_MAX_QUEUE_WAIT", name: "max-queue-wait", default: 2)
        )
        return config
    }
}
