/// The `{id}` segment of `/v1/orders/{id}` and `/v1/orders/{id}:cancel`: an order id and, for
/// a custom method (AIP-136), its verb.
struct OrderPath: Sendable, Hashable {
    var id: String
    /// `cancel` for `…:cancel`; nil for the order itself.
    var verb: String?

    /// Splits the segment at its last `:`; the id is percent-decoded.
    init(segment: String) throws {
        let decoded = segment.removingPercentEncodingLeniently
        // On the UTF-8 view: a `Character` search walks grapheme clusters, and this runs twice
        // per request. ':' is ASCII, so it never sits inside a multi-byte character.
        if let colon = decoded.utf8.lastIndex(of: UInt8(ascii: ":")) {
            id = String(decoded[..<colon])
            verb = String(decoded[decoded.utf8.index(after: colon)...])
        } else {
            id = decoded
            verb = nil
        }
        guard !id.isEmpty else { throw GatewayError.invalidArgument("id: must not be empty") }
    }
}

extension String {
    /// Decodes `%XX` escapes; a malformed escape is kept as written.
    var removingPercentEncodingLeniently: String {
        // A byte scan: `contains("%")` would go through Foundation's string search.
        guard utf8.contains(UInt8(ascii: "%")) else { return self }
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
