import Hummingbird

/// Server-Sent Events framing (HTML Living Standard, "Server-sent events").
enum ServerSentEvent {
    /// One message event: `data: <json>` and a blank line. The JSON has no raw newlines.
    /// With `id`, EventSource remembers it and sends it back as `Last-Event-ID` when it
    /// reconnects.
    static func data(_ json: String, event: String? = nil, id: String? = nil) -> ByteBuffer {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        text += "data: \(json)\n\n"
        return ByteBuffer(string: text)
    }

    /// A comment line: ignored by EventSource, but keeps proxies from timing the stream out.
    static var heartbeat: ByteBuffer { ByteBuffer(string: ": heartbeat\n\n") }
}
