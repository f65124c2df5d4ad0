/// A JSON value written in Swift with its keys in the order given: what `OpenAPIDocument` is
/// built from. Literals make the document read like JSON; helpers make each repeated piece once.
///
/// ```swift
/// let schema: OpenAPINode = ["type": "string", "maxLength": 64]
/// schema.adding(["description": "Stock keeping unit."]).text
/// // {"type":"string","maxLength":64,"description":"Stock keeping unit."}
/// ```
indirect enum OpenAPINode: Sendable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case array([OpenAPINode])
    case object([(key: String, value: OpenAPINode)])

    /// An object with `extra`'s keys added after this one's; a key both have takes `extra`'s value.
    func adding(_ extra: KeyValuePairs<String, OpenAPINode>) -> OpenAPINode {
        guard case .object(var fields) = self else { preconditionFailure("only an object takes fields") }
        for (key, value) in extra {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                fields[index].value = value
            } else {
                fields.append((key, value))
            }
        }
        return .object(fields)
    }

    /// Compact JSON text.
    var text: String {
        var json = JSONWriter()
        write(to: &json)
        return json.text
    }

    func write(to json: inout JSONWriter) {
        switch self {
        case .string(let value): json.string(value)
        case .integer(let value): json.integer(value)
        case .bool(let value): json.bool(value)
        case .array(let elements):
            json.array { json in for element in elements { element.write(to: &json) } }
        case .object(let fields):
            json.object { json in
                for (key, value) in fields { json.field(key) { value.write(to: &$0) } }
            }
        }
    }
}

extension OpenAPINode: ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(stringInterpolation: DefaultStringInterpolation) { self = .string(String(stringInterpolation: stringInterpolation)) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: OpenAPINode...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, OpenAPINode)...) { self = .object(elements.map { (key: $0.0, value: $0.1) }) }
}

/// The OpenAPI 3 description of every route, served at `/openapi.json`: the contract's
/// operations and schemas from the `google.api.http` annotations (`RESTContract`), the
/// gateway's own routes written next to them from small builders (`OpenAPIDocument+Builders`),
/// so each schema, response and parameter is spelled once; `MetaRoutesTests` checks it lists each route, and schemathesis
/// checks the running gateway against it (Tests/python/gateway).
enum OpenAPIDocument {
    /// The document as compact JSON, built once.
    static let json: String = document.text

    private static var document: OpenAPINode {
        [
            "openapi": "3.0.3",
            "info": [
                "title": "orderhub REST gateway",
                "version": "1.0.0",
                "description":
                    "REST and JSON in front of the orderhub Orders gRPC service. Every request is one RPC with a deadline (default 5 s). JSON follows the proto3 JSON mapping: lowerCamelCase names out, lowerCamelCase or proto names in, enums as names (numbers accepted), int64 written as strings (strings or numbers accepted), unknown fields refused unless the request has the header Json-Ignore-Unknown-Fields: true. Errors are google.rpc.Status: {code, message, details} with grpc-gateway's HTTP status map.",
            ],
            "servers": [["url": "/"]],
            "tags": .array(
                RESTContract.tags + [
                    ["name": "legacy", "description": "The original exercise's /api/v1/order routes and shapes"],
                    ["name": "meta", "description": "Health, this document and the web page"],
                    ["name": "dev", "description": "Local sign-in (only with orderhub serve or gateway --dev-sign-in)"],
                ]),
            // Every operation needs the customer token unless it says otherwise.
            "security": [["bearerAuth": []]],
            "paths": paths,
            "components": components,
        ]
    }
}
