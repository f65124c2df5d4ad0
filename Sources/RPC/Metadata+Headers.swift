/// Metadata as HTTP/2 header fields: `-bin` values base64-encoded, reserved names left out.
extension Metadata {
    /// The header fields to send. Entries whose key is not custom metadata (pseudo-headers,
    /// `grpc-*`, `content-type`, `te`, connection headers) or whose value does not fit its key
    /// (binary under a text key or the reverse) are dropped, so a handler cannot break the
    /// protocol with its metadata.
    public var headerFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(count)
        for entry in self where HeaderName.classify(entry.key) == .metadata && !entry.key.isEmpty {
            switch (entry.value, Metadata.isBinaryKey(entry.key)) {
            case (.binary(let bytes), true): fields.append((entry.key, Base64.encode(bytes)))
            case (.string(let text), false): fields.append((entry.key, text))
            default: continue
            }
        }
        return fields
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
