import HTTPTypes
import Hummingbird
import RPC

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let jsonIgnoreUnknownFields = HTTPField.Name("Json-Ignore-Unknown-Fields")!
    static let requestID = HTTPField.Name("X-Request-Id")!
}

extension Request {
    /// Reads the body as JSON: at most `limit` bytes, `Content-Type: application/json` (or any
    /// `+json` type) when there is a body. An empty body is nil.
    mutating func jsonBody(limit: Int) async throws -> JSONValue? {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw GatewayError.bodyTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw GatewayError.bodyTooLarge(limit: limit)
        }
        return try Self.json(body: buffer, contentType: headers[.contentType])
    }

    /// A whole body as JSON: nil when empty, 415 unless `contentType` is JSON.
    static func json(body buffer: ByteBuffer, contentType: String?) throws -> JSONValue? {
        guard buffer.readableBytes > 0 else { return nil }
        guard isJSON(contentType) else { throw GatewayError.unsupportedMediaType(contentType) }
        return try buffer.withUnsafeReadableBytes { try JSONValue(parsing: $0) }
    }

    /// The `Idempotency-Key` header: 1–64 visible ASCII characters (a UUID fits), or nil.
    var idempotencyKey: String? {
        get throws { try Self.idempotencyKey(headers[.idempotencyKey]) }
    }

    /// `value` as an `Idempotency-Key`, or nil when absent; 400 when malformed.
    static func idempotencyKey(_ value: String?) throws -> String? {
        guard let key = value else { return nil }
        guard (1...64).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw GatewayError.invalidArgument("Idempotency-Key: 1 to 64 visible ASCII characters, e.g. a UUID")
        }
        return key
    }

    /// The JSON reading options this request asked for.
    var protoJSONOptions: ProtoJSONOptions {
        Self.protoJSONOptions(jsonIgnoreUnknownFields: headers[.jsonIgnoreUnknownFields])
    }

    /// The JSON reading options a `Json-Ignore-Unknown-Fields` value asks for.
    static func protoJSONOptions(jsonIgnoreUnknownFields: String?) -> ProtoJSONOptions {
        let value = jsonIgnoreUnknownFields?.lowercased()
        return ProtoJSONOptions(ignoreUnknownFields: value == "true" || value == "1")
    }

    /// The query string as ordered name/value pairs (values percent-decoded).
    var queryPairs: [(name: String, value: String)] {
        uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
    }

    private static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0].trimmingSpaces.lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}

extension Request {
    /// The caller's credentials as an `Authorization` value: the header, or, where the route
    /// allows it (SSE: EventSource cannot set headers), the `access_token` query parameter
    /// (RFC 6750 §2.3) as `Bearer <token>`. The header wins when both are present.
    func authorization(acceptingQueryToken: Bool) -> String? {
        if let header = headers[.authorization] { return header }
        guard acceptingQueryToken, let token = uri.queryParameters["access_token"], !token.isEmpty else { return nil }
        return "Bearer " + String(token)
    }

    /// Whether the request carried credentials the gateway passed on (so a 401 says
    /// `error="invalid_token"`): the header, or the query token on an event stream.
    var hasCredentials: Bool {
        authorization(acceptingQueryToken: isEventStream) != nil
    }

    /// Whether the request is for a server-streaming method's event stream, the only routes that
    /// take the token from the query.
    var isEventStream: Bool {
        RESTContract.binding(for: method, path: uri.path)?.binding.operation.isStreaming == true
    }
}

extension OrdersGateway {
    /// The deadline and metadata of the one RPC a request becomes: the request id and the
    /// caller's credentials, nothing else.
    /// A stream that lasts as long as the client wants (SSE) passes `withDeadline: false`;
    /// only that route accepts the token in the query (`acceptingQueryToken`).
    func callOptions(for request: Request, withDeadline: Bool = true, acceptingQueryToken: Bool = false) -> CallOptions {
        callOptions(
            requestID: request.headers[.requestID], authorization: request.authorization(acceptingQueryToken: acceptingQueryToken),
            withDeadline: withDeadline)
    }

    /// The same from the header values themselves.
    func callOptions(requestID: String?, authorization: String?, withDeadline: Bool = true) -> CallOptions {
        var metadata = Metadata()
        if let requestID { metadata.add("x-request-id", requestID) }
        if let authorization { metadata.add("authorization", authorization) }
        return CallOptions(timeout: withDeadline ? config.rpcTimeout : nil, metadata: metadata)
    }
}

extension Response {
    /// A JSON response.
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(body: ByteBuffer(string: text), status: status, headers: headers)
    }

    /// A JSON response straight from a writer's bytes.
    static func json(_ json: JSONWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        self.json(body: json.buffer, status: status, headers: headers)
    }

    private static func json(body: ByteBuffer, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
