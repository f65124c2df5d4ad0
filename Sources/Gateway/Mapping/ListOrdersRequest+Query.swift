import Contracts

extension ListOrdersRequest {
    /// Reads `GET /v1/orders?state=&pageSize=&pageToken=&customerId=` (the HttpRule mapping of
    /// unbound fields to query parameters). Each parameter may use its JSON or proto name;
    /// `state` takes the enum's proto name, its number, or its short name (`created`). An empty
    /// value is no value (`?state=&pageSize=` is every state, the default page), as forms and
    /// URL templates send them.
    init(query: [(name: String, value: String)], options: ProtoJSONOptions) throws {
        var fields: [String: JSONValue] = [:]
        for (name, value) in query where !value.isEmpty {
            guard fields.updateValue(.string(value), forKey: name) == nil else {
                throw ProtoJSONError("\(name): given more than once")
            }
        }
        if case .string(let state)? = fields["state"], let short = Self.shortStateNames[state.lowercased()] {
            fields["state"] = .string(short)
        }
        var object = try ProtoJSONObject(.object(fields), path: "", options: options)
        self.init(
            pageSize: try object.int32("pageSize", "page_size"),
            pageToken: try object.string("pageToken", "page_token"),
            state: try Self.state(&object),
            customerID: try object.string("customerId", "customer_id")
        )
        try object.finish()
    }

    /// Query values are strings, so a number there is a state's number.
    private static func state(_ object: inout ProtoJSONObject) throws -> OrderState {
        guard let (value, path) = try object.value("state", "state") else { return .unspecified }
        let state: OrderState
        if case .string(let text) = value, let number = Int32(text) {
            state = OrderState(rawValue: number)
        } else {
            state = try ProtoJSON.enumeration(value, at: path)
        }
        // A filter on a state this build does not know can only be a mistake.
        guard OrderState(protoName: state.protoName) != nil else {
            throw ProtoJSONError("\(path): unknown state \(state.rawValue)")
        }
        return state
    }

    /// `created` → `ORDER_STATE_CREATED`, and so on for every known state.
    private static let shortStateNames: [String: String] = Dictionary(
        uniqueKeysWithValues: OrderState.allCases.map { state in
            (String(state.protoName.dropFirst("ORDER_STATE_".count)).lowercased(), state.protoName)
        }
    )
}
