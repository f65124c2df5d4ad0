/// The pieces the document repeats, each written once.
extension OpenAPIDocument {
    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func schema(_ name: String) -> OpenAPINode {
        ["$ref": "#/components/schemas/\(name)"]
    }

    /// `{"$ref": "#/components/parameters/<name>"}`.
    static func parameter(_ name: String) -> OpenAPINode {
        ["$ref": "#/components/parameters/\(name)"]
    }

    /// `{"$ref": "#/components/responses/<name>"}`.
    static func response(_ name: String) -> OpenAPINode {
        ["$ref": "#/components/responses/\(name)"]
    }

    /// A body or response content of one media type with its schema.
    static func content(_ schema: OpenAPINode, as mediaType: String = "application/json") -> OpenAPINode {
        [mediaType: ["schema": schema]]
    }

    /// A described response whose body has `schema`.
    static func answer(_ description: String, _ schema: OpenAPINode, as mediaType: String = "application/json") -> OpenAPINode {
        ["description": .string(description), "content": content(schema, as: mediaType)]
    }

    /// An operation's responses: the successful ones, then each error status and `default`
    /// pointing at the shared error response `errorShape` (`Error` or `LegacyError`).
    static func responses(
        _ answers: KeyValuePairs<String, OpenAPINode>, errors: [String] = [], errorShape: String? = nil
    ) -> OpenAPINode {
        var fields = answers.map { (key: $0.key, value: $0.value) }
        if let errorShape {
            for status in errors + ["default"] { fields.append((status, response(errorShape))) }
        }
        return .object(fields)
    }

    /// One operation of a path. `security` overrides the document's (the bearer token); `[]`
    /// marks a public operation.
    static func operation(
        _ tag: String, _ operationID: String, summary: String, parameters: [OpenAPINode] = [],
        body: OpenAPINode? = nil, responses: OpenAPINode, security: OpenAPINode? = nil
    ) -> OpenAPINode {
        var fields: [(key: String, value: OpenAPINode)] = [
            ("tags", [.string(tag)]), ("operationId", .string(operationID)), ("summary", .string(summary)),
        ]
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let body { fields.append(("requestBody", body)) }
        fields.append(("responses", responses))
        if let security { fields.append(("security", security)) }
        return .object(fields)
    }

    /// A path that takes the order id, with its operations.
    static func orderPath(_ operations: KeyValuePairs<String, OpenAPINode>) -> OpenAPINode {
        OpenAPINode.object([("parameters", [parameter("OrderID")])]).adding(operations)
    }

    /// An object schema; `closed` refuses other properties (`additionalProperties: false`).
    /// OpenAPI 3.0 allows no empty `required`, so none is written when nothing is.
    static func object(
        closed: Bool = true, required: [String], _ properties: KeyValuePairs<String, OpenAPINode>
    ) -> OpenAPINode {
        var fields: [(key: String, value: OpenAPINode)] = [("type", "object")]
        if closed { fields.append(("additionalProperties", false)) }
        if !required.isEmpty { fields.append(("required", .array(required.map(OpenAPINode.string)))) }
        fields.append(("properties", .object(properties.map { (key: $0.key, value: $0.value) })))
        return .object(fields)
    }

    /// A string schema with these values only.
    static func oneOf(_ values: [String]) -> OpenAPINode {
        ["type": "string", "enum": .array(values.map(OpenAPINode.string))]
    }

    /// An array schema of `items`.
    static func array(of items: OpenAPINode) -> OpenAPINode {
        ["type": "array", "items": items]
    }

    static let string: OpenAPINode = ["type": "string"]

    /// A gRPC status code as an error body carries it (never OK).
    static let statusCode: OpenAPINode = ["type": "integer", "minimum": 1, "maximum": 16]

    /// google.rpc.Status' `details`: always empty here.
    static let emptyDetails: OpenAPINode = ["type": "array", "maxItems": 0, "items": [:]]

    /// The original exercise's success envelope: `{"status": "success", "data": {…}}`.
    static func legacyEnvelope(_ data: KeyValuePairs<String, OpenAPINode>) -> OpenAPINode {
        object(
            closed: false, required: ["status", "data"],
            [
                "status": oneOf(["success"]),
                "data": object(closed: false, required: data.map(\.key), data),
            ])
    }
}
