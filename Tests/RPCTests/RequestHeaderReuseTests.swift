import Testing
@testable import RPC

/// What the server's way of reading a header block adds: the method found from the `:path`
/// bytes, and the metadata of the connection's previous request reused when repeated.
@Suite struct RequestHeaderReuseTests {
    static let grpcHeaders = RequestHeaderValidatorTests.grpcHeaders

    private static func router() -> RPCRouter {
        var router = RPCRouter()
        for method in ["Do", "Other", "Third"] {
            router.register(
                MethodDescriptor(service: "pkg.Svc", method: method, kind: .unary),
                handler: .unary { _, _ in UnaryResponse(message: Array(method.utf8)) })
        }
        return router
    }

    private func head(_ fields: [(String, String)], previous: Metadata = [:], router: RPCRouter? = nil) -> (RequestHead?, RPCRouter.Route?) {
        var validator = RequestHeaderValidator(previous: previous)
        for (name, value) in fields { _ = validator.add(name: name.utf8Span.span, value: value.utf8Span.span, router: router) }
        guard case .call(let head) = validator.classify() else { return (nil, validator.route) }
        return (head, validator.route)
    }

    @Test func theRouteComesFromThePathBytes() async throws {
        let (found, route) = head(Self.grpcHeaders, router: Self.router())
        #expect(found?.path == "/pkg.Svc/Do")
        #expect(route?.path == "/pkg.Svc/Do")
        guard case .unary(let handler)? = route?.handler else { Issue.record("no unary route"); return }
        #expect(try await handler([], ServerContext(path: "/pkg.Svc/Do")).message == Array("Do".utf8))
    }

    @Test(arguments: ["/pkg.Svc/Missing", "/pkg.Svc/D", "/pkg.Svc/Doo", "/pkg.Svc/do", ""])
    func anUnmountedPathHasNoRouteButKeepsItsText(path: String) {
        var fields = Self.grpcHeaders
        fields[2] = (":path", path)
        #expect(Self.router().route(forPath: path.utf8Span.span) == nil)
        let (found, route) = head(fields, router: Self.router())
        #expect(route == nil)
        #expect((found?.path ?? "") == path, "an empty path is no call (400)")
    }

    @Test func repeatedMetadataIsTheSame() {
        let previous: Metadata = ["user-agent": "grpc-swift/1", "authorization": "Bearer abc"]
        let fields = Self.grpcHeaders + [("user-agent", "grpc-swift/1"), ("content-length", "5"), ("authorization", "Bearer abc")]
        #expect(head(fields, previous: previous).0?.metadata == previous)
    }

    @Test func aLongValueDifferingInOneByteIsReadAfresh() {
        let token = "Bearer " + String(repeating: "abcdefgh", count: 25)
        for position in [7, 100, token.utf8.count - 1] {
            var bytes = Array(token.utf8)
            bytes[position] ^= 1
            let changed = String(decoding: bytes, as: UTF8.self)
            let fields = Self.grpcHeaders + [("authorization", changed)]
            #expect(head(fields, previous: ["authorization": .string(token)]).0?.metadata == ["authorization": .string(changed)])
        }
        let same = Self.grpcHeaders + [("authorization", token)]
        #expect(head(same, previous: ["authorization": .string(token)]).0?.metadata == ["authorization": .string(token)])
    }

    @Test func metadataThatDiffersIsReadAfresh() {
        let previous: Metadata = ["user-agent": "grpc-swift/1", "authorization": "Bearer abc"]
        let changed = Self.grpcHeaders + [("user-agent", "grpc-swift/1"), ("authorization", "Bearer xyz")]
        #expect(head(changed, previous: previous).0?.metadata == ["user-agent": "grpc-swift/1", "authorization": "Bearer xyz"])
        let fewer = Self.grpcHeaders + [("user-agent", "grpc-swift/1")]
        #expect(head(fewer, previous: previous).0?.metadata == ["user-agent": "grpc-swift/1"])
        let more = Self.grpcHeaders + [("user-agent", "grpc-swift/1"), ("authorization", "Bearer abc"), ("x-request-id", "7")]
        #expect(head(more, previous: previous).0?.metadata == ["user-agent": "grpc-swift/1", "authorization": "Bearer abc", "x-request-id": "7"])
        let reordered = Self.grpcHeaders + [("authorization", "Bearer abc"), ("user-agent", "grpc-swift/1")]
        #expect(head(reordered, previous: previous).0?.metadata == ["authorization": "Bearer abc", "user-agent": "grpc-swift/1"])
        #expect(head(Self.grpcHeaders, previous: previous).0?.metadata.isEmpty == true)
    }

    @Test func repeatedFieldsStillCountAgainstTheLimit() {
        let previous: Metadata = ["x-pad": Metadata.Value.string(String(repeating: "a", count: 4000))]
        var validator = RequestHeaderValidator(config: .init(maxHeaderListSize: 8192), previous: previous)
        var results: [RequestHeaderValidator.FieldResult] = []
        let value = String(repeating: "a", count: 4000)
        for _ in 0..<3 { results.append(validator.add(name: "x-pad".utf8Span.span, value: value.utf8Span.span, router: nil)) }
        #expect(results.last == .headerListTooLarge)
    }
}
