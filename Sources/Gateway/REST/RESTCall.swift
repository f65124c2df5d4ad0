import HTTPTypes
import Hummingbird
import NIOCore
import RPC

/// One REST request on its way to an RPC: the request message as one JSON object, built from
/// the body, the query and the path as the binding says (grpc-gateway's rules), and the call
/// options. The generated handler decodes `json`, calls, and answers with `respond`.
struct RESTCall: Sendable {
    let request: Request
    let gateway: OrdersGateway
    let operation: RESTOperation
    let remoteAddress: SocketAddress?
    /// The request message in proto3 JSON.
    let json: JSONValue
    /// How strictly `json` is read: the request's `Json-Ignore-Unknown-Fields`, and query
    /// spellings when the fields came from the query.
    let jsonOptions: ProtoJSONOptions

    /// Query parameters the gateway reads itself: never request fields.
    static let reservedQueryParameters: Set<String> = ["access_token"]

    /// Reads the body (when the binding has one) and merges body, query and captured fields.
    init(
        binding: RESTBinding, captures: [(field: String, value: String)], request: Request,
        gateway: OrdersGateway, remoteAddress: SocketAddress?
    ) async throws {
        var request = request
        var options = request.protoJSONOptions
        let body: JSONValue?
        switch binding.body {
        case .none: body = nil
        case .all, .field: body = try await request.jsonBody(limit: gateway.config.maxBodyBytes)
        }
        // Most requests have no query: skip parsing one.
        let query = request.uri.query?.isEmpty == false ? request.queryPairs : []
        let json = try Self.message(binding: binding, captures: captures, body: body, query: query, options: &options)
        self.request = request
        self.gateway = gateway
        self.operation = binding.operation
        self.remoteAddress = remoteAddress
        self.json = json
        self.jsonOptions = options
    }

    /// The request message as one JSON object: body, query and captured path fields merged
    /// as the binding says (grpc-gateway's rules); `options` learns whether the fields came
    /// from the query. Shared with `RESTUnaryCall`.
    static func message(
        binding: RESTBinding, captures: [(field: String, value: String)], body: JSONValue?,
        query: [(name: String, value: String)], options: inout ProtoJSONOptions
    ) throws -> JSONValue {
        var fields: [String: JSONValue]
        switch binding.body {
        case .all:
            let body = body ?? .object([:])
            guard case .object(let object) = body else { throw ProtoJSONError("body: expected an object, got \(body.kindName)") }
            fields = object
        case .none:
            fields = try queryFields(query, operation: binding.operation)
            options.readsQueryValues = true
        case .field(let jsonName, _):
            fields = try queryFields(query, operation: binding.operation)
            options.readsQueryValues = true
            if let body { fields[jsonName] = body }
        }
        // A field in the path wins; the body or query may repeat it, but not contradict it.
        for (field, value) in captures {
            switch fields[field] {
            case nil, .null?: break
            case .string(let given)? where given.isEmpty || given == value: break
            case .number(let given)? where given == value: break
            default: throw GatewayError.invalidArgument("\(field): differs from the \(field) in the path")
            }
            fields[field] = .string(value)
        }
        return .object(fields)
    }

    /// The query as JSON fields: each parameter once, except a repeated field's, which may
    /// repeat (an array); an empty value as no value (as forms and URL templates send them).
    private static func queryFields(_ query: [(name: String, value: String)], operation: RESTOperation) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for (given, value) in query where !value.isEmpty && !reservedQueryParameters.contains(given) {
            let name = queryAlias(for: given, operation: operation.id)
            if operation.repeatedQueryParameters.contains(name) {
                guard case .array(let values)? = fields[name] else { fields[name] = .array([.string(value)]); continue }
                fields[name] = .array(values + [.string(value)])
            } else if fields.updateValue(.string(value), forKey: name) != nil {
                throw ProtoJSONError("\(name): given more than once")
            }
        }
        return fields
    }

    /// The deadline and metadata of the RPC. A server-streaming call lasts as long as the
    /// client wants, so it has no deadline, and takes the token from the query too
    /// (EventSource cannot set headers).
    var callOptions: CallOptions {
        gateway.callOptions(for: request, withDeadline: !operation.isStreaming, acceptingQueryToken: operation.isStreaming)
    }

    /// Adjusts a request message with what the contract does not say (none by default; see
    /// `RESTCall+Orders`). Overloads for one message type take precedence.
    func prepare<Message>(_ message: inout Message) throws {}

    /// The answer to a unary call: 200 and the response in proto3 JSON, unless an overload for
    /// the request type says otherwise.
    func respond<In, Out: ProtoJSONMessage>(to request: In, with response: Out) -> Response {
        .json(response.protoJSON)
    }
}

/// Serves the contract's bindings (`RESTContract`): `MethodMiddleware` resolves the request's
/// path once and hands a matching binding here.
struct ContractRoutes: Sendable {
    let gateway: OrdersGateway

    /// Makes the binding's RPC for `request`. The route's template becomes the context's
    /// endpoint path, which the metrics and the tracing span outside read as `route`.
    func serve<Context: RemoteAddressRequestContext>(
        _ binding: RESTBinding, captures: [(field: String, value: String)], request: Request, context: Context
    ) async throws -> Response {
        context.coreContext.endpointPath.value = binding.template.text
        let call = try await RESTCall(
            binding: binding, captures: captures, request: request, gateway: gateway, remoteAddress: context.remoteAddress
        )
        return try await binding.handler(call)
    }
}
