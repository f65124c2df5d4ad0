import NIOCore
import NIOPosix
import RPC
import Synchronization

/// One `HTTP2ClientTransport` per event loop of a group, each with its connections on its
/// own loop. A call made from one of the loops' threads (a task whose executor preference is
/// that loop, as the gateway's request handlers are) takes that loop's connection, so the call
/// is started, answered and resumed without leaving the thread. Calls from anywhere else are
/// spread round-robin over the loops.
///
/// Useful in front of a server that many callers reach from event-loop-pinned tasks; it also
/// spreads the HTTP/2 work over every loop instead of one connection's.
///
/// Streaming calls (which may stay open for as long as their caller wants) and unary calls
/// never share a connection, so open streams cannot take the slots unary calls need; each kind
/// opens more connections (`ConnectionLanes`) when its open ones are full.
///
/// ```swift
/// let transport = LoopLocalClientTransport(config: .defaults(host: "127.0.0.1", port: 50051))
/// let orders = OrdersClient(transport: transport)
/// ```
public final class LoopLocalClientTransport: CallbackClientTransport, Sendable {
    /// One loop's connections: unary calls on some, streaming calls on others.
    private struct LoopLanes: Sendable {
        let loop: any EventLoop
        let unary: ConnectionLanes
        let streaming: ConnectionLanes
    }

    private let transports: [LoopLanes]
    private let next = Atomic<Int>(0)

    /// Transports with `config` per loop of `group` (NIO's singleton group by default).
    /// - Parameters:
    ///   - streamsPerConnection: the server's concurrent-stream limit.
    ///   - maxConnectionsPerLoop: connections each kind of call may open per loop.
    public init(
        config: HTTP2ClientTransport.Config, group: (any EventLoopGroup)? = nil,
        streamsPerConnection: Int = 100, maxConnectionsPerLoop: Int = 8
    ) {
        let group = group ?? MultiThreadedEventLoopGroup.singleton
        transports = group.makeIterator().map { loop in
            LoopLanes(
                loop: loop,
                unary: ConnectionLanes(
                    config: config, group: loop, streamsPerConnection: streamsPerConnection,
                    maxConnections: maxConnectionsPerLoop),
                streaming: ConnectionLanes(
                    config: config, group: loop, streamsPerConnection: streamsPerConnection,
                    maxConnections: maxConnectionsPerLoop)
            )
        }
        precondition(!transports.isEmpty, "an event loop group has at least one loop")
    }

    /// The connections of the loop this code runs on, or the next loop's in turn.
    private var local: LoopLanes {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
            let match = transports.first(where: { $0.loop === current })
        {
            return match
        }
        let turn = UInt(bitPattern: next.wrappingAdd(1, ordering: .relaxed).oldValue)
        return transports[Int(turn % UInt(transports.count))]
    }

    /// See `ClientTransport`: on the current loop's unary connections.
    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        try await local.unary.unary(method: method, request: request, options: options)
    }

    /// See `CallbackClientTransport`: on the current loop's unary connections, so a call made
    /// on one of the loops is started and completed on that loop's thread.
    public func unary(
        method: MethodDescriptor, request: [UInt8], options: CallOptions,
        completion: @escaping @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    ) {
        local.unary.unary(method: method, request: request, options: options, completion: completion)
    }

    /// See `ClientTransport`: on the current loop's streaming connections.
    public func streaming<Output: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Output
    ) async throws -> Output {
        try await local.streaming.streaming(method: method, options: options, requestProducer: requestProducer, onResponse: onResponse)
    }

    /// Closes every loop's transport.
    public func close() async {
        for lanes in transports {
            await lanes.unary.close()
            await lanes.streaming.close()
        }
    }
}
