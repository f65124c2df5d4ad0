import Contracts
import HTTPTypes
import Hummingbird

/// What the REST mapping of the Orders service adds to its `google.api.http` annotations.
extension RESTCall {
    /// CreateOrder: the `Idempotency-Key` header becomes `request_id` (a body may carry the same
    /// key, not another one).
    func prepare(_ create: inout CreateOrderRequest) throws {
        guard let key = try request.idempotencyKey else { return }
        guard create.requestID.isEmpty || create.requestID == key else {
            throw GatewayError.invalidArgument("requestId: differs from the Idempotency-Key header; send one of them")
        }
        create.requestID = key
    }

    /// CreateOrder: 201 Created, with the new order's path as `Location`.
    func respond(to create: CreateOrderRequest, with order: Order) -> Response {
        .json(order.protoJSON, status: .created, headers: [.location: "/v1/orders/\(order.id)"])
    }
}

/// WatchOrders over REST: the cursor is the event's `id:`, and a reconnect resumes from it.
extension RESTCall {
    /// WatchOrders: a reconnecting EventSource's `Last-Event-ID` is where the feed resumes. It
    /// wins over `afterCursor`, since a reconnect repeats the first URL.
    func prepare(_ watch: inout WatchOrdersRequest) throws {
        if let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!], !lastEventID.isEmpty {
            watch.afterCursor = lastEventID
        }
    }

    /// Query spellings the contract's field names do not give: `state` for WatchOrders'
    /// repeated `states`, the word ListOrders' filter uses.
    static func queryAlias(for name: String, operation: String) -> String {
        operation == "WatchOrders" && name == "state" ? "states" : name
    }
}

extension OrderEvent: ResumableEvent {
    var resumeID: String { cursor }
}

/// The same for the unary calls `RESTFastPath` makes.
extension RESTUnaryCall {
    /// CreateOrder: the `Idempotency-Key` header becomes `request_id`, as in `RESTCall`.
    func prepare(_ create: inout CreateOrderRequest) throws {
        guard let key = try Request.idempotencyKey(headers[.idempotencyKey]) else { return }
        guard create.requestID.isEmpty || create.requestID == key else {
            throw GatewayError.invalidArgument("requestId: differs from the Idempotency-Key header; send one of them")
        }
        create.requestID = key
    }

    /// CreateOrder: 201 Created, with the new order's path as `Location`.
    func respond(to create: CreateOrderRequest, with order: Order) -> RESTAnswer {
        RESTAnswer(status: .created, location: "/v1/orders/\(order.id)", body: order.protoJSON)
    }
}
