#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Looks up the addresses behind a host name, for a client whose target is a name rather than
/// a literal IP address. `SystemResolver` (getaddrinfo) is the default; tests and other
/// discovery mechanisms provide their own.
///
/// ```swift
/// var config = HTTP2ClientTransport.Config(host: "payments", port: 50052)
/// config.resolver = SystemResolver()   // the default
/// ```
public protocol NameResolver: Sendable {
    /// Every address of `host`, each with the port to connect to (normally `port`), in the
    /// order to prefer them. Must not block the calling thread; an empty result means the name
    /// currently has no addresses.
    func resolve(host: String, port: Int) async throws -> [SocketAddress]
}

/// Resolves names with the C library's `getaddrinfo` (so `/etc/hosts`, DNS and the rest of
/// nsswitch apply), run on NIO's blocking-work thread pool, never on an event loop.
public struct SystemResolver: NameResolver {
    private let threadPool: NIOThreadPool

    /// - Parameter threadPool: where the blocking lookups run; NIO's shared pool by default.
    public init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    /// getaddrinfo failed: its error code and message.
    public struct LookupFailed: Error, CustomStringConvertible {
        /// The name that was looked up.
        public var host: String
        /// getaddrinfo's `EAI_*` code.
        public var code: Int
        /// gai_strerror's text for `code`.
        public var reason: String
        /// For logs and UNAVAILABLE messages.
        public var description: String { "getaddrinfo: \(reason)" }
    }

    /// See `NameResolver`. Runs getaddrinfo on the thread pool; throws `LookupFailed` when it fails,
    /// or when the pool is shutting down.
    public func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        try await threadPool.runIfActive { try SystemResolver.lookUp(host: host, port: port) }
    }

    /// The blocking lookup: IPv4 and IPv6 stream addresses, duplicates removed, in
    /// getaddrinfo's order (RFC 6724).
    ///
    /// Invariant for the pointer code: `info` is owned by this call from a successful
    /// `getaddrinfo` until the deferred `freeaddrinfo`; each `ai_addr` is read only while the
    /// list is alive, and only as the `sockaddr_in`/`sockaddr_in6` its `ai_family` names.
    static func lookUp(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var info: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &info)
        guard code == 0 else {
            throw LookupFailed(host: host, code: Int(code), reason: String(cString: gai_strerror(code)))
        }
        defer { freeaddrinfo(info) }
        var addresses: [SocketAddress] = []
        var seen = Set<SocketAddress>()
        var next = info
        while let entry = next?.pointee {
            next = entry.ai_next
            guard let raw = entry.ai_addr else { continue }
            let address: SocketAddress
            switch entry.ai_family {
            case AF_INET:
                address = UnsafeRawPointer(raw).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            case AF_INET6:
                address = UnsafeRawPointer(raw).withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            default:
                continue
            }
            if seen.insert(address).inserted { addresses.append(address) }
        }
        return addresses
    }
}
