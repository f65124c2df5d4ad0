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
/// ```swift
/// let transport = LoopLocalClientTransport(config: .defaults(host: "127.0.0.1", port: 50051))
/// let orders = OrdersClient(transport: transport)
/// ```
public final class LoopLocalClientTransport: ClientTransport, Sendable {
    private let transports: [(loop: any EventLoop, transport: HTTP2ClientTransport)]
    private let next = Atomic<Int>(0)

    /// One transport with `config` per loop of `group` (NIO's singleton group by default).
    public init(config: HTTP2ClientTransport.Config, group: (any EventLoopGroup)? = nil) {
        let group = group ?? MultiThreadedEventLoopGroup.singleton
        transports = group.makeIterator().map { loop in (loop, HTTP2ClientTransport(config: config, group: loop)) }
        precondition(!transports.isEmpty, "an event loop group has at least one loop")
    }

    /// The transport of the loop this code runs on, or the next one in turn.
    private var local: HTTP2ClientTransport {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
           let match = transports.first(where: { $0.loop === current }) {
            return match.transport
        }
        let turn = UInt(bitPattern: next.wrappingAdd(1, ordering: .relaxed).oldValue)
        return transports[Int(turn % UInt(transports.count))].transport
    }

    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        try await local.unary(method: method, request: request, options: options)
    }

    public func streaming<Output: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Output
    ) async throws -> Output {
        try await local.streaming(method: method, options: options, requestProducer: requestProducer, onResponse: onResponse)
    }

    /// Closes every loop's transport.
    public func close() async {
        for (_, transport) in transports { await transport.close() }
    }
}
