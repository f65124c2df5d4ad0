import Contracts

extension ListOrdersResponse {
    /// Reads the body of a `GET /v1/orders` response.
    init(json: JSONValue, options: ProtoJSONOptions = .strict) throws {
        var object = try ProtoJSONObject(json, path: "", options: options)
        self.init(
            orders: try object.repeated("orders", "orders") { try Order(json: $0, path: $1, options: $2) },
            nextPageToken: try object.string("nextPageToken", "next_page_token")
        )
        try object.finish()
    }

    /// Writes proto3 JSON.
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("orders") { json in json.array { json in for order in orders { order.write(to: &json) } } }
            json.field("nextPageToken") { $0.string(nextPageToken) }
        }
    }
}
