import HTTPTypes
import Hummingbird

/// One `google.api.http` binding of an RPC: generated into `RESTContract.bindings` by
/// protoc-gen-orderhub from the `.proto` annotations, routed by `ContractRoutes`, described in
/// `/openapi.json` by `OpenAPIDocument`.
///
/// A class, like `RESTOperation`: every request that matches hands its binding along (the
/// match, the call), and a shared reference costs one retain where a copy of the fields costs
/// one for each string and array in them.
final class RESTBinding: Sendable {
    /// Where the request body goes.
    enum Body: Sendable {
        /// No body: fields come from the path and the query.
        case none
        /// `body: "*"`: the body is the request message; the query is not read.
        case all
        /// `body: "<field>"`: the body is that field (its JSON name, then its proto name).
        case field(String, String)
    }

    let method: HTTPRequest.Method
    let template: PathTemplate
    let body: Body
    let operation: RESTOperation
    /// Decodes the request from `call.json`, makes the RPC and writes the answer.
    let handler: @Sendable (RESTCall) async throws -> Response
    /// A unary method's same steps without a task, for `RESTFastPath`: decodes the request
    /// (throwing what does not decode), starts the RPC, and hands `done` the answer or the
    /// RPC's error. Nil for a streaming method.
    let unary: RESTUnaryCall.Handler?

    init(
        method: HTTPRequest.Method, template: PathTemplate, body: Body, operation: RESTOperation,
        handler: @escaping @Sendable (RESTCall) async throws -> Response, unary: RESTUnaryCall.Handler? = nil
    ) {
        self.method = method
        self.template = template
        self.body = body
        self.operation = operation
        self.handler = handler
        self.unary = unary
    }
}

/// What `/openapi.json` says about a binding (shared, like `RESTBinding`).
final class RESTOperation: Sendable {
    /// The OpenAPI operation id: the method name (numbered for additional bindings).
    let id: String
    /// `package.Service/Method`.
    let rpc: String
    /// The OpenAPI tag: the service name in lower case.
    let tag: String
    /// The method's comment in the `.proto` file.
    let summary: String
    /// A server-streaming method: answered as Server-Sent Events.
    let isStreaming: Bool
    /// The body: a schema name (`body: "*"`), a `{schema}` node (a field), or nil.
    let body: OpenAPINode?
    /// The response message's schema name.
    let response: String
    let pathParameters: [RESTParameter]
    /// The request fields the query may set (none when the body is the whole message).
    let queryParameters: [RESTParameter]
    /// The query parameters of repeated fields, which the query may give more than once.
    let repeatedQueryParameters: Set<String>

    init(
        id: String, rpc: String, tag: String, summary: String, isStreaming: Bool, body: OpenAPINode?, response: String,
        pathParameters: [RESTParameter], queryParameters: [RESTParameter]
    ) {
        self.id = id
        self.rpc = rpc
        self.tag = tag
        self.summary = summary
        self.isStreaming = isStreaming
        self.body = body
        self.response = response
        self.pathParameters = pathParameters
        self.queryParameters = queryParameters
        self.repeatedQueryParameters = Set(queryParameters.lazy.filter(\.isRepeated).map(\.name))
    }
}

/// A path or query parameter: a request field's JSON name and schema.
struct RESTParameter: Sendable {
    var name: String
    var schema: OpenAPINode

    /// Whether the field is repeated: its schema is an array.
    var isRepeated: Bool {
        guard case .object(let fields) = schema, let type = fields.first(where: { $0.key == "type" })?.value,
            case .string("array") = type
        else { return false }
        return true
    }
}

/// A parsed path template: literal segments, single-segment variables, an optional `:verb`.
struct PathTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        /// Captures one segment into the request field with this JSON name.
        case field(String)
    }

    /// The template as OpenAPI writes it, e.g. `/v1/orders/{id}:cancel`.
    var text: String
    var segments: [Segment]
    var verb: String?

    init(_ text: String, _ segments: [Segment], verb: String?) {
        self.text = text
        self.segments = segments
        self.verb = verb
    }

    /// The captured fields when `path` matches. A captured segment is never empty and never
    /// holds a `:`, which is reserved for custom verbs (AIP-136).
    func match(_ path: RequestPath) -> [(field: String, value: String)]? {
        guard path.verb == verb, path.segments.count == segments.count else { return nil }
        var captures: [(field: String, value: String)] = []
        for (segment, value) in zip(segments, path.segments) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .field(let field):
                guard !value.isEmpty, !value.utf8.contains(UInt8(ascii: ":")) else { return nil }
                captures.append((field, value))
            }
        }
        return captures
    }
}

/// A request path split for matching: percent-decoded segments, and the custom verb after the
/// last `:` of the last segment.
struct RequestPath {
    var segments: [String]
    var verb: String?

    init(_ path: String) {
        // Split on the UTF-8 view: '/' is ASCII, and a `Character` split walks grapheme clusters.
        // One pass, straight into the array: this runs once for every request.
        // What comes before the first '/' is no segment (the path's start, or all of `*`).
        var segments: [String] = []
        var utf8 = Substring(path).utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else {
            self.segments = []
            return
        }
        utf8 = utf8[utf8.index(after: slash)...]
        while true {
            let end = utf8.firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
            segments.append(String(Substring(utf8[..<end])).removingPercentEncodingLeniently)
            guard end != utf8.endIndex else { break }
            utf8 = utf8[utf8.index(after: end)...]
        }
        if let last = segments.last, let colon = last.utf8.lastIndex(of: UInt8(ascii: ":")) {
            verb = String(last[last.utf8.index(after: colon)...])
            segments[segments.count - 1] = String(last[..<colon])
        }
        self.segments = segments
    }
}
