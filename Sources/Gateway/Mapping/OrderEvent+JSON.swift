import Contracts

extension OrderEvent {
    /// Writes proto3 JSON: `{"cursor": "…", "order": {…}}`.
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("cursor") { $0.string(cursor) }
            if let order { json.field("order") { order.write(to: &$0) } }
        }
    }

    /// The event as one proto3 JSON document.
    var jsonText: String {
        var json = JSONWriter(reservingCapacity: 640 + 96 * (order?.items.count ?? 0))
        write(to: &json)
        return json.text
    }
}

extension WatchOrdersRequest {
    /// Reads `GET /v1/orders:watch?afterCursor=&state=&customerId=`: each parameter by its JSON
    /// or proto name; `state` may repeat (or be `states`), each a state's proto name, number or
    /// short name (`delivered`). Empty values are no value; `access_token` is the caller's
    /// token (read elsewhere).
    init(query: [(name: String, value: String)], options: ProtoJSONOptions) throws {
        var states: [OrderState] = []
        var rest: [(name: String, value: String)] = []
        for (name, value) in query where !value.isEmpty && name != "access_token" {
            if name == "state" || name == "states" {
                states.append(try ListOrdersRequest(query: [("state", value)], options: options).state)
            } else {
                rest.append((name, value))
            }
        }
        var fields: [String: JSONValue] = [:]
        for (name, value) in rest {
            guard fields.updateValue(.string(value), forKey: name) == nil else { throw ProtoJSONError("\(name): given more than once") }
        }
        var object = try ProtoJSONObject(.object(fields), path: "", options: options)
        self.init(
            afterCursor: try object.string("afterCursor", "after_cursor"), states: states,
            customerID: try object.string("customerId", "customer_id")
        )
        try object.finish()
    }
}
