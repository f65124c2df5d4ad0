import HTTPTypes
import Hummingbird

/// One `google.api.http` binding of an RPC: generated into `RESTContract.bindings` by
/// protoc-gen-orderhub from the `.proto` annotations, routed by `ContractRoutes`, described in
/// `/openapi.json` by `OpenAPIDocument`.
struct RESTBinding: Sendable {
    /// Where the request body goes.
    enum Body: Sendable {
        /// No body: fields come from the path and the query.
        case none
        /// `body: "*"`: the body is the request message; the query is not read.
        case all
        /// `body: "<field>"`: the body is that field (its JSON name, then its proto name).
        case field(String, String)
    }

    var method: HTTPRequest.Method
    var template: PathTemplate
    var body: Body
    var operation: RESTOperation
    /// Decodes the request from `call.json`, makes the RPC and writes the answer.
    var handler: @Sendable (RESTCall) async throws -> Response
}

/// What `/openapi.json` says about a binding.
struct RESTOperation: Sendable {
    /// The OpenAPI operation id: the method name (numbered for additional bindings).
    var id: String
    /// `package.Service/Method`.
    var rpc: String
    /// The OpenAPI tag: the service name in lower case.
    var tag: String
    /// The method's comment in the `.proto` file.
    var summary: String
    /// A server-streaming method: answered as Server-Sent Events.
    var isStreaming: Bool
    /// The body: a schema name (`body: "*"`), a `{schema}` node (a field), or nil.
    var body: OpenAPINode?
    /// The response message's schema name.
    var response: String
    var pathParameters: [RESTParameter]
    /// The request fields the query may set (none when the body is the whole message).
    var queryParameters: [RESTParameter]

    /// The query parameters of repeated fields, which the query may give more than once.
    var repeatedQueryParameters: Set<String> {
        Set(queryParameters.lazy.filter(\.isRepeated).map(\.name))
    }
}

/// A path or query parameter: a request field's JSON name and schema.
struct RESTParameter: Sendable {
    var name: String
    var schema: OpenAPINode

    /// Whether the field is repeated: its schema is an array.
    var isRepeated: Bool {
        guard case .object(let fields) = schema, let type = fields.first(where: { $0.key == "type" })?.value,
              case .string("array") = type else { return false }
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
        segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .dropFirst().map { String(Substring($0)).removingPercentEncodingLeniently }
        if let last = segments.last, let colon = last.utf8.lastIndex(of: UInt8(ascii: ":")) {
            verb = String(last[last.utf8.index(after: colon)...])
            segments[segments.count - 1] = String(last[..<colon])
        }
    }
}
