import RPC
@testable import RPCHTTP2
import Testing

/// The request headers a client submits: prebuilt constants around the per-call fields, in a
/// block each connection refills for every call.
@Suite struct RequestHeaderBlockTests {
    private func request(path: String, timeout: Duration?, metadata: Metadata, tls: Bool = false, into block: inout HeaderBlock) {
        block.removeAll(prefix: HeaderBlock.requestPrefix(tls: tls), suffix: HeaderBlock.requestSuffix)
        block.add(":path", path)
        block.add(":authority", "orders:9090")
        if let timeout { block.addTimeout(timeout) }
        block.add(metadata: metadata)
    }

    @Test func pseudoHeadersFirstThenCallFieldsThenConstants() {
        var block = HeaderBlock()
        let metadata: Metadata = ["Authorization": "Bearer abc", "trace-bin": .binary([1, 2, 3]), "grpc-status": "0"]
        request(path: "/orderhub.v1.Orders/GetOrder", timeout: .seconds(30), metadata: metadata, into: &block)
        let fields = block.fields
        #expect(
            fields.map(\.name) == [
                ":method", ":scheme", ":path", ":authority", "grpc-timeout", "authorization", "trace-bin",
                "content-type", "te", "grpc-accept-encoding", "user-agent",
            ])
        #expect(
            fields.map(\.value) == [
                "POST", "http", "/orderhub.v1.Orders/GetOrder", "orders:9090", "30000000u", "Bearer abc", "AQID",
                "application/grpc", "trailers", CompressionAlgorithm.acceptEncodingHeader, "orderhub-rpc-swift",
            ])
        #expect(block.count == fields.count)
    }

    @Test func schemeIsHTTPSOverTLS() {
        var block = HeaderBlock()
        request(path: "/a.B/C", timeout: nil, metadata: [:], tls: true, into: &block)
        #expect(block.fields.prefix(2).map(\.value) == ["POST", "https"])
        request(path: "/a.B/C", timeout: nil, metadata: [:], tls: false, into: &block)
        #expect(block.fields.prefix(2).map(\.value) == ["POST", "http"])
    }

    @Test func refilledBlockKeepsNothingOfTheLastCall() {
        var block = HeaderBlock()
        request(path: "/a.B/Long", timeout: .seconds(3600), metadata: ["x-request-id": "first-call-id"], into: &block)
        request(path: "/a.B/C", timeout: nil, metadata: [:], into: &block)
        #expect(block.fields.map(\.name) == [":method", ":scheme", ":path", ":authority", "content-type", "te", "grpc-accept-encoding", "user-agent"])
        #expect(block.fields[2].value == "/a.B/C")
    }

    @Test(arguments: [
        Duration.nanoseconds(1), .nanoseconds(10), .nanoseconds(99_999_999), .milliseconds(250), .seconds(30), .seconds(100) + .nanoseconds(1),
        .seconds(360_000), .seconds(1_000_000_000), .zero, .seconds(-1), .seconds(Int64.max),
    ])
    func timeoutDigitsAreWhatFormatWrites(timeout: Duration) {
        var block = HeaderBlock()
        block.addTimeout(timeout)
        #expect(block.fields.map(\.name) == ["grpc-timeout"])
        #expect(block.fields.first?.value == GRPCTimeout.format(timeout))
    }

    @Test func constantBlocksAreUsedAsTheyAre() {
        #expect(HeaderBlock.okTrailers.fields.map(\.name) == ["grpc-status"])
        #expect(HeaderBlock.grpcResponse.fields.map(\.value).first == "200")
    }
}
