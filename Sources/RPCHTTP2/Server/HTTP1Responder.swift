/// Answers the HTTP/1.1 requests a cleartext listener takes besides gRPC: the probe port's
/// `GET /metrics`. One request per connection (`Connection: close`), no request body.
///
/// ```swift
/// config.http1Responder = HTTP1Responder { method, path in
///     path == "/metrics" ? .init(status: 200, contentType: "text/plain; version=0.0.4", body: await render())
///                        : .init(status: 404, contentType: "text/plain", body: Array("not found\n".utf8))
/// }
/// ```
public struct HTTP1Responder: Sendable {
    /// What goes back.
    public struct Response: Sendable {
        /// The HTTP status code, e.g. 200 or 404.
        public var status: Int
        /// Sent as `Content-Type`.
        public var contentType: String
        /// Sent whole, with its `Content-Length`.
        public var body: [UInt8]

        /// A complete response.
        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// Makes the response to a request line's method and target.
    public let respond: @Sendable (_ method: String, _ target: String) async -> Response

    /// A responder calling `respond` once per request, in a task of its own (it may suspend).
    public init(respond: @escaping @Sendable (_ method: String, _ target: String) async -> Response) {
        self.respond = respond
    }

    /// The status line's reason phrase for the statuses a probe port uses.
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        default: "Error"
        }
    }
}
