import Contracts

/// The original exercise's shapes (`order/models/orderModel.js` as Mongoose serialised it, with
/// `toJSON: { virtuals: true }`), so its clients keep working.
extension Order {
    /// `created`, `confirmed`, `delivered`, `cancelled`: the seed's lower-case states.
    var legacyState: String {
        state.protoName.hasPrefix("ORDER_STATE_")
            ? String(state.protoName.dropFirst("ORDER_STATE_".count)).lowercased()
            : state.protoName
    }

    /// `{"_id", "id", "state", "orderItems", "orderCreatedAt", "__v"}`; `orderItems` lists each
    /// line item's sku once.
    func writeLegacy(to json: inout JSONWriter) {
        json.object { json in
            json.field("_id") { $0.string(id) }
            json.field("id") { $0.string(id) }
            json.field("state") { $0.string(legacyState) }
            json.field("orderItems") { json in json.array { json in for item in items { json.string(item.sku) } } }
            json.field("orderCreatedAt") { $0.string(ISO8601Millis.string(fromUnixMillis: createdAt)) }
            json.field("__v") { $0.integer(0) }
        }
    }
}

/// The seed's envelopes: `{"status": "success", "data": {…}}` on success, and
/// `{"status": "fail"|"error", "message"}` on failure, to which we add `code` and `details`.
enum LegacyEnvelope {
    static func success(_ data: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        json.object { json in
            json.field("status") { $0.string("success") }
            json.field("data") { json in json.object(data) }
        }
        return json.text
    }

    /// The seed said `fail` for 4xx and `error` for 5xx (`utils/appError.js`).
    static func failure(_ body: ErrorBody) -> String {
        var json = JSONWriter()
        json.object { json in
            json.field("status") { $0.string(body.status.code < 500 ? "fail" : "error") }
            json.field("message") { $0.string(body.message) }
            json.field("code") { $0.integer(body.code.rawValue) }
            json.field("details") { $0.array { _ in } }
        }
        return json.text
    }
}
