import InteropContracts
import RPC

/// The interop "Echo Metadata" and "Echo Status" features for one call: the request's
/// `x-grpc-test-echo-initial` goes back in the response headers, its
/// `x-grpc-test-echo-trailing-bin` in the trailers (also when the call fails).
struct EchoedMetadata {
    var initial = Metadata()
    var trailing = Metadata()

    init(_ request: Metadata) {
        for value in request.values(InteropTestService.echoInitialKey) {
            initial.add(InteropTestService.echoInitialKey, value)
        }
        for value in request.values(InteropTestService.echoTrailingKey) {
            trailing.add(InteropTestService.echoTrailingKey, value)
        }
    }

    /// Sends the echoed initial metadata now, when there is any.
    func sendInitial<Message>(on responses: TypedResponseWriter<Message>) async throws {
        if !initial.isEmpty { try await responses.sendInitialMetadata(initial) }
    }

    /// Echo Status: a non-zero `response_status` ends the call with that code and message.
    func throwIfRequested(_ status: EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        let code = StatusCode(rawValue: Int(status.code)) ?? .unknown
        throw RPCError(code: code == .ok ? .unknown : code, message: status.message, metadata: trailing)
    }
}
