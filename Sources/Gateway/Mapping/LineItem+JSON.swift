import Contracts

extension LineItem {
    /// Reads a `LineItem` from proto3 JSON.
    init(json: JSONValue, path: String, options: ProtoJSONOptions) throws {
        var object = try ProtoJSONObject(json, path: path, options: options)
        self.init(
            sku: try object.string("sku", "sku"),
            quantity: try object.int32("quantity", "quantity"),
            unitPriceCents: try object.int64("unitPriceCents", "unit_price_cents")
        )
        try object.finish()
    }

    /// Writes proto3 JSON: every field, int64 as a string.
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("sku") { $0.string(sku) }
            json.field("quantity") { $0.integer(quantity) }
            json.field("unitPriceCents") { $0.string(String(unitPriceCents)) }
        }
    }
}
