import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import RPC

/// A unary REST request on its way to an RPC without a task (`RESTFastPath`): what `RESTCall`
/// is for the router, built from the connection's own request head (NIO's HTTP/1 head or an
/// HTTP/2 stream's fields) and the whole body, with no Hummingbird request in between. The
/// generated `RESTBinding.unary` decodes `json`, starts the call and answers with `respond`.
struct RESTUnaryCall: Sendable {
    /// What `RESTBinding.unary` is: decode, call, and hand the answer (or the error) to `done`.
    typealias Handler = @Sendable (RESTUnaryCall, _ done: @escaping @Sendable (Result<RESTAnswer, any Error>) -> Void) throws -> Void

    let gateway: OrdersGateway
    let headers: RESTHeaders
    /// The captured path fields, in the template's order.
    let captures: [(field: String, value: String)]
    /// The request message is the path fields alone: the binding reads no body and the target
    /// has no query. The generated binding then builds the message from `captures` directly.
    let isPathOnly: Bool
    /// How strictly `json` is read (see `RESTCall.jsonOptions`).
    let jsonOptions: ProtoJSONOptions
    private let binding: RESTBinding
    private let body: JSONValue?
    private let query: [(name: String, value: String)]

    /// Reads the body (throwing what does not parse); `target` is the request target (path and
    /// query). Body, query and captured fields are merged in `json`, as `RESTCall` does.
    init(
        binding: RESTBinding, captures: [(field: String, value: String)], headers: RESTHeaders, target: String, body: ByteBuffer,
        gateway: OrdersGateway
    ) throws {
        var options = Request.protoJSONOptions(jsonIgnoreUnknownFields: headers[.jsonIgnoreUnknownFields])
        switch binding.body {
        case .none:
            self.body = nil
            options.readsQueryValues = true
        case .field:
            self.body = try Request.json(body: body, contentType: headers[.contentType])
            options.readsQueryValues = true
        case .all:
            self.body = try Request.json(body: body, contentType: headers[.contentType])
        }
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")), target.utf8.index(after: mark) != target.utf8.endIndex {
            // The router's own query decoding, so both paths read a query alike.
            query = URI(target).queryParameters.map { (name: String($0.key), value: String($0.value)) }
        } else {
            query = []
        }
        if case .none = binding.body, query.isEmpty { isPathOnly = true } else { isPathOnly = false }
        self.binding = binding
        self.captures = captures
        self.jsonOptions = options
        self.headers = headers
        self.gateway = gateway
    }

    /// The request message in proto3 JSON: body, query and captured fields merged.
    var json: JSONValue {
        get throws {
            var options = jsonOptions
            return try RESTCall.message(binding: binding, captures: captures, body: body, query: query, options: &options)
        }
    }

    /// The RPC's deadline and metadata, as `RESTCall.callOptions` for a unary method.
    var callOptions: CallOptions {
        gateway.callOptions(requestID: headers[.requestID], authorization: headers[.authorization])
    }

    /// Adjusts a request message (none by default; see `RESTCall+Orders`).
    func prepare<Message>(_ message: inout Message) throws {}

    /// 200 and the response in proto3 JSON, unless an overload for the request type says otherwise.
    func respond<In, Out: ProtoJSONMessage>(to request: In, with response: Out) -> RESTAnswer {
        RESTAnswer(status: .ok, body: response.protoJSON)
    }
}

/// A unary route's successful answer: the status, a `Location` when one was made, the JSON.
struct RESTAnswer: Sendable {
    var status: HTTPResponse.Status
    var location: String? = nil
    var body: JSONWriter
}

/// A request's header fields as the connection read them: NIO's HTTP/1 headers or an HTTP/2
/// stream's HTTP fields, looked up by name without converting one into the other.
enum RESTHeaders: Sendable {
    case http1(HTTPHeaders)
    case fields(HTTPFields)

    /// The field's value (the first one, on HTTP/1), or nil.
    subscript(name: HTTPField.Name) -> String? {
        switch self {
        case .http1(let headers): headers.first(name: name.rawName)
        case .fields(let fields): fields[name]
        }
    }
}
