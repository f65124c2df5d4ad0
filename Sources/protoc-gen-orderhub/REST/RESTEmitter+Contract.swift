/// `RESTContract+Bindings.swift`: the bindings the gateway routes, and the OpenAPI schemas.
extension RESTEmitter {
    func contract(_ bindings: [Binding], messages: [ProtoMessage], enums: [ProtoEnum]) throws -> String {
        var writer = banner(Set(bindings.map(\.sourceFile)).sorted())
        writer.line("import \(contractsModule)")
        writer.line("import HTTPTypes")
        writer.line()
        let schemas = SchemaBuilder(registry: registry)
        try writer.block("extension RESTContract") { writer in
            writer.line("/// The services with REST bindings, as OpenAPI tags.")
            writer.line("static let tags: [OpenAPINode] = [")
            var services: [String] = []
            for binding in bindings where !services.contains(binding.service.fullName) {
                services.append(binding.service.fullName)
                let description = (DocComment.lines(binding.service.comment)?.joined(separator: " ")).map { $0 + " " } ?? ""
                let tag = SpecValue.object([
                    ("name", .string(Self.tag(binding.service))),
                    ("description", .string("\(description)(\(binding.service.fullName))")),
                ])
                writer.line("    \(tag.swiftLiteral),")
            }
            writer.line("]")
            writer.line()
            writer.line("/// Every `google.api.http` binding, in declaration order.")
            writer.line("static let bindings: [RESTBinding] = [")
            for binding in bindings {
                try emitBinding(binding, schemas: schemas, into: &writer)
            }
            writer.line("]")
            writer.line()
            writer.line("/// The schema of every message and enum the bindings use, by name.")
            writer.line("static let schemas: [(name: String, schema: OpenAPINode)] = [")
            for enumeration in enums {
                writer.line("    (\(SwiftLiteral.string(schemas.schemaName(enumeration.fullName))), \(schemas.enumSchema(enumeration).swiftLiteral)),")
            }
            for message in messages {
                writer.line("    (\(SwiftLiteral.string(schemas.schemaName(message.fullName))), \(schemas.messageSchema(message).swiftLiteral)),")
            }
            writer.line("]")
        }
        return writer.text
    }

    /// The OpenAPI tag of a service: its name in lower case (`orders`).
    static func tag(_ service: ProtoService) -> String {
        service.name.lowercased()
    }

    private func emitBinding(_ binding: Binding, schemas: SchemaBuilder, into writer: inout CodeWriter) throws {
        let method = binding.method
        let (input, _) = try registry.message(method.inputType, usedBy: method.name)
        let output = try registry.message(method.outputType, usedBy: method.name).entry
        let inputType = try registry.generatedEntry(method.inputType, usedBy: method.name).swiftName
        let body: String
        switch binding.rule.body {
        case "": body = ".none"
        case "*": body = ".all"
        case let field: body = ".field(\(SwiftLiteral.string(JSONCodingEmitter.jsonName(field))), \(SwiftLiteral.string(field)))"
        }
        let bodySchema: String
        switch binding.rule.body {
        case "": bodySchema = "nil"
        case "*": bodySchema = SwiftLiteral.string(schemas.schemaName(input.fullName))
        case let field:
            let proto = input.fields.first { $0.name == field }!
            bodySchema = "\(SpecValue.object([("schema", schemas.fieldSchema(proto))]).swiftLiteral)"
        }
        func parameters(_ fields: [ProtoField]) -> String {
            "["
                + fields.map { field in
                    "RESTParameter(name: \(SwiftLiteral.string(JSONCodingEmitter.jsonName(field.name))), schema: \(schemas.fieldSchema(field).swiftLiteral))"
                }.joined(separator: ", ") + "]"
        }
        let pathFields = binding.template.fields.compactMap { name in input.fields.first { $0.name == name } }
        let client = binding.service.name + "Client"
        let call = SwiftNames.method(method.name)
        let summary = DocComment.lines(method.comment)?.joined(separator: " ") ?? "rpc \(method.name)."
        writer.line("    // rpc \(method.name): \(binding.rule.method) \(binding.rule.path)")
        writer.line("    RESTBinding(")
        writer.line("        method: \(httpMethod(binding.rule.method)), template: \(binding.template.swiftExpression), body: \(body),")
        writer.line("        operation: RESTOperation(")
        writer.line(
            "            id: \(SwiftLiteral.string(binding.operationID)), rpc: \(SwiftLiteral.string("\(binding.service.fullName)/\(method.name)")), tag: \(SwiftLiteral.string(Self.tag(binding.service))),"
        )
        writer.line("            summary: \(SwiftLiteral.string(summary)),")
        writer.line(
            "            isStreaming: \(method.serverStreaming), body: \(bodySchema), response: \(SwiftLiteral.string(schemas.schemaName(method.outputType))),")
        writer.line("            pathParameters: \(parameters(pathFields)),")
        writer.line("            queryParameters: \(parameters(binding.queryFields))")
        writer.line("        ),")
        if method.serverStreaming {
            writer.line("        handler: { call in")
            writer.line("            var request = try \(inputType)(json: call.json, options: call.jsonOptions)")
            writer.line("            try call.prepare(&request)")
            writer.line("            let client = \(client)(call.gateway.rpcClient)")
            writer.line("            return try await call.eventStream(of: \(output.swiftName).self) { [request] options, onResponse in")
            writer.line("                try await client.\(call)(request, options: options, onResponse: onResponse)")
            writer.line("            }")
            writer.line("        }")
        } else {
            writer.line("        handler: { call in")
            writer.line("            var request = try \(inputType)(json: call.json, options: call.jsonOptions)")
            writer.line("            try call.prepare(&request)")
            writer.line("            let response = try await \(client)(call.gateway.rpcClient).\(call)(request, options: call.callOptions)")
            writer.line("            return call.respond(to: request, with: response)")
            writer.line("        },")
            writer.line("        unary: { call, done in")
            if let direct = Self.pathOnlyInitializer(binding: binding, input: input, inputType: inputType) {
                // Path fields alone (no body, no query): the message straight from the captured
                // values, with no JSON object in between.
                writer.line("            var request = try call.isPathOnly ? \(direct) : \(inputType)(json: call.json, options: call.jsonOptions)")
            } else {
                writer.line("            var request = try \(inputType)(json: call.json, options: call.jsonOptions)")
            }
            writer.line("            try call.prepare(&request)")
            writer.line(
                "            call.gateway.rpcClient.unary(\(binding.service.name)Method.\(call), request: request, responseType: \(output.swiftName).self, options: call.callOptions) { [request] result in"
            )
            writer.line("                done(result.map { call.respond(to: request, with: $0.message) })")
            writer.line("            }")
            writer.line("        }")
        }
        writer.line("    ),")
    }

    /// The request message built from the captured path values (`call.captures`, in template
    /// order), when the binding reads no body and every path field is a plain string field of
    /// the request (what the JSON route would set from the path, unconverted); nil otherwise.
    static func pathOnlyInitializer(binding: Binding, input: ProtoMessage, inputType: String) -> String? {
        let names = binding.template.fields
        guard binding.rule.body.isEmpty, !names.isEmpty, Set(names).count == names.count else { return nil }
        var arguments: [String] = []
        for field in input.fields where names.contains(field.name) {
            guard field.kind == .string, !field.isRepeated, field.oneofIndex == nil, !field.isProto3Optional else { return nil }
            arguments.append("\(SwiftNames.property(field.name)): call.captures[\(names.firstIndex(of: field.name)!)].value")
        }
        guard arguments.count == names.count else { return nil }
        return "\(inputType)(\(arguments.joined(separator: ", ")))"
    }

    private func httpMethod(_ method: String) -> String {
        switch method {
        case "GET": ".get"
        case "POST": ".post"
        case "PUT": ".put"
        case "DELETE": ".delete"
        case "PATCH": ".patch"
        default: "HTTPRequest.Method(\(SwiftLiteral.string(method)))!"
        }
    }
}
