/// Every route's operations: the contract's (`OpenAPIDocument+Contract`), then the gateway's own.
extension OpenAPIDocument {
    static var paths: OpenAPINode {
        guard case .object(let own) = ownPaths else { preconditionFailure("paths are an object") }
        return .object(contractPaths + own)
    }

    private static var ownPaths: OpenAPINode {
        [
            "/api/v1/order": ["get": legacyList, "post": legacyCreate],
            "/api/v1/order/{id}": orderPath(["get": legacyState, "put": legacyCancel]),
            "/livez": ["get": liveness],
            "/readyz": ["get": readiness("Readiness")],
            "/healthz": ["get": readiness("Health")],
            "/v1/dev/sign-in": ["post": devSignIn],
            "/openapi.json": [
                "get": operation(
                    "meta", "OpenAPI", summary: "This document.",
                    responses: responses(["200": answer("OpenAPI 3 document.", ["type": "object"])]), security: []
                )
            ],
            "/": [
                "get": operation(
                    "meta", "Page", summary: "The web page.",
                    responses: responses(["200": answer("HTML.", string, as: "text/html")]), security: []
                )
            ],
        ]
    }

    private static var legacyList: OpenAPINode {
        operation(
            "legacy", "LegacyListOrders", summary: "The original exercise's order list (the newest 100 orders).",
            responses: responses(["200": answer("{status, data: {orders}}", schema("LegacyOrderList"))], errors: ["401"], errorShape: "LegacyError")
        )
    }

    private static var legacyCreate: OpenAPINode {
        operation(
            "legacy", "LegacyCreateOrder", summary: "The original exercise's create. Answers at once with the order in `created`.",
            parameters: [parameter("IdempotencyKey")],
            body: ["required": true, "content": content(schema("LegacyCreateOrder"))],
            responses: responses(
                ["201": answer("{status, data: {results, token}}", schema("LegacyCreated"))],
                errors: ["400", "401", "403", "413", "415"], errorShape: "LegacyError"
            )
        )
    }

    private static var legacyState: OpenAPINode {
        operation(
            "legacy", "LegacyOrderState", summary: "The original exercise's state check.",
            responses: responses(["200": answer("{status, data: {state}}", schema("LegacyStateAnswer"))], errors: ["401", "404"], errorShape: "LegacyError")
        )
    }

    private static var legacyCancel: OpenAPINode {
        operation(
            "legacy", "LegacyCancelOrder", summary: "The original exercise's cancel, with orderhub's rules.",
            responses: responses(
                ["200": answer("{status, data: {order}}", schema("LegacyCancelled"))], errors: ["400", "401", "404"], errorShape: "LegacyError")
        )
    }

    private static var liveness: OpenAPINode {
        operation(
            "meta", "Liveness", summary: "SERVING while the gateway process runs; never asks Orders.",
            responses: responses(["200": answer("Alive.", schema("Liveness"))]),
            security: []
        )
    }

    /// `/readyz` and its older name `/healthz` (operation ids must differ).
    private static func readiness(_ operationID: String) -> OpenAPINode {
        operation(
            "meta", operationID, summary: "Readiness: SERVING when the gateway runs and Orders answers grpc.health.v1.Health/Check with SERVING.",
            responses: responses([
                "200": answer("Serving.", schema("Health")),
                "503": answer("Orders is not serving or unreachable.", schema("Health")),
            ]),
            security: []
        )
    }

    private static var devSignIn: OpenAPINode {
        let request = object(required: ["customerId"], ["customerId": ["type": "string", "minLength": 1, "maxLength": 64]])
        let token = object(
            required: ["token", "expiresAt", "customerId"],
            [
                "token": string.adding(["description": "A customer token (HS256 JWT); send it as Authorization: Bearer."]),
                "expiresAt": string.adding(["format": "date-time"]),
                "customerId": string,
            ])
        return operation(
            "dev", "DevSignIn",
            summary:
                "Local sign-in: a customer token for any customer id, no password. Only when the gateway runs with orderhub serve or --dev-sign-in; 404 otherwise.",
            body: ["required": true, "content": content(request)],
            responses: responses(["200": answer("The token.", token)], errors: ["400", "404", "413", "415"], errorShape: "Error"),
            security: []
        )
    }
}
