/// A request body is not well-formed JSON.
struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Zero-based offset of the byte where parsing stopped.
    var offset: Int
    var reason: String

    init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
