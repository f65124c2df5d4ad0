import Contracts
import HTTPTypes
import Hummingbird
import RPC

/// The original exercise's API, `/api/v1/order`, with its request and response shapes:
///
/// - `GET /` → `{"status":"success","data":{"orders":[…]}}` (ListOrders, newest 100)
/// - `POST /` with `{"orderItems":["sku",…]}` → 201 `{"status":"success","data":{"results":order,"token":null}}`
/// - `GET /{id}` → `{"status":"success","data":{"state":"created"}}`
/// - `PUT /{id}` → cancels: `{"status":"success","data":{"order":order}}`
///
/// Differences, on purpose: the create answers at once with the order in `created` (the seed
/// waited for the payment), `token` is null (the seed leaked its internal service JWT), and a
/// cancel follows the rules (a delivered order is refused with 400).
struct LegacyOrdersController<Context: RequestContext> {
    let gateway: OrdersGateway

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: list)
        routes.post(use: create)
        routes.get("{id}", use: state)
        routes.put("{id}", use: cancel)
        return routes
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        try await answer(request) {
            let page = try await gateway.orders.listOrders(ListOrdersRequest(pageSize: 100), options: gateway.callOptions(for: request))
            return (
                .ok,
                LegacyEnvelope.success { json in
                    json.field("orders") { json in json.array { json in for order in page.orders { order.writeLegacy(to: &json) } } }
                }
            )
        }
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        try await answer(request) {
            var request = request
            let body = try await request.jsonBody(limit: gateway.config.maxBodyBytes) ?? .object([:])
            var create = try legacyCreateRequest(body, signedIn: request.hasCredentials)
            if let key = try request.idempotencyKey { create.requestID = key }
            let order = try await gateway.orders.createOrder(create, options: gateway.callOptions(for: request))
            return (
                .created,
                LegacyEnvelope.success { json in
                    json.field("results") { order.writeLegacy(to: &$0) }
                    json.field("token") { $0.null() }
                }
            )
        }
    }

    @Sendable func state(request: Request, context: Context) async throws -> Response {
        try await answer(request) {
            let id = try context.parameters.require("id").removingPercentEncodingLeniently
            let order = try await gateway.orders.getOrder(GetOrderRequest(id: id), options: gateway.callOptions(for: request))
            return (.ok, LegacyEnvelope.success { json in json.field("state") { $0.string(order.legacyState) } })
        }
    }

    @Sendable func cancel(request: Request, context: Context) async throws -> Response {
        try await answer(request) {
            let id = try context.parameters.require("id").removingPercentEncodingLeniently
            let order = try await gateway.orders.cancelOrder(CancelOrderRequest(id: id), options: gateway.callOptions(for: request))
            return (.ok, LegacyEnvelope.success { json in json.field("order") { order.writeLegacy(to: &$0) } })
        }
    }

    /// `{"orderItems": ["sku", …]}`; as Express did, other fields are ignored, except the
    /// orderhub extensions `customerId`, `currency` and `paymentToken`, which override the
    /// configured defaults. A signed-in caller's order is theirs (Orders takes the customer
    /// from the token when `customerId` is empty); the seed's customer 12345 is used only
    /// without credentials, which only Orders with `--insecure-no-user-auth` accepts.
    private func legacyCreateRequest(_ body: JSONValue, signedIn: Bool) throws -> CreateOrderRequest {
        var object = try ProtoJSONObject(body, path: "", options: ProtoJSONOptions(ignoreUnknownFields: true))
        guard let (items, path) = try object.value("orderItems", "orderItems") else {
            throw GatewayError.invalidArgument("orderItems: required, a list of item names")
        }
        guard case .array(let elements) = items else {
            throw GatewayError.invalidArgument("\(path): expected an array, got \(items.kindName)")
        }
        let defaults = gateway.config.legacy
        let customerID = try object.string("customerId", "customer_id")
        let currency = try object.string("currency", "currency")
        let token = try object.string("paymentToken", "payment_token")
        return CreateOrderRequest(
            customerID: customerID.isEmpty && !signedIn ? defaults.customerID : customerID,
            items: try elements.enumerated().map { offset, element in
                LineItem(sku: try ProtoJSON.string(element, at: "\(path)[\(offset)]"), quantity: 1, unitPriceCents: 0)
            },
            currency: currency.isEmpty ? defaults.currency : currency,
            paymentToken: token.isEmpty ? defaults.paymentToken : token
        )
    }

    /// Runs one legacy call; failures use the seed's envelope. The seed's not-found message is
    /// kept word for word.
    private func answer(_ request: Request, _ body: () async throws -> (HTTPResponse.Status, String)) async throws -> Response {
        do {
            let (status, json) = try await body()
            return .json(json, status: status)
        } catch {
            var failure = ErrorBody(error, request: request)
            if failure.code == .notFound, error is RPCError { failure.message = "No order found with that ID!" }
            return .json(LegacyEnvelope.failure(failure), status: failure.status, headers: failure.headers)
        }
    }
}
