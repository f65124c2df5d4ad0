import NIOCore
import RPC
import Synchronization

/// A client transport that spreads calls over up to `maxConnections` HTTP/2 connections
/// ("lanes", each an `HTTP2ClientTransport` of its own) to the same target, opening another
/// lane only when every open one already carries `streamsPerConnection` calls.
///
/// A server takes at most its SETTINGS_MAX_CONCURRENT_STREAMS calls per connection (100 on
/// ours, as in gRPC); with one connection, the next call would wait in the client's queue
/// until a stream ends, so a hundred long-lived streams would starve every unary call. Calls
/// are counted here, at the transport's boundary, so no connection internals are read.
public final class ConnectionLanes: CallbackClientTransport, Sendable {
    private final class Lane: Sendable {
        let transport: HTTP2ClientTransport
        let inFlight = Atomic<Int>(0)

        init(transport: HTTP2ClientTransport) {
            self.transport = transport
        }
    }

    private let config: HTTP2ClientTransport.Config
    private let group: (any EventLoopGroup)?
    /// Calls one lane carries before another lane is opened.
    public let streamsPerConnection: Int
    /// Lanes at most; past it, calls go to the least busy lane and queue there.
    public let maxConnections: Int
    private let lanes: Mutex<[Lane]>

    /// - Parameters:
    ///   - streamsPerConnection: the server's concurrent-stream limit (100 by default).
    ///   - maxConnections: how many connections to open at most (at least 1).
    public init(
        config: HTTP2ClientTransport.Config, group: (any EventLoopGroup)? = nil,
        streamsPerConnection: Int = 100, maxConnections: Int = 8
    ) {
        self.config = config
        self.group = group
        self.streamsPerConnection = max(1, streamsPerConnection)
        self.maxConnections = max(1, maxConnections)
        self.lanes = Mutex([Lane(transport: HTTP2ClientTransport(config: config, group: group))])
    }

    /// Connections opened so far (lanes are kept once opened; idle ones reconnect lazily).
    public var connectionCount: Int { lanes.withLock { $0.count } }

    /// See `ClientTransport`; the call counts against the lane it was given until it ends.
    public func unary(method: MethodDescriptor, request: [UInt8], options: CallOptions) async throws -> UnaryResponse<[UInt8]> {
        let lane = claim()
        defer { lane.inFlight.subtract(1, ordering: .relaxed) }
        return try await lane.transport.unary(method: method, request: request, options: options)
    }

    /// See `CallbackClientTransport`; the call counts against the lane it was given until it ends.
    public func unary(
        method: MethodDescriptor, request: [UInt8], options: CallOptions,
        completion: @escaping @Sendable (Result<UnaryResponse<[UInt8]>, any Error>) -> Void
    ) {
        let lane = claim()
        lane.transport.unary(method: method, request: request, options: options) { result in
            lane.inFlight.subtract(1, ordering: .relaxed)
            completion(result)
        }
    }

    /// See `ClientTransport`; the call counts against its lane until `onResponse` returns.
    public func streaming<Output: Sendable>(
        method: MethodDescriptor,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: @escaping @Sendable (StreamingClientResponse<[UInt8]>) async throws -> Output
    ) async throws -> Output {
        let lane = claim()
        defer { lane.inFlight.subtract(1, ordering: .relaxed) }
        return try await lane.transport.streaming(method: method, options: options, requestProducer: requestProducer, onResponse: onResponse)
    }

    /// Closes every lane.
    public func close() async {
        for lane in lanes.withLock({ $0 }) { await lane.transport.close() }
    }

    /// The first lane with room (counting this call into it), a new lane when none has room
    /// and the bound allows, else the least busy one.
    private func claim() -> Lane {
        lanes.withLock { lanes in
            for lane in lanes {
                let (exchanged, _) = lane.inFlight.claimSlot(below: streamsPerConnection)
                if exchanged { return lane }
            }
            if lanes.count < maxConnections {
                let lane = Lane(transport: HTTP2ClientTransport(config: config, group: group))
                lane.inFlight.add(1, ordering: .relaxed)
                lanes.append(lane)
                return lane
            }
            let quietest = lanes.min { $0.inFlight.load(ordering: .relaxed) < $1.inFlight.load(ordering: .relaxed) }!
            quietest.inFlight.add(1, ordering: .relaxed)
            return quietest
        }
    }
}

extension Atomic<Int> {
    /// Adds one unless the value has reached `limit`.
    fileprivate func claimSlot(below limit: Int) -> (exchanged: Bool, original: Int) {
        var current = load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return (true, original) }
            current = original
        }
        return (false, current)
    }
}
