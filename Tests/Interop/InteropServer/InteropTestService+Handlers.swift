import InteropContracts
import RPC

/// The method bodies of `InteropTestService`.
extension InteropTestService {
    func unaryCall(_ request: SimpleRequest, context: ServerContext) throws -> UnaryResponse<SimpleResponse> {
        let echo = EchoedMetadata(context.requestMetadata)
        try echo.throwIfRequested(request.responseStatus)
        try Self.checkCompression(expected: request.expectCompressed, context: context)
        guard request.responseType == .compressable else {
            throw RPCError(code: .invalidArgument, message: "unsupported response_type", metadata: echo.trailing)
        }
        let payload = try Self.payload(size: request.responseSize)
        return UnaryResponse(
            message: SimpleResponse(payload: payload),
            initialMetadata: echo.initial, trailingMetadata: echo.trailing,
            compression: Self.compression(request.responseCompressed))
    }

    /// CompressedRequest: a request that says it was sent compressed must have come in a call
    /// with a `grpc-encoding`. (The handler sees the call's encoding, not each message's flag.)
    static func checkCompression(expected: BoolValue?, context: ServerContext) throws {
        guard expected?.value == true, context.requestEncoding == nil else { return }
        throw RPCError.invalidArgument("expected a compressed request, the call has no grpc-encoding")
    }

    /// CompressedResponse: gzip when asked for, uncompressed when asked not to, else the default.
    static func compression(_ requested: BoolValue?) -> MessageCompression {
        switch requested?.value {
        case true?: .preferred(.gzip)
        case false?: .disabled
        case nil: .automatic
        }
    }

    func streamingOutputCall(
        _ requests: RPCAsyncSequence<StreamingOutputCallRequest>,
        responses: TypedResponseWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws -> Metadata {
        let echo = EchoedMetadata(context.requestMetadata)
        try await echo.sendInitial(on: responses)
        for try await request in requests {
            try echo.throwIfRequested(request.responseStatus)
            try await respond(to: request, on: responses)
        }
        return echo.trailing
    }

    func fullDuplexCall(
        _ requests: RPCAsyncSequence<StreamingOutputCallRequest>,
        responses: TypedResponseWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws -> Metadata {
        let echo = EchoedMetadata(context.requestMetadata)
        try await echo.sendInitial(on: responses)
        // Each request is answered as it arrives, before the client half-closes (ping_pong).
        for try await request in requests {
            try echo.throwIfRequested(request.responseStatus)
            try await respond(to: request, on: responses)
        }
        return echo.trailing
    }

    func halfDuplexCall(
        _ requests: RPCAsyncSequence<StreamingOutputCallRequest>,
        responses: TypedResponseWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws -> Metadata {
        let echo = EchoedMetadata(context.requestMetadata)
        var received: [StreamingOutputCallRequest] = []
        for try await request in requests {
            try echo.throwIfRequested(request.responseStatus)
            received.append(request)
        }
        try await echo.sendInitial(on: responses)
        for request in received {
            try await respond(to: request, on: responses)
        }
        return echo.trailing
    }

    /// One response per ResponseParameters, each after its `interval_us` sleep.
    private func respond(
        to request: StreamingOutputCallRequest, on responses: TypedResponseWriter<StreamingOutputCallResponse>
    ) async throws {
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(parameters.intervalUs))
            }
            try await responses.write(
                StreamingOutputCallResponse(payload: try Self.payload(size: parameters.size)),
                compression: Self.compression(parameters.compressed))
        }
    }

    static func payload(size: Int32) throws -> Payload {
        guard size >= 0 else { throw RPCError.invalidArgument("negative payload size \(size)") }
        return Payload(type: .compressable, body: [UInt8](repeating: 0, count: Int(size)))
    }
}
