import InteropContracts
import RPC

/// The compression cases. Our client cannot see a response message's compressed flag (it
/// inflates transparently), so the server_compressed cases check the payloads only, as the
/// descriptions allow; the Python suite checks the flags on the wire.
extension InteropCases {
    private var gzip: CallOptions { CallOptions(timeout: callTimeout, compression: .gzip) }

    func clientCompressedUnary() async throws {
        func request(expectCompressed: Bool) -> SimpleRequest {
            SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: Self.payload(271_828),
                expectCompressed: BoolValue(value: expectCompressed))
        }
        // The feature probe: an uncompressed request that claims to be compressed.
        let probe = try await Self.expectError("the uncompressed probe") {
            _ = try await client.unaryCall(request(expectCompressed: true), options: options)
        }
        try expect(probe.code == .invalidArgument, "the uncompressed probe: status \(probe.code), expected INVALID_ARGUMENT")
        let compressed = try await client.unaryCall(request(expectCompressed: true), options: gzip)
        try Self.expectPayload(compressed.payload, size: 314_159, "compressed call")
        let plain = try await client.unaryCall(request(expectCompressed: false), options: options)
        try Self.expectPayload(plain.payload, size: 314_159, "uncompressed call")
    }

    func serverCompressedUnary() async throws {
        for compressed in [true, false] {
            let request = SimpleRequest(
                responseType: .compressable, responseSize: 314_159, payload: Self.payload(271_828),
                responseCompressed: BoolValue(value: compressed))
            let response = try await client.unaryCall(request, options: options)
            try Self.expectPayload(response.payload, size: 314_159, "response_compressed \(compressed)")
        }
    }

    func clientCompressedStreaming() async throws {
        let probe = try await Self.expectError("the uncompressed probe") {
            _ = try await client.streamingInputCall(options: options) { requests in
                try await requests.write(StreamingInputCallRequest(payload: Self.payload(27182), expectCompressed: BoolValue(value: true)))
            }
        }
        try expect(probe.code == .invalidArgument, "the uncompressed probe: status \(probe.code), expected INVALID_ARGUMENT")
        let response = try await client.streamingInputCall(options: gzip) { requests in
            try await requests.write(StreamingInputCallRequest(payload: Self.payload(27182), expectCompressed: BoolValue(value: true)))
            try await requests.write(StreamingInputCallRequest(payload: Self.payload(45904), expectCompressed: BoolValue(value: false)))
        }
        try expect(
            response.aggregatedPayloadSize == 73086,
            "aggregated_payload_size is \(response.aggregatedPayloadSize), expected 73086")
    }

    func serverCompressedStreaming() async throws {
        let request = StreamingOutputCallRequest(
            responseType: .compressable,
            responseParameters: [
                ResponseParameters(size: 31415, compressed: BoolValue(value: true)),
                ResponseParameters(size: 92653, compressed: BoolValue(value: false)),
            ])
        let messages = try await client.streamingOutputCall(request, options: options) { response in
            var messages: [StreamingOutputCallResponse] = []
            for try await message in response.messages { messages.append(message) }
            return messages
        }
        try expect(messages.count == 2, "\(messages.count) responses, expected exactly 2")
        for (index, (message, size)) in zip(messages, [Int32(31415), 92653]).enumerated() {
            try Self.expectPayload(message.payload, size: size, "response \(index)")
        }
    }
}
