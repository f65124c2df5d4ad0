import Contracts
import HTTPTypes
import Hummingbird
import RPC

/// `/v1/orders…`: the REST mapping of the Orders service (the `google.api.http` annotations in
/// `Protos/orderhub/v1/orders.proto`). Each request is one RPC.
struct OrdersController<Context: RemoteAddressRequestContext> {
    let gateway: OrdersGateway

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post(use: create)
        routes.get(use: list)
        routes.get("{id}", use: get)
        routes.post("{id}", use: customMethod)
        routes.get("{id}/events", use: events)
        return routes
    }

    /// `POST /v1/orders` → CreateOrder; the `Idempotency-Key` header becomes `request_id`.
    @Sendable func create(request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.jsonBody(limit: gateway.config.maxBodyBytes) ?? .object([:])
        var create = try CreateOrderRequest(json: body, options: request.protoJSONOptions)
        if let key = try request.idempotencyKey {
            guard create.requestID.isEmpty || create.requestID == key else {
                throw GatewayError.invalidArgument("requestId: differs from the Idempotency-Key header; send one of them")
            }
            create.requestID = key
        }
        let order = try await gateway.orders.createOrder(create, options: gateway.callOptions(for: request))
        return .json(order.protoJSON, status: .created, headers: [.location: "/v1/orders/\(order.id)"])
    }

    /// `GET /v1/orders?state=&pageSize=&pageToken=&customerId=` → ListOrders.
    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let list = try ListOrdersRequest(query: request.queryPairs, options: request.protoJSONOptions)
        let response = try await gateway.orders.listOrders(list, options: gateway.callOptions(for: request))
        var json = JSONWriter()
        response.write(to: &json)
        return .json(json)
    }

    /// `GET /v1/orders/{id}` → GetOrder.
    @Sendable func get(request: Request, context: Context) async throws -> Response {
        let path = try OrderPath(segment: context.parameters.require("id"))
        if let verb = path.verb {
            guard verb == "cancel" else { throw GatewayError.routeNotFound(request.method, path: request.uri.path) }
            throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: [.post])
        }
        let order = try await gateway.orders.getOrder(GetOrderRequest(id: path.id), options: gateway.callOptions(for: request))
        return .json(order.protoJSON)
    }

    /// `POST /v1/orders/{id}:cancel` → CancelOrder. The body may be empty or `{}`.
    @Sendable func customMethod(request: Request, context: Context) async throws -> Response {
        let path = try OrderPath(segment: context.parameters.require("id"))
        guard let verb = path.verb else {
            throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: [.get])
        }
        guard verb == "cancel" else { throw GatewayError.routeNotFound(request.method, path: request.uri.path) }
        var request = request
        if let body = try await request.jsonBody(limit: gateway.config.maxBodyBytes) {
            var object = try ProtoJSONObject(body, path: "", options: request.protoJSONOptions)
            let id = try object.string("id", "id")
            guard id.isEmpty || id == path.id else { throw GatewayError.invalidArgument("id: differs from the id in the path") }
            try object.finish()
        }
        let order = try await gateway.orders.cancelOrder(CancelOrderRequest(id: path.id), options: gateway.callOptions(for: request))
        return .json(order.protoJSON)
    }

    /// `GET /v1/orders/{id}/events` → WatchOrder as Server-Sent Events: one `data:` line with the
    /// order's JSON per state, a comment line every heartbeat interval; the response ends when
    /// the order is final, and the call is cancelled when the client goes away. Open streams
    /// are capped in total and per client (429 beyond). Like the feed, takes the token as
    /// `?access_token=` too: EventSource cannot set headers.
    @Sendable func events(request: Request, context: Context) async throws -> Response {
        let path = try OrderPath(segment: context.parameters.require("id"))
        guard path.verb == nil else { throw GatewayError.routeNotFound(request.method, path: request.uri.path) }
        // Held by the response body below; freed when the stream ends or the body is dropped.
        let slot = try gateway.eventStreams.acquire(for: await gateway.clientKey(for: request, remoteAddress: context.remoteAddress))
        let options = gateway.callOptions(for: request, withDeadline: false, acceptingQueryToken: true)
        let stream = RPCEventStream<Order> { [orders = gateway.orders] onResponse in
            try await orders.watchOrder(WatchOrderRequest(id: path.id), options: options, onResponse: onResponse)
        }
        try await stream.accepted()
        return stream.response(to: request, slot: slot, heartbeat: gateway.config.heartbeatInterval) { ServerSentEvent.data($0.jsonText) }
    }
}
