import Contracts

/// The shared parameters, responses and schemas (`#/components/…`).
extension OpenAPIDocument {
    static var components: OpenAPINode {
        ["parameters": parameters, "responses": sharedResponses, "schemas": schemas, "securitySchemes": securitySchemes]
    }

    /// `ORDER_STATE_UNSPECIFIED` … `ORDER_STATE_CANCELLED`, from the generated enum.
    static var orderStates: [String] { OrderState.allCases.map(\.protoName) }

    private static var parameters: OpenAPINode {
        [
            "OrderID": [
                "name": "id", "in": "path", "required": true, "description": "The order's id (a UUID).",
                "schema": ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"],
            ],
            "IdempotencyKey": [
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": "Makes the create idempotent (request_id): a retry with the same key and payload returns the first order; the same key with another payload is 409 ALREADY_EXISTS. 1–64 visible ASCII characters (a UUID fits).",
                "schema": ["type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[!-~]+$"],
            ],
        ]
    }

    /// The customer token (DESIGN.md §9): a bearer JWT whose `sub` is the customer id. Orders
    /// verifies it; `accessToken` is the same token in the query, on the SSE route only.
    private static var securitySchemes: OpenAPINode {
        [
            "bearerAuth": [
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "Customer token: sub is the customer id; scope orders:admin acts on every customer's orders. Missing or invalid: 401 with WWW-Authenticate: Bearer. Locally, POST /v1/dev/sign-in hands one out.",
            ],
            "accessToken": [
                "type": "apiKey", "in": "query", "name": "access_token",
                "description": "The customer token in the query, for EventSource (which cannot set headers). Only the event streams (GET /v1/orders/{id}/events, GET /v1/orders:watch) accept it.",
            ],
        ]
    }

    private static var sharedResponses: OpenAPINode {
        [
            "Error": answer("A failed call: google.rpc.Status.", schema("Status")),
            "LegacyError": answer("The original exercise's error envelope, plus code and details.", schema("LegacyError")),
        ]
    }

    private static var schemas: OpenAPINode {
        [
            "Int64": [
                "description": "int64, written as a decimal string; numbers are accepted on input.",
                "oneOf": [decimalString, ["type": "integer", "format": "int64"]],
            ],
            "OrderState": oneOf(orderStates),
            "CancelReason": oneOf(CancelReason.allCases.map(\.protoName)),
            "LineItem": lineItem,
            "CreateOrderRequest": createOrderRequest,
            "Order": order,
            "OrderEvent": object(required: ["cursor", "order"], ["cursor": string, "order": schema("Order")]).adding([
                "description": "One committed change of one order (its creation included), as the order was right after it; resume after it with its cursor.",
            ]),
            "LineItemOut": object(required: ["sku", "quantity", "unitPriceCents"], [
                "sku": string, "quantity": int32, "unitPriceCents": decimalString,
            ]),
            "ListOrdersResponse": object(required: ["orders", "nextPageToken"], [
                "orders": array(of: schema("Order")),
                "nextPageToken": string.adding(["description": "Empty on the last page."]),
            ]),
            "Status": object(required: ["code", "message", "details"], [
                "code": statusCode.adding(["description": "The gRPC status code."]),
                "message": string,
                "details": emptyDetails,
            ]),
            "Health": object(required: ["status", "checks"], [
                "status": oneOf(["SERVING", "NOT_SERVING"]),
                "checks": object(closed: false, required: ["gateway", "orders"], [
                    "gateway": string,
                    "orders": string.adding(["description": "The Health/Check answer, or the RPC error's code name."]),
                ]),
            ]),
            "Liveness": object(required: ["status", "checks"], [
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
            "LegacyError": object(closed: false, required: ["status", "message", "code", "details"], [
                "status": oneOf(["fail", "error"]),
                "message": string,
                "code": statusCode,
                "details": emptyDetails,
            ]),
        ]
    }

    private static let int32: OpenAPINode = ["type": "integer", "format": "int32"]

    /// A line item as a client sends it.
    private static var lineItem: OpenAPINode {
        object(required: ["sku", "quantity"], [
            "sku": ["type": "string", "minLength": 1, "maxLength": 64, "description": "Stock keeping unit."],
            "quantity": int32.adding(["minimum": 1]),
            "unitPriceCents": [
                "description": "Price of one unit in the smallest currency unit, at least 0 (int64: a string or a number).",
                "oneOf": [
                    ["type": "string", "pattern": "^[0-9]{1,18}$"],
                    ["type": "integer", "format": "int64", "minimum": 0, "maximum": 999_999_999_999_999_999],
                ],
                "nullable": true,
            ],
        ])
    }

    private static var createOrderRequest: OpenAPINode {
        object(required: ["items", "currency", "paymentToken"], [
            "customerId": [
                "type": "string", "maxLength": 64,
                "description": "Empty or absent: the signed-in customer. Another customer is 403 PERMISSION_DENIED unless the token has orders:admin (then it is required).",
            ],
            "items": array(of: schema("LineItem")).adding(["minItems": 1, "maxItems": 100]),
            "currency": ["type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO-4217 code, three upper-case letters."],
            "paymentToken": [
                "type": "string", "minLength": 1,
                "description": "Handed to Payments: tok_approve always approves, tok_decline always declines, any other token is approved at random.",
            ],
            "requestId": [
                "type": "string", "maxLength": 64, "nullable": true,
                "description": "Idempotency key; the Idempotency-Key header sets it too. null means unset, as for every proto3 JSON field.",
            ],
        ])
    }

    /// An order as the gateway writes it: every field, int64 as strings.
    private static var order: OpenAPINode {
        let millis = decimalString.adding(["description": "Unix milliseconds."])
        return object(required: [
            "id", "state", "customerId", "items", "totalCents", "currency", "cancelReason", "paymentId",
            "createdAt", "updatedAt", "deliverAt", "requestId",
        ], [
            "id": string,
            "state": schema("OrderState"),
            "customerId": string,
            "items": array(of: schema("LineItemOut")),
            "totalCents": decimalString,
            "currency": string,
            "cancelReason": schema("CancelReason"),
            "paymentId": string,
            "createdAt": millis,
            "updatedAt": millis,
            "deliverAt": decimalString.adding(["description": "Unix milliseconds; 0 until confirmed."]),
            "requestId": string,
        ])
    }

    private static var legacyOrder: OpenAPINode {
        object(required: ["_id", "id", "state", "orderItems", "orderCreatedAt", "__v"], [
            "_id": string,
            "id": string,
            "state": schema("LegacyState"),
            "orderItems": array(of: string),
            "orderCreatedAt": ["type": "string", "format": "date-time"],
            "__v": ["type": "integer"],
        ])
    }

    private static var legacyCreateOrder: OpenAPINode {
        object(closed: false, required: ["orderItems"], [
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
        ]).adding([
            "description": "The original body. orderhub also reads customerId, currency and paymentToken here; other fields are ignored, as Express did.",
        ])
    }
}
