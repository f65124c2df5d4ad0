import Testing
@testable import RPC

@Suite struct RequestHeaderValidatorTests {
    static let grpcHeaders: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":path", "/pkg.Svc/Do"), (":authority", "localhost"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ]

    private func classify(_ fields: [(String, String)], max: Int = 8192) -> RequestClassification {
        var validator = RequestHeaderValidator(config: .init(maxHeaderListSize: max))
        for (name, value) in fields { _ = validator.add(name: name, value: value) }
        return validator.classify()
    }

    @Test func acceptsAGRPCRequestWithMetadataAndTimeout() {
        let fields =
            Self.grpcHeaders + [("grpc-timeout", "5S"), ("x-user", "ann"), ("trace-bin", "AQI"), ("grpc-accept-encoding", "gzip"), ("content-length", "5")]
        guard case .call(let head) = classify(fields) else { Issue.record("not a call"); return }
        #expect(head.path == "/pkg.Svc/Do")
        #expect(head.timeout == .seconds(5))
        #expect(head.metadata["x-user"] == "ann")
        #expect(head.metadata.binary("trace-bin") == [1, 2])
        #expect(head.metadata.count == 2, "pseudo, reserved and grpc-* headers are not metadata")
    }

    @Test(arguments: [
        "application/grpc", "application/grpc+proto", "application/grpc;charset=utf-8",
        "application/grpc+proto;charset=utf-8",
    ])
    func grpcContentTypes(value: String) {
        var fields = Self.grpcHeaders
        fields[4] = ("content-type", value)
        guard case .call = classify(fields) else { Issue.record("rejected \(value)"); return }
    }

    @Test(arguments: [
        "application/json", "text/plain", "application/grpc-web", "application/grpcx",
        "application/grpc+json", "application/grpc+protobuf", "application/grpc+proto-x",
    ])
    func otherContentTypesAre415(value: String) {
        var fields = Self.grpcHeaders
        fields[4] = ("content-type", value)
        #expect(classify(fields) == .httpError(status: 415))
    }

    @Test func missingContentTypeIs415() {
        #expect(classify(Self.grpcHeaders.filter { $0.0 != "content-type" }) == .httpError(status: 415))
    }

    @Test func getIs405() {
        var fields = Self.grpcHeaders
        fields[0] = (":method", "GET")
        #expect(classify(fields) == .httpError(status: 405))
    }

    @Test(arguments: [("connection", "close"), ("te", "gzip"), (":protocol", "x"), ("X-Upper", "1")])
    func malformedHeadersAre400(name: String, value: String) {
        #expect(classify(Self.grpcHeaders + [(name, value)]) == .httpError(status: 400))
    }

    @Test func badTimeoutIsInternal() {
        guard case .rpcError(let error) = classify(Self.grpcHeaders + [("grpc-timeout", "soon")]) else {
            Issue.record("accepted"); return
        }
        #expect(error.code == .internal)
    }

    @Test func unsupportedEncodingIsUnimplemented() {
        guard case .rpcError(let error) = classify(Self.grpcHeaders + [("grpc-encoding", "br")]) else {
            Issue.record("accepted"); return
        }
        #expect(error.code == .unimplemented)
        guard case .call = classify(Self.grpcHeaders + [("grpc-encoding", "identity")]) else { Issue.record("identity rejected"); return }
    }

    @Test(arguments: [("gzip", CompressionAlgorithm.gzip), ("deflate", .deflate)])
    func supportedEncodingIsAccepted(name: String, algorithm: CompressionAlgorithm) {
        guard case .call(let head) = classify(Self.grpcHeaders + [("grpc-encoding", name)]) else {
            Issue.record("\(name) rejected"); return
        }
        #expect(head.compression == algorithm)
    }

    @Test func acceptEncodingListsTheSupportedAlgorithms() {
        guard
            case .call(let head) = classify(
                Self.grpcHeaders + [
                    ("grpc-accept-encoding", "identity, deflate,br"),
                    ("grpc-accept-encoding", " gzip "),
                ])
        else {
            Issue.record("rejected"); return
        }
        #expect(head.acceptedEncodings == [.deflate, .gzip])
        guard case .call(let plain) = classify(Self.grpcHeaders) else { Issue.record("rejected"); return }
        #expect(plain.acceptedEncodings.isEmpty)
    }

    @Test func headerListSizeCountsNameValueAnd32() {
        var validator = RequestHeaderValidator()
        _ = validator.add(name: "ab", value: "cde")
        #expect(validator.headerListSize == 37)
    }

    @Test func overTheHeaderListLimitIsResourceExhausted() {
        var validator = RequestHeaderValidator(config: .init(maxHeaderListSize: 8192))
        for (name, value) in Self.grpcHeaders { #expect(validator.add(name: name, value: value) == .accepted) }
        var results: [RequestHeaderValidator.FieldResult] = []
        for index in 0..<100 { results.append(validator.add(name: "x-pad-\(index)", value: String(repeating: "a", count: 100))) }
        #expect(results.contains(.headerListTooLarge))
        #expect(results.last == .headerListTooLarge, "once over, every later field is refused")
        guard case .rpcError(let error) = validator.classify() else { Issue.record("accepted"); return }
        #expect(error.code == .resourceExhausted)
    }

    @Test func exactlyAtTheLimitIsAccepted() {
        let base = Self.grpcHeaders.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 32 }
        let padding = 8192 - base - 32 - "x-pad".utf8.count
        guard case .call = classify(Self.grpcHeaders + [("x-pad", String(repeating: "a", count: padding))]) else {
            Issue.record("rejected at the limit"); return
        }
        guard case .rpcError(let error) = classify(Self.grpcHeaders + [("x-pad", String(repeating: "a", count: padding + 1))]) else {
            Issue.record("accepted one byte over the limit"); return
        }
        #expect(error.code == .resourceExhausted)
    }
}
