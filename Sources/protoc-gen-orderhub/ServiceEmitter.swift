/// Writes, per service, the method descriptors (`XMethod`), the protocol a server implements
/// (`XService`, registered on `RPCRouter`'s typed registration) and the typed client (`XClient`).
struct ServiceEmitter {
    var registry: TypeRegistry

    /// One RPC with its Swift names resolved.
    private struct Method {
        var method: ProtoMethod
        var swiftName: String
        var request: String
        var response: String
        var kind: String
    }

    /// The protocol a server implements: `Orders` → `OrdersService`; a name that already ends in
    /// `Service` (`TestService`) is used as it is.
    static func protocolName(_ service: ProtoService) -> String {
        service.name.hasSuffix("Service") ? service.name : service.name + "Service"
    }

    func emit(_ service: ProtoService, into writer: inout CodeWriter) throws {
        let methods = try service.methods.map { method in
            let user = "rpc \(service.fullName).\(method.name)"
            let kind =
                switch (method.clientStreaming, method.serverStreaming) {
                case (false, false): "unary"
                case (false, true): "serverStreaming"
                case (true, false): "clientStreaming"
                case (true, true): "bidirectionalStreaming"
                }
            return Method(
                method: method,
                swiftName: SwiftNames.identifier(SwiftNames.method(method.name)),
                request: try registry.message(method.inputType, usedBy: user).entry.swiftName,
                response: try registry.message(method.outputType, usedBy: user).entry.swiftName,
                kind: kind)
        }
        emitDescriptors(service, methods, into: &writer)
        writer.line()
        emitProtocol(service, methods, into: &writer)
        writer.line()
        emitRegistration(service, methods, into: &writer)
        writer.line()
        emitClient(service, methods, into: &writer)
    }

    private func emitDescriptors(_ service: ProtoService, _ methods: [Method], into writer: inout CodeWriter) {
        writer.doc(nil, fallback: "The methods of `\(service.fullName)`, for routing and for calls.")
        writer.block("public enum \(service.name)Method") { writer in
            for method in methods {
                writer.doc(method.method.comment, fallback: "`\(signature(method))`.")
                writer.line(
                    "public static let \(method.swiftName) = MethodDescriptor(service: \"\(service.fullName)\", "
                        + "method: \"\(method.method.name)\", kind: .\(method.kind))")
            }
            writer.line()
            writer.doc(nil, fallback: "Every method, in declaration order.")
            writer.line("public static let all: [MethodDescriptor] = [\(methods.map(\.swiftName).joined(separator: ", "))]")
        }
    }

    private func emitProtocol(_ service: ProtoService, _ methods: [Method], into writer: inout CodeWriter) {
        writer.doc(service.comment, fallback: nil)
        if service.comment != nil { writer.line("///") }
        writer.line("/// Implement this to serve `\(service.fullName)`; `router.register(service)` mounts every method.")
        writer.block("public protocol \(Self.protocolName(service)): RPCService") { writer in
            for (index, method) in methods.enumerated() {
                if index > 0 { writer.line() }
                writer.doc(method.method.comment, fallback: "`\(signature(method))`.")
                writer.line(requirement(method))
            }
        }
    }

    private func requirement(_ method: Method) -> String {
        let name = method.swiftName
        switch (method.method.clientStreaming, method.method.serverStreaming) {
        case (false, false):
            return "func \(name)(_ request: \(method.request), context: ServerContext) async throws -> \(method.response)"
        case (false, true):
            return "func \(name)(_ request: \(method.request), responses: RPCWriter<\(method.response)>, context: ServerContext) async throws"
        case (true, false):
            return "func \(name)(_ requests: RPCAsyncSequence<\(method.request)>, context: ServerContext) async throws -> \(method.response)"
        case (true, true):
            return "func \(name)(_ requests: RPCAsyncSequence<\(method.request)>, responses: RPCWriter<\(method.response)>, "
                + "context: ServerContext) async throws"
        }
    }

    private func emitRegistration(_ service: ProtoService, _ methods: [Method], into writer: inout CodeWriter) {
        writer.block("extension \(Self.protocolName(service))") { writer in
            writer.doc(nil, fallback: "Mounts every method of `\(service.fullName)` on `router`.")
            writer.block("public func registerMethods(with router: inout RPCRouter)") { writer in
                for method in methods {
                    let descriptor = "\(service.name)Method.\(method.swiftName)"
                    let name = method.swiftName
                    let (register, parameters, body): (String, String, [String]) =
                        switch (method.method.clientStreaming, method.method.serverStreaming) {
                        case (false, false):
                            (
                                "registerUnary", "request, context",
                                ["try await self.\(name)(request, context: context)"]
                            )
                        case (false, true):
                            (
                                "registerServerStreaming", "request, responses, context",
                                ["try await self.\(name)(request, responses: responses, context: context)"]
                            )
                        case (true, false):
                            (
                                "registerClientStreaming", "requests, context",
                                ["UnaryResponse(message: try await self.\(name)(requests, context: context))"]
                            )
                        case (true, true):
                            (
                                "registerBidirectional", "requests, responses, context",
                                [
                                    "try await self.\(name)(requests, responses: RPCWriter { try await responses.write($0) }, context: context)",
                                    "return [:]",
                                ]
                            )
                        }
                    writer.line("router.\(register)(\(descriptor)) { \(parameters) in")
                    for statement in body { writer.line("    " + statement) }
                    writer.line("}")
                }
            }
        }
    }

    private func emitClient(_ service: ProtoService, _ methods: [Method], into writer: inout CodeWriter) {
        writer.doc(nil, fallback: "Typed calls to `\(service.fullName)`.")
        writer.block("public struct \(service.name)Client: Sendable") { writer in
            writer.doc(nil, fallback: "The untyped client underneath, for calls that need response metadata.")
            writer.line("public let client: RPCClient")
            writer.line()
            writer.doc(nil, fallback: "Calls through `client`.")
            writer.block("public init(_ client: RPCClient)") { $0.line("self.client = client") }
            writer.line()
            writer.doc(nil, fallback: "Calls over `transport`.")
            writer.block("public init(transport: any ClientTransport)") { $0.line("self.client = RPCClient(transport: transport)") }
            for method in methods {
                writer.line()
                emitCall(service, method, into: &writer)
            }
        }
    }

    private func emitCall(_ service: ProtoService, _ method: Method, into writer: inout CodeWriter) {
        let descriptor = "\(service.name)Method.\(method.swiftName)"
        let name = method.swiftName
        let onResponse = "onResponse: @escaping @Sendable (StreamingClientResponse<\(method.response)>) async throws -> Result"
        let producer = "requestProducer: @escaping @Sendable (RPCWriter<\(method.request)>) async throws -> Void"
        writer.doc(method.method.comment, fallback: "`\(signature(method))`.")
        switch (method.method.clientStreaming, method.method.serverStreaming) {
        case (false, false):
            writer.block("public func \(name)(_ request: \(method.request), options: CallOptions = .defaults) async throws -> \(method.response)") { writer in
                writer.line("try await client.unary(\(descriptor), request: request, responseType: \(method.response).self, options: options).message")
            }
        case (false, true):
            writer.line("public func \(name)<Result: Sendable>(")
            writer.line("    _ request: \(method.request), options: CallOptions = .defaults,")
            writer.line("    \(onResponse)")
            writer.block(") async throws -> Result") { writer in
                writer.line("try await client.serverStreaming(\(descriptor), request: request, options: options, onResponse: onResponse)")
            }
        case (true, false):
            writer.line("public func \(name)(")
            writer.line("    options: CallOptions = .defaults,")
            writer.line("    \(producer)")
            writer.block(") async throws -> \(method.response)") { writer in
                writer.line("try await client.clientStreaming(")
                writer.line("    \(descriptor), responseType: \(method.response).self, options: options, requestProducer: requestProducer")
                writer.line(").message")
            }
        case (true, true):
            writer.line("public func \(name)<Result: Sendable>(")
            writer.line("    options: CallOptions = .defaults,")
            writer.line("    \(producer),")
            writer.line("    \(onResponse)")
            writer.block(") async throws -> Result") { writer in
                writer.line("try await client.bidirectional(")
                writer.line("    \(descriptor), options: options, requestProducer: requestProducer, onResponse: onResponse")
                writer.line(")")
            }
        }
    }

    /// `rpc CreateOrder(CreateOrderRequest) returns (Order)` as written in the `.proto` file.
    private func signature(_ method: Method) -> String {
        let request = (method.method.clientStreaming ? "stream " : "") + method.request
        let response = (method.method.serverStreaming ? "stream " : "") + method.response
        return "rpc \(method.method.name)(\(request)) returns (\(response))"
    }
}
