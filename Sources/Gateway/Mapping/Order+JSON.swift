import Contracts

extension Order {
    /// Reads an `Order` from proto3 JSON (clients and tests read what the gateway writes).
    init(json: JSONValue, path: String = "", options: ProtoJSONOptions = .strict) throws {
        var object = try ProtoJSONObject(json, path: path, options: options)
        self.init(
            id: try object.string("id", "id"),
            state: try object.enumeration("state", "state", as: OrderState.self),
            customerID: try object.string("customerId", "customer_id"),
            items: try object.repeated("items", "items") { try LineItem(json: $0, path: $1, options: $2) },
            totalCents: try object.int64("totalCents", "total_cents"),
            currency: try object.string("currency", "currency"),
            cancelReason: try object.enumeration("cancelReason", "cancel_reason", as: CancelReason.self),
            paymentID: try object.string("paymentId", "payment_id"),
            createdAt: try object.int64("createdAt", "created_at"),
            updatedAt: try object.int64("updatedAt", "updated_at"),
            deliverAt: try object.int64("deliverAt", "deliver_at"),
            requestID: try object.string("requestId", "request_id")
        )
        try object.finish()
    }

    /// Writes proto3 JSON: lowerCamelCase names, enums by name, int64 as strings. Every field is
    /// written, defaults included (as grpc-gateway does), so clients never miss `state`.
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id") { $0.string(id) }
            json.field("state") { $0.enumeration(state) }
            json.field("customerId") { $0.string(customerID) }
            json.field("items") { json in json.array { json in for item in items { item.write(to: &json) } } }
            json.field("totalCents") { $0.string(String(totalCents)) }
            json.field("currency") { $0.string(currency) }
            json.field("cancelReason") { $0.enumeration(cancelReason) }
            json.field("paymentId") { $0.string(paymentID) }
            json.field("createdAt") { $0.string(String(createdAt)) }
            json.field("updatedAt") { $0.string(String(updatedAt)) }
            json.field("deliverAt") { $0.string(String(deliverAt)) }
            json.field("requestId") { $0.string(requestID) }
        }
    }

    /// The order as one proto3 JSON document, written.
    var protoJSON: JSONWriter {
        // About 300 bytes with no items, about 80 more per item.
        var json = JSONWriter(reservingCapacity: 512 + 96 * items.count)
        write(to: &json)
        return json
    }

    /// The order as one proto3 JSON document.
    var jsonText: String { protoJSON.text }
}
