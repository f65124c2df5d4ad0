import InteropContracts
import RPC

/// The interop test cases, each with the procedure and assertions of grpc/grpc
/// doc/interop-test-descriptions.md. Each throws on failure.
struct InteropCases: Sendable {
    static let names = [
        "empty_unary", "large_unary", "server_streaming", "client_streaming", "ping_pong", "empty_stream",
        "status_code_and_message", "special_status_message", "custom_metadata", "unimplemented_method",
        "unimplemented_service", "timeout_on_sleeping_server", "cancel_after_begin", "cancel_after_first_response",
        "client_compressed_unary", "server_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
    ]

    static let echoInitial = (key: "x-grpc-test-echo-initial", value: "test_initial_metadata_value")
    static let echoTrailing = (key: "x-grpc-test-echo-trailing-bin", value: [UInt8]([0xAB, 0xAB, 0xAB]))
    static let specialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"
    static let streamRequestSizes: [Int32] = [27182, 8, 1828, 45904]
    static let streamResponseSizes: [Int32] = [31415, 9, 2653, 58979]

    let client: TestServiceClient
    let unimplemented: UnimplementedServiceClient
    /// A bound on calls that should succeed, so a hung server fails the case instead of the run.
    let callTimeout = Duration.seconds(20)

    init(transport: any ClientTransport) {
        client = TestServiceClient(transport: transport)
        unimplemented = UnimplementedServiceClient(transport: transport)
    }

    func run(_ name: String) async throws {
        switch name {
        case "empty_unary": try await emptyUnary()
        case "large_unary": try await largeUnary()
        case "server_streaming": try await serverStreaming()
        case "client_streaming": try await clientStreaming()
        case "ping_pong": try await pingPong()
        case "empty_stream": try await emptyStream()
        case "status_code_and_message": try await statusCodeAndMessage()
        case "special_status_message": try await specialStatusMessage()
        case "custom_metadata": try await customMetadata()
        case "unimplemented_method": try await unimplementedMethod()
        case "unimplemented_service": try await unimplementedService()
        case "timeout_on_sleeping_server": try await timeoutOnSleepingServer()
        case "cancel_after_begin": try await cancelAfterBegin()
        case "cancel_after_first_response": try await cancelAfterFirstResponse()
        case "client_compressed_unary": try await clientCompressedUnary()
        case "server_compressed_unary": try await serverCompressedUnary()
        case "client_compressed_streaming": try await clientCompressedStreaming()
        case "server_compressed_streaming": try await serverCompressedStreaming()
        default: throw InteropFailure("unknown test case \(name)")
        }
    }

    var options: CallOptions { CallOptions(timeout: callTimeout) }

    static func payload(_ size: Int32) -> Payload {
        Payload(type: .compressable, body: [UInt8](repeating: 0, count: Int(size)))
    }

    static func expectPayload(_ payload: Payload?, size: Int32, _ what: String) throws {
        guard let payload else { throw InteropFailure("\(what): no payload") }
        try expect(payload.type == .compressable, "\(what): payload type \(payload.type)")
        try expect(payload.body.count == Int(size), "\(what): payload body is \(payload.body.count) bytes, expected \(size)")
        try expect(payload.body.allSatisfy { $0 == 0 }, "\(what): payload body is not all zeros")
    }

    /// Runs `call` and returns the `RPCError` it must fail with.
    static func expectError(_ what: String, _ call: () async throws -> Void) async throws -> RPCError {
        do {
            try await call()
        } catch let error as RPCError {
            return error
        }
        throw InteropFailure("\(what) succeeded, expected it to fail")
    }
}
