/// The REST gateway's code from the `google.api.http` annotations (as grpc-gateway and
/// protoc-gen-openapiv2 derive theirs): `RESTContract+Bindings.swift` with every binding (HTTP method,
/// path template, body, query parameters, the call it makes) and the OpenAPI schemas, and per
/// `.proto` file a `<name>.json.swift` with the proto3 JSON coding of the messages REST uses.
///
/// Query parameters follow grpc-gateway: with no body (or a body naming one field), every
/// top-level non-message field that the path does not bind may be given in the query.
struct RESTEmitter {
    var registry: TypeRegistry
    /// The module with the message types (`import`ed by the generated files).
    var contractsModule: String

    /// One annotated method's binding, checked.
    struct Binding {
        var service: ProtoService
        var method: ProtoMethod
        var rule: HTTPRule
        var template: PathTemplate
        var operationID: String
        var input: ProtoMessage
        var queryFields: [ProtoField]
        /// The `.proto` file that declares the service.
        var sourceFile: String
    }

    func emit(_ files: [ProtoFile]) throws -> [GeneratedFile] {
        var bindings: [Binding] = []
        var operationIDs: [String: Int] = [:]
        for file in files {
            for service in file.services {
                for method in service.methods {
                    for rule in try method.httpRules() {
                        let count = operationIDs[method.name, default: 0] + 1
                        operationIDs[method.name] = count
                        let id = count == 1 ? method.name : "\(method.name)\(count)"
                        bindings.append(try binding(service, method, rule, operationID: id, file: file.name))
                    }
                }
            }
        }
        guard !bindings.isEmpty else { return [] }
        let (messages, enums) = try usedTypes(bindings)
        var output: [GeneratedFile] = []
        for file in files {
            let fileMessages = messages.filter { registry.entry($0.fullName)?.file == file.name }
            let fileEnums = enums.filter { registry.entry($0.fullName)?.file == file.name }
            guard !fileMessages.isEmpty || !fileEnums.isEmpty else { continue }
            var writer = banner([file.name])
            writer.line("import \(contractsModule)")
            writer.line("import RPC")
            let coding = JSONCodingEmitter(registry: registry)
            for enumeration in fileEnums {
                writer.line()
                coding.emitEnumConformance(registry.entry(enumeration.fullName)!.swiftName, into: &writer)
            }
            for message in fileMessages {
                writer.line()
                try coding.emit(message, into: &writer)
            }
            output.append(GeneratedFile(name: Generator.baseName(file.name) + ".json.swift", content: writer.text))
        }
        output.append(GeneratedFile(name: "RESTContract+Bindings.swift", content: try contract(bindings, messages: messages, enums: enums)))
        return output
    }

    private func binding(_ service: ProtoService, _ method: ProtoMethod, _ rule: HTTPRule, operationID: String, file: String) throws -> Binding {
        let name = "\(service.fullName).\(method.name)"
        guard !method.clientStreaming else {
            throw GeneratorError("\(name) streams requests, which REST cannot map (only unary and server-streaming methods can have google.api.http)")
        }
        guard rule.responseBody.isEmpty else {
            throw GeneratorError("\(name): response_body is not supported by the REST mapping yet")
        }
        let (input, _) = try registry.message(method.inputType, usedBy: name)
        _ = try registry.message(method.outputType, usedBy: name)
        let template = try PathTemplate(rule.path, method: name)
        for field in template.fields {
            guard let proto = input.fields.first(where: { $0.name == field }) else {
                throw GeneratorError("\(name): the path template \(rule.path) names `\(field)`, which \(input.fullName) does not have")
            }
            guard !proto.isRepeated, proto.kind != .message else {
                throw GeneratorError("\(name): the path variable `\(field)` must be a singular scalar field")
            }
        }
        if !rule.body.isEmpty, rule.body != "*" {
            guard input.fields.contains(where: { $0.name == rule.body }) else {
                throw GeneratorError("\(name): body names `\(rule.body)`, which \(input.fullName) does not have")
            }
        }
        let queryFields =
            rule.body == "*"
            ? []
            : input.fields.filter { field in
                field.kind != .message && field.name != rule.body && !template.fields.contains(field.name)
            }
        return Binding(
            service: service, method: method, rule: rule, template: template, operationID: operationID,
            input: input, queryFields: queryFields, sourceFile: file)
    }

    /// The messages and enums the bindings reach, requests and responses and their fields, in order.
    private func usedTypes(_ bindings: [Binding]) throws -> ([ProtoMessage], [ProtoEnum]) {
        var messages: [ProtoMessage] = [], enums: [ProtoEnum] = []
        var seen: Set<String> = []
        func visit(_ typeName: String, usedBy user: String) throws {
            let entry = try registry.generatedEntry(typeName, usedBy: user)
            guard seen.insert(typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName).inserted else { return }
            switch entry.declaration {
            case .enumeration(let enumeration): enums.append(enumeration)
            case .message(let message):
                if message.isMapEntry { throw GeneratorError("\(user) uses a map, which the REST mapping does not support yet") }
                messages.append(message)
                for field in message.fields where field.kind == .message || field.kind == .enum {
                    try visit(field.typeName, usedBy: "\(message.fullName).\(field.name)")
                }
            }
        }
        for binding in bindings {
            try visit(binding.method.inputType, usedBy: binding.method.name)
            try visit(binding.method.outputType, usedBy: binding.method.name)
        }
        return (messages, enums)
    }

    func banner(_ sources: [String]) -> CodeWriter {
        var writer = CodeWriter()
        writer.line("// DO NOT EDIT. Generated by protoc-gen-orderhub from \(sources.joined(separator: ", ")).")
        writer.line()
        return writer
    }
}
