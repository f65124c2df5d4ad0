/// How a header field name is treated on the wire: a pseudo-header, a field the protocol
/// reserves, an HTTP/1 connection header (forbidden in HTTP/2), or custom metadata.
public enum HeaderName: Sendable, Hashable {
    case pseudo
    case reserved
    case connection
    case metadata

    /// Classifies a lower-case header name.
    public static func classify(_ name: some StringProtocol) -> HeaderName {
        if name.hasPrefix(":") { return .pseudo }
        if name.hasPrefix("grpc-") { return .reserved }
        switch name {
        case "content-type", "content-length", "te", "host": return .reserved
        case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade": return .connection
        default: return .metadata
        }
    }
}
