import Contracts
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
