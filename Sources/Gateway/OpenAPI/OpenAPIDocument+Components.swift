/// The shared parameters, responses and schemas (`#/components/…`).
extension OpenAPIDocument {
    static var components: OpenAPINode {
        guard case .object(let own) = schemas else { preconditionFailure("schemas are an object") }
        let contract = RESTContract.schemas.map { (key: $0.name, value: $0.schema) }
        return ["parameters": parameters, "responses": sharedResponses, "schemas": .object(contract + own), "securitySchemes": securitySchemes]
    }

    private static var parameters: OpenAPINode {
        [
            "OrderID": [
                "name": "id", "in": "path", "required": true, "description": "The order's id (a UUID).",
                "schema": ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"],
            ],
            "IdempotencyKey": [
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description":
                    "Makes the create idempotent (request_id): a retry with the same key and payload returns the first order; the same key with another payload is 409 ALREADY_EXISTS. 1–64 visible ASCII characters (a UUID fits).",
                "schema": ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[!-~]+$"],
            ],
        ]
    }

    /// The customer token (docs/security.md): a bearer JWT whose `sub` is the customer id. Orders
    /// verifies it; `accessToken` is the same token in the query, on the SSE route only.
    private static var securitySchemes: OpenAPINode {
        [
            "bearerAuth": [
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description":
                    "Customer token: sub is the customer id; scope orders:admin acts on every customer's orders. Missing or invalid: 401 with WWW-Authenticate: Bearer. Locally, POST /v1/dev/sign-in hands one out.",
            ],
            "accessToken": [
                "type": "apiKey", "in": "query", "name": "access_token",
                "description": "The customer token in the query, for EventSource (which cannot set headers). Only GET /v1/orders/{id}/events accepts it.",
            ],
        ]
    }

    private static var sharedResponses: OpenAPINode {
        [
            "Error": answer("A failed call: google.rpc.Status.", schema("Status")),
            "LegacyError": answer("The original exercise's error envelope, plus code and details.", schema("LegacyError")),
        ]
    }

    /// The gateway's own schemas; the contract's messages and enums come from `RESTContract`.
    private static var schemas: OpenAPINode {
        [
            "Status": object(
                required: ["code", "message", "details"],
                [
                    "code": statusCode.adding(["description": "The gRPC status code."]),
                    "message": string,
                    "details": emptyDetails,
                ]),
            "Health": object(
                required: ["status", "checks"],
                [
                    "status": oneOf(["SERVING", "NOT_SERVING"]),
                    "checks": object(
                        closed: false, required: ["gateway", "orders"],
                        [
                            "gateway": string,
                            "orders": string.adding(["description": "The Health/Check answer, or the RPC error's code name."]),
                        ]),
                ]),
            "Liveness": object(
                required: ["status", "checks"],
                [
                    "status": oneOf(["SERVING"]),
                    "checks": object(closed: false, required: ["gateway"], ["gateway": string]),
                ]),
            "LegacyState": oneOf(["unspecified", "created", "confirmed", "delivered", "cancelled"]),
            "LegacyOrder": legacyOrder,
            "LegacyCreateOrder": legacyCreateOrder,
            "LegacyCreated": legacyEnvelope([
                "results": schema("LegacyOrder"),
                "token": string.adding(["nullable": true, "description": "Always null: orderhub has no token to hand out."]),
            ]),
            "LegacyOrderList": legacyEnvelope(["orders": array(of: schema("LegacyOrder"))]),
            "LegacyStateAnswer": legacyEnvelope(["state": schema("LegacyState")]),
            "LegacyCancelled": legacyEnvelope(["order": schema("LegacyOrder")]),
            "LegacyError": object(
                closed: false, required: ["status", "message", "code", "details"],
                [
                    "status": oneOf(["fail", "error"]),
                    "message": string,
                    "code": statusCode,
                    "details": emptyDetails,
                ]),
        ]
    }

    private static var legacyOrder: OpenAPINode {
        object(
            required: ["_id", "id", "state", "orderItems", "orderCreatedAt", "__v"],
            [
                "_id": string,
                "id": string,
                "state": schema("LegacyState"),
                "orderItems": array(of: string),
                "orderCreatedAt": ["type": "string", "format": "date-time"],
                "__v": ["type": "integer"],
            ])
    }

    private static var legacyCreateOrder: OpenAPINode {
        object(
            closed: false, required: ["orderItems"],
            [
                "orderItems": array(of: ["type": "string", "minLength": 1, "maxLength": 64]).adding(["minItems": 1, "maxItems": 100]),
                "customerId": [
                    "type": "string", "maxLength": 64, "nullable": true,
                    "description": "Empty or absent: the configured default (12345, as the seed hard-coded).",
                ],
                "currency": [
                    "type": "string", "pattern": "^([A-Z]{3})?$", "nullable": true,
                    "description": "Empty or absent: the configured default (USD).",
                ],
                "paymentToken": [
                    "type": "string", "nullable": true,
                    "description": "Empty or absent: the configured default (tok_random). tok_approve and tok_decline decide deterministically.",
                ],
            ]
        ).adding([
            "description": "The original body. orderhub also reads customerId, currency and paymentToken here; other fields are ignored, as Express did."
        ])
    }
}
