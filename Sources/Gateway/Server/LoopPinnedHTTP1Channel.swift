import EventLoopExecution
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel, with each connection's task run on the connection's
/// own event loop (a task executor preference) instead of Swift's global executor, and the
/// gateway's HTTP/1 connection rules (`HTTP1KeepAliveHandler`) in its pipeline, and no more
/// open connections than its `ConnectionGate` admits.
///
/// Without it every request crosses threads twice (the loop hands the request head to a pool
/// thread, the pool thread hands the response back), and on a small machine each crossing is a
/// futex wake-up and a context switch. With it, a request is read, routed, answered and
/// written on one thread; an RPC client whose connection lives on the same loop keeps the
/// call there too. Handlers must therefore not block, which the gateway's never do (they await).
struct LoopPinnedHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel
    let gate: ConnectionGate
    /// The read timeouts of every request.
    let limits: RequestReadLimits
    /// Serves the contract's unary routes in the pipeline; nil: the router serves everything.
    let fastPath: RESTFastPath?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        guard gate.admit(channel) else {
            logger.debug("connection refused: the gateway is at its connection limit", metadata: ["limit": "\(gate.limit)"])
            return channel.close().flatMapThrowing { throw ConnectionLimitReached() }
        }
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addGatewayHTTP1Rules(limits: limits, fastPath: fastPath)
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with every connection served on its own event loop (`LoopPinnedHTTP1Channel`).
    static func loopPinnedHTTP1(
        configuration: HTTP1Channel.Configuration, gate: ConnectionGate, limits: RequestReadLimits, fastPath: RESTFastPath?
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            LoopPinnedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: configuration), gate: gate, limits: limits, fastPath: fastPath)
        }
    }
}
