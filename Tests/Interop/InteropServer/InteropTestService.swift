import InteropContracts
import RPC

/// `grpc.testing.TestService` with the server features of grpc/grpc's interop-test
/// descriptions that the 18 cases need: EmptyCall, UnaryCall (response_size, Echo Status,
/// Echo Metadata, CompressedRequest, CompressedResponse), StreamingInputCall
/// (CompressedRequest), StreamingOutputCall (CompressedResponse) and FullDuplexCall (ResponseParameters with
/// interval_us), HalfDuplexCall and StreamingInputCall. UnimplementedCall is deliberately not
/// registered, so it answers UNIMPLEMENTED.
///
/// It registers its methods itself rather than through the generated `TestService` protocol,
/// whose unary and bidirectional signatures carry no response metadata: Echo Metadata needs to
/// set both initial and trailing metadata.
struct InteropTestService: RPCService {
    static let echoInitialKey = "x-grpc-test-echo-initial"
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

    let events: EventLog

    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(TestServiceMethod.emptyCall) { (_: Empty, _) in Empty() }
        router.registerUnaryWithMetadata(TestServiceMethod.unaryCall) { (request: SimpleRequest, context) in
            try unaryCall(request, context: context)
        }
        router.registerBidirectional(TestServiceMethod.streamingOutputCall) {
            (requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: TypedResponseWriter<StreamingOutputCallResponse>, context) in
            try await streamingOutputCall(requests, responses: responses, context: context)
        }
        router.registerClientStreaming(TestServiceMethod.streamingInputCall) {
            (requests: RPCAsyncSequence<StreamingInputCallRequest>, context) -> UnaryResponse<StreamingInputCallResponse> in
            try await events.lifecycle("StreamingInputCall") {
                var total: Int32 = 0
                for try await request in requests {
                    try Self.checkCompression(expected: request.expectCompressed, context: context)
                    total += Int32(request.payload?.body.count ?? 0)
                }
                return UnaryResponse(message: StreamingInputCallResponse(aggregatedPayloadSize: total))
            }
        }
        router.registerBidirectional(TestServiceMethod.fullDuplexCall) {
            (requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: TypedResponseWriter<StreamingOutputCallResponse>, context) in
            try await events.lifecycle("FullDuplexCall") {
                try await fullDuplexCall(requests, responses: responses, context: context)
            }
        }
        router.registerBidirectional(TestServiceMethod.halfDuplexCall) {
            (requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: TypedResponseWriter<StreamingOutputCallResponse>, context) in
            try await halfDuplexCall(requests, responses: responses, context: context)
        }
    }
}
