/// Every route's operations.
extension OpenAPIDocument {
    static var paths: OpenAPINode {
        [
            "/v1/orders": ["post": createOrder, "get": listOrders],
            "/v1/orders/{id}": orderPath(["get": getOrder]),
            "/v1/orders/{id}:cancel": orderPath(["post": cancelOrder]),
            "/v1/orders/{id}/events": orderPath(["get": watchOrder]),
            "/v1/orders:watch": ["get": watchOrders],
            "/api/v1/order": ["get": legacyList, "post": legacyCreate],
            "/api/v1/order/{id}": orderPath(["get": legacyState, "put": legacyCancel]),
            "/livez": ["get": liveness],
            "/readyz": ["get": readiness("Readiness")],
            "/healthz": ["get": readiness("Health")],
            "/v1/dev/sign-in": ["post": devSignIn],
            "/openapi.json": ["get": operation(
                "meta", "OpenAPI", summary: "This document.",
                responses: responses(["200": answer("OpenAPI 3 document.", ["type": "object"])]), security: []
            )],
            "/": ["get": operation(
                "meta", "Page", summary: "The web page.",
                responses: responses(["200": answer("HTML.", string, as: "text/html")]), security: []
            )],
        ]
    }

    private static var createOrder: OpenAPINode {
        let created = answer(
            "The order, in ORDER_STATE_CREATED (or the first order made with the same Idempotency-Key and payload).",
            schema("Order")
        ).adding(["headers": ["Location": ["description": "/v1/orders/{id}", "schema": string]]])
        return operation(
            "orders", "CreateOrder", summary: "Create an order (CreateOrder). Creation never waits for the payment.",
            parameters: [parameter("IdempotencyKey")],
            body: ["required": true, "content": content(schema("CreateOrderRequest"))],
            responses: responses(["201": created], errors: ["400", "401", "403", "409", "413", "415"], errorShape: "Error")
        )
    }

    private static var listOrders: OpenAPINode {
        let states = orderStates + ["created", "confirmed", "delivered", "cancelled", "0", "1", "2", "3", "4"]
        return operation(
            "orders", "ListOrders", summary: "List orders, newest first (ListOrders).",
            parameters: [
                query("state", "Only orders in this state: the enum name, its number, or the short name (created).", oneOf(states)),
                query("pageSize", "Orders per page: 0 or absent means 20, more than 100 means 100.",
                      ["type": "integer", "format": "int32", "minimum": 0]),
                query("pageToken", "nextPageToken of the previous page.", string),
                query("customerId", "Only this customer's orders (admins). A customer always lists their own; naming another customer is 403.",
                      ["type": "string", "maxLength": 64]),
            ],
            responses: responses(
                ["200": answer("One page of the caller's orders (everyone's for orders:admin).", schema("ListOrdersResponse"))],
                errors: ["400", "401", "403"], errorShape: "Error"
            )
        )
    }

    private static var getOrder: OpenAPINode {
        operation(
            "orders", "GetOrder", summary: "Get one order (GetOrder). Another customer's order is 404, like a missing one.",
            responses: responses(["200": answer("The order.", schema("Order"))], errors: ["401", "404"], errorShape: "Error")
        )
    }

    private static var cancelOrder: OpenAPINode {
        operation(
            "orders", "CancelOrder",
            summary: "Cancel an order (CancelOrder): allowed while created or confirmed (the payment is refunded); a cancelled order is returned unchanged; a delivered one is FAILED_PRECONDITION.",
            body: ["required": false, "content": content(object(required: [], [:]))],
            responses: responses(["200": answer("The order, cancelled.", schema("Order"))], errors: ["400", "401", "404"], errorShape: "Error")
        )
    }

    private static var watchOrder: OpenAPINode {
        let event = object(closed: false, required: ["data"], [
            "event": oneOf(["message", "status"]),
            "data": string,
            "id": string,
            "retry": ["type": "integer"],
        ]).adding([
            "description": "One Server-Sent Event: `data` is an Order as JSON (event `message`), or a Status (event `status`) when the call fails after the stream started.",
        ])
        return operation(
            "orders", "WatchOrder",
            summary: "Watch an order (WatchOrder) as Server-Sent Events: the current state, then every change, one `data:` line with the order's JSON per event; `: heartbeat` comments keep the stream open; it ends when the order is final. A failure after the start is an `event: status` with the error body.",
            parameters: [query("access_token", "The customer token, for EventSource, which cannot set headers (see the accessToken scheme).", string)],
            responses: responses(["200": answer("An event stream.", event, as: "text/event-stream")], errors: ["401", "404"], errorShape: "Error"),
            security: [["bearerAuth": []], ["accessToken": []]]
        )
    }

    private static var watchOrders: OpenAPINode {
        let states = orderStates.dropFirst() + ["created", "confirmed", "delivered", "cancelled", "1", "2", "3", "4"]
        let event = object(closed: false, required: ["data"], [
            "event": oneOf(["message", "status"]),
            "data": string,
            "id": string,
            "retry": ["type": "integer"],
        ]).adding([
            "description": "One Server-Sent Event: `id` is the event's cursor and `data` an OrderEvent as JSON (event `message`), or a Status (event `status`) when the call fails after the stream started (RESOURCE_EXHAUSTED: the client fell behind; resume from the last id).",
        ])
        return operation(
            "orders", "WatchOrders",
            summary: "The order feed (WatchOrders) as Server-Sent Events: every change to every order the caller may see (everyone's for orders:admin), in commit order, each with its cursor as the event id. Resume after a cursor with the Last-Event-ID header (EventSource sends it when it reconnects) or afterCursor; without either, from now. Events are kept 24 h: an older cursor is 400 (OUT_OF_RANGE), one the feed did not issue 400 (INVALID_ARGUMENT). `: heartbeat` comments every 15 s keep the stream open.",
            parameters: [
                query("afterCursor", "Resume after the event with this cursor (an OrderEvent.cursor, the SSE id).", string),
                ["name": "Last-Event-ID", "in": "header", "required": false, "schema": string,
                 "description": "Resume after this cursor; wins over afterCursor (EventSource repeats the first URL when it reconnects)."],
                query("state", "Only events whose order is in this state; repeat for several: the enum name, its number, or the short name (delivered).",
                      array(of: oneOf(Array(states)))).adding(["explode": true]),
                query("customerId", "Only this customer's orders (admins). A customer always gets their own; naming another customer is 403.",
                      ["type": "string", "maxLength": 64]),
                query("access_token", "The customer token, for EventSource, which cannot set headers (see the accessToken scheme).", string),
            ],
            responses: responses(["200": answer("An event stream.", event, as: "text/event-stream")], errors: ["400", "401", "403", "429"], errorShape: "Error"),
            security: [["bearerAuth": []], ["accessToken": []]]
        )
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
            responses: responses(["200": answer("{status, data: {order}}", schema("LegacyCancelled"))], errors: ["400", "401", "404"], errorShape: "LegacyError")
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
        let token = object(required: ["token", "expiresAt", "customerId"], [
            "token": string.adding(["description": "A customer token (HS256 JWT); send it as Authorization: Bearer."]),
            "expiresAt": string.adding(["format": "date-time"]),
            "customerId": string,
        ])
        return operation(
            "dev", "DevSignIn",
            summary: "Local sign-in: a customer token for any customer id, no password. Only when the gateway runs with orderhub serve or --dev-sign-in; 404 otherwise.",
            body: ["required": true, "content": content(request)],
            responses: responses(["200": answer("The token.", token)], errors: ["400", "404", "413", "415"], errorShape: "Error"),
            security: []
        )
    }

    /// A query parameter.
    /// A query parameter; an empty value counts as absent (see `ListOrdersRequest(query:)`).
    private static func query(_ name: String, _ description: String, _ schema: OpenAPINode) -> OpenAPINode {
        ["name": .string(name), "in": "query", "description": .string(description + " Empty means absent."),
         "allowEmptyValue": true, "schema": schema]
    }
}
