import NIOCore

/// Where a client connects, parsed from a gRPC-style target string:
///
/// - `host:port`, `dns:host:port` and `dns:///host:port`: a DNS name (resolved, and balanced
///   over all its addresses) or a literal IP address (one connection);
/// - `[::1]:port` for an IPv6 literal.
///
/// ```swift
/// let target = try ClientTarget(parsing: "dns:///payments:50052")
/// let transport = HTTP2ClientTransport(config: .defaults(host: target.host, port: target.port))
/// ```
public struct ClientTarget: Sendable, Hashable {
    /// A host name, or an IP address (IPv6 without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int

    /// A target given as its parts, unchecked.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// A target that could not be parsed, with the reason.
    public struct InvalidTarget: Error, CustomStringConvertible {
        /// The text as given.
        public var target: String
        /// What is wrong with it.
        public var reason: String
        /// The target and the reason, for the user.
        public var description: String { "invalid target \"\(target)\": \(reason)" }
    }

    /// Parses `text`; throws `InvalidTarget` for other schemes, a DNS authority
    /// (`dns://8.8.8.8/…`), or a missing or bad port.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        if rest.hasPrefix("dns:") {
            rest = rest.dropFirst(4)
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                guard rest.hasPrefix("/") else {
                    throw InvalidTarget(target: text, reason: "a DNS server authority is not supported")
                }
                rest = rest.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":"), rest[rest.index(after: colon)...].hasPrefix("//") {
            throw InvalidTarget(target: text, reason: "unsupported scheme \"\(rest[..<colon])\"")
        }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw InvalidTarget(target: text, reason: "expected [address]:port")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw InvalidTarget(target: text, reason: "missing port")
            }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            if host.contains(":") {
                throw InvalidTarget(target: text, reason: "an IPv6 address needs brackets: [address]:port")
            }
        }
        guard !host.isEmpty else { throw InvalidTarget(target: text, reason: "missing host") }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw InvalidTarget(target: text, reason: "bad port \"\(portText)\"")
        }
        self.init(host: String(host), port: port)
    }

    /// The address when `host` is a literal IP address (one connection, no resolution).
    var literalAddress: SocketAddress? {
        try? SocketAddress(ipAddress: host, port: port)
    }
}
