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
