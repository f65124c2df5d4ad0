import Contracts

extension CreateOrderRequest {
    /// Reads the body of `POST /v1/orders`.
    init(json: JSONValue, options: ProtoJSONOptions) throws {
        var object = try ProtoJSONObject(json, path: "", options: options)
        self.init(
            customerID: try object.string("customerId", "customer_id"),
            items: try object.repeated("items", "items") { try LineItem(json: $0, path: $1, options: $2) },
            currency: try object.string("currency", "currency"),
            paymentToken: try object.string("paymentToken", "payment_token"),
            requestID: try object.string("requestId", "request_id")
        )
        try object.finish()
    }

    /// Writes proto3 JSON (what a client sends; used by tests and the benchmark).
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("customerId") { $0.string(customerID) }
            json.field("items") { json in json.array { json in for item in items { item.write(to: &json) } } }
            json.field("currency") { $0.string(currency) }
            json.field("paymentToken") { $0.string(paymentToken) }
            json.field("requestId") { $0.string(requestID) }
        }
    }
}
