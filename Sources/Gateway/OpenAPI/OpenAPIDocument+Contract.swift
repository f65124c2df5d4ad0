/// The contract's operations, one per `google.api.http` binding (`RESTContract.bindings`), with
/// the gateway's conventions: errors are google.rpc.Status, a server-streaming method is an
/// event stream that also takes the token in the query, and what `RESTCall+Orders` adds to a
/// method is described in `additions`.
extension OpenAPIDocument {
    /// Each template's operations, in binding order.
    static var contractPaths: [(key: String, value: OpenAPINode)] {
        var paths: [(key: String, value: OpenAPINode)] = []
        for binding in RESTContract.bindings {
            let method = (key: binding.method.rawValue.lowercased(), value: operation(binding.operation, hasBody: binding.operation.body != nil))
            if let index = paths.firstIndex(where: { $0.key == binding.template.text }),
                case .object(let operations) = paths[index].value
            {
                paths[index].value = .object(operations + [method])
            } else {
                paths.append((binding.template.text, .object([method])))
            }
        }
        return paths
    }

    /// What a method's REST mapping adds to its annotation (see `RESTCall+Orders`).
    private struct Addition {
        var status = "200"
        var headers: OpenAPINode?
        var parameters: [OpenAPINode] = []
    }

    private static let additions: [String: Addition] = [
        "orderhub.v1.Orders/CreateOrder": Addition(
            status: "201", headers: ["Location": ["description": "/v1/orders/{id}", "schema": string]],
            parameters: [parameter("IdempotencyKey")]
        )
    ]

    private static func operation(_ operation: RESTOperation, hasBody: Bool) -> OpenAPINode {
        let addition = additions[operation.rpc] ?? Addition()
        var parameters = operation.pathParameters.map { parameter in
            ["name": .string(parameter.name), "in": "path", "required": true, "schema": parameter.schema] as OpenAPINode
        }
        parameters += operation.queryParameters.map { parameter in
            // An empty value counts as absent (RESTCall).
            ["name": .string(parameter.name), "in": "query", "allowEmptyValue": true, "schema": parameter.schema] as OpenAPINode
        }
        parameters += addition.parameters
        var body: OpenAPINode?
        switch operation.body {
        case .string(let name)?: body = ["required": false, "content": content(schema(name))]
        case let node?: body = ["required": false, "content": ["application/json": node]]
        case nil: body = nil
        }
        let errors = hasBody ? ["400", "401", "403", "404", "409", "413", "415"] : ["400", "401", "403", "404"]
        guard operation.isStreaming else {
            var answer = answer("A successful response.", schema(operation.response))
            if let headers = addition.headers { answer = answer.adding(["headers": headers]) }
            return self.operation(
                operation.tag, operation.id, summary: operation.summary, parameters: parameters, body: body,
                responses: .object([(addition.status, answer)] + errorResponses(errors)), security: nil
            )
        }
        let event = object(
            closed: false, required: ["data"],
            [
                "event": oneOf(["message", "status"]),
                "data": string,
                "id": string,
                "retry": ["type": "integer"],
            ]
        ).adding([
            "description": .string(
                "One Server-Sent Event: `data` is a \(operation.response) as JSON (event `message`), or a Status (event `status`) when the call fails after the stream started. `: heartbeat` comments keep the stream open."
            )
        ])
        parameters.append(
            [
                "name": "access_token", "in": "query",
                "description": "The customer token, for EventSource, which cannot set headers (see the accessToken scheme).",
                "schema": string,
            ]
        )
        return self.operation(
            operation.tag, operation.id, summary: operation.summary + " Answered as Server-Sent Events.", parameters: parameters, body: body,
            responses: .object([("200", answer("An event stream.", event, as: "text/event-stream"))] + errorResponses(errors)),
            security: [["bearerAuth": []], ["accessToken": []]]
        )
    }

    private static func errorResponses(_ statuses: [String]) -> [(key: String, value: OpenAPINode)] {
        (statuses + ["default"]).map { (key: $0, value: response("Error")) }
    }
}
