/// Metadata as HTTP/2 header fields: `-bin` values base64-encoded, reserved names left out.
extension Metadata {
    /// The header fields to send. Entries whose key is not custom metadata (pseudo-headers,
    /// `grpc-*`, `content-type`, `te`, connection headers) or whose value does not fit its key
    /// (binary under a text key or the reverse) are dropped, so a handler cannot break the
    /// protocol with its metadata.
    public var headerFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(count)
        forEachHeaderField { fields.append(($0, $1)) }
        return fields
    }

    /// Visits `headerFields` in order without making the list (a client's request headers are
    /// packed straight from here).
    public func forEachHeaderField(_ body: (_ name: String, _ value: String) -> Void) {
        for entry in self where HeaderName.classify(entry.key) == .metadata && !entry.key.isEmpty {
            switch (entry.value, Metadata.isBinaryKey(entry.key)) {
            case (.binary(let bytes), true): body(entry.key, Base64.encode(bytes))
            case (.string(let text), false): body(entry.key, text)
            default: continue
            }
        }
    }

    /// Adds one received custom-metadata field: a `-bin` value is base64-decoded (and dropped when
    /// it is not base64). Returns whether the field was kept.
    @discardableResult
    public mutating func addReceivedField(name: String, value: String) -> Bool {
        appendReceived(lowercasedName: name.lowercased(), value: value)
    }

    /// `addReceivedField` for a name known to be lower-case.
    @discardableResult
    mutating func appendReceived(lowercasedName name: String, value: String) -> Bool {
        if Metadata.isBinaryKey(name) {
            guard let bytes = Base64.decode(value) else { return false }
            append(lowercasedKey: name, .binary(bytes))
        } else {
            append(lowercasedKey: name, .string(value))
        }
        return true
    }
}

/// How a header field name is treated on the wire: a pseudo-header, a field the protocol
/// reserves, an HTTP/1 connection header (forbidden in HTTP/2), or custom metadata.
public enum HeaderName: Sendable, Hashable {
    /// `:method`, `:path`, `:status` and the rest: HTTP/2's own fields.
    case pseudo
    /// `grpc-*`, `content-type`, `te` and the like: the protocol sets them, metadata may not.
    case reserved
    /// `connection`, `keep-alive`, `transfer-encoding` and the like: a request carrying one is
    /// malformed in HTTP/2.
    case connection
    /// Anything else: the call's custom metadata.
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
