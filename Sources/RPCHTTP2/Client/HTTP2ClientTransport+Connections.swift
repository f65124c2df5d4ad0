import NIOCore
import RPC

/// Where a call's connection comes from: one lazy subchannel for a literal IP address, a
/// round-robin balancer over every resolved address for a host name.
extension HTTP2ClientTransport {
    enum Connections: Sendable {
        case single(Subchannel)
        case balanced(RoundRobinBalancer)

        init(target: ClientTarget, config: Config, group: any EventLoopGroup) {
            if let address = target.literalAddress {
                self = .single(Subchannel(address: address, config: config, group: group, eager: false))
            } else {
                self = .balanced(RoundRobinBalancer(target: target, config: config, group: group))
            }
        }

        func acquire() async throws -> ClientConnection {
            switch self {
            case .single(let subchannel): return try await subchannel.acquire()
            case .balanced(let balancer): return try await balancer.acquire()
            }
        }

        /// A connection ready now, if any: what a call made without a task starts on.
        func readyConnection() -> ClientConnection? {
            switch self {
            case .single(let subchannel): return subchannel.readyConnection
            case .balanced(let balancer): return balancer.readyConnection()
            }
        }

        func close() async {
            switch self {
            case .single(let subchannel): await subchannel.close(graceful: false)
            case .balanced(let balancer): await balancer.close()
            }
        }
    }

    func effectiveTimeout(_ options: CallOptions) throws -> Duration? {
        let timeout = options.timeout ?? config.defaultTimeout
        if let timeout, timeout <= .zero { throw RPCError(code: .deadlineExceeded, message: "deadline exceeded before the call started") }
        return timeout
    }

    func acquireConnection() async throws -> ClientConnection {
        try await connections.acquire()
    }
}
