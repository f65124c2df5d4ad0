import InteropContracts
import RPC

/// The cases built on unary calls.
extension InteropCases {
    func emptyUnary() async throws {
        _ = try await client.emptyCall(Empty(), options: options)
    }

    func largeUnary() async throws {
        let request = SimpleRequest(responseType: .compressable, responseSize: 314_159, payload: Self.payload(271_828))
        let response = try await client.unaryCall(request, options: options)
        try Self.expectPayload(response.payload, size: 314_159, "large_unary response")
    }

    func statusCodeAndMessage() async throws {
        let status = EchoStatus(code: 2, message: "test status message")
        let unary = try await Self.expectError("UnaryCall") {
            _ = try await client.unaryCall(SimpleRequest(responseStatus: status), options: options)
        }
        try expectStatus(unary, code: .unknown, message: status.message, "UnaryCall")
        let duplex = try await Self.expectError("FullDuplexCall") {
            try await client.fullDuplexCall(options: options) { requests in
                try await requests.write(StreamingOutputCallRequest(responseStatus: status))
            } onResponse: { response in
                for try await _ in response.messages {}
            }
        }
        try expectStatus(duplex, code: .unknown, message: status.message, "FullDuplexCall")
    }

    func specialStatusMessage() async throws {
        let status = EchoStatus(code: 2, message: Self.specialStatusMessage)
        let error = try await Self.expectError("UnaryCall") {
            _ = try await client.unaryCall(SimpleRequest(responseStatus: status), options: options)
        }
        try expectStatus(error, code: .unknown, message: Self.specialStatusMessage, "UnaryCall")
    }

    func unimplementedMethod() async throws {
        let error = try await Self.expectError("TestService/UnimplementedCall") {
            _ = try await client.unimplementedCall(Empty(), options: options)
        }
        try expect(error.code == .unimplemented, "status \(error.code), expected UNIMPLEMENTED")
    }

    func unimplementedService() async throws {
        let error = try await Self.expectError("UnimplementedService/UnimplementedCall") {
            _ = try await unimplemented.unimplementedCall(Empty(), options: options)
        }
        try expect(error.code == .unimplemented, "status \(error.code), expected UNIMPLEMENTED")
    }

    func customMetadata() async throws {
        var metadata = Metadata()
        metadata.add(Self.echoInitial.key, Self.echoInitial.value)
        metadata.add(Self.echoTrailing.key, .binary(Self.echoTrailing.value))
        let callOptions = CallOptions(timeout: callTimeout, metadata: metadata)

        let request = SimpleRequest(responseType: .compressable, responseSize: 314_159, payload: Self.payload(271_828))
        let unary = try await client.client.unary(
            TestServiceMethod.unaryCall, request: request,
            responseType: SimpleResponse.self, options: callOptions)
        try Self.expectPayload(unary.message.payload, size: 314_159, "UnaryCall response")
        try expectEchoed(initial: unary.initialMetadata, trailing: unary.trailingMetadata, "UnaryCall")

        let streaming = StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: [ResponseParameters(size: 314_159)], payload: Self.payload(271_828))
        let (initial, trailing, sizes) = try await client.fullDuplexCall(options: callOptions) { requests in
            try await requests.write(streaming)
        } onResponse: { response in
            var sizes: [Int] = []
            for try await message in response.messages {
                try Self.expectPayload(message.payload, size: 314_159, "FullDuplexCall response")
                sizes.append(message.payload?.body.count ?? 0)
            }
            return (response.initialMetadata, try await response.trailingMetadata(), sizes)
        }
        try expect(sizes.count == 1, "FullDuplexCall: \(sizes.count) responses, expected 1")
        try expectEchoed(initial: initial, trailing: trailing, "FullDuplexCall")
    }

    private func expectEchoed(initial: Metadata, trailing: Metadata, _ what: String) throws {
        try expect(
            initial[Self.echoInitial.key] == Self.echoInitial.value,
            "\(what): initial metadata \(Array(initial)) lacks \(Self.echoInitial.key)")
        try expect(
            trailing.binary(Self.echoTrailing.key) == Self.echoTrailing.value,
            "\(what): trailing metadata \(Array(trailing)) lacks \(Self.echoTrailing.key)")
    }

    func expectStatus(_ error: RPCError, code: StatusCode, message: String, _ what: String) throws {
        try expect(error.code == code, "\(what): status \(error.code), expected \(code)")
        try expect(error.message == message, "\(what): message \(error.message.debugDescription), expected \(message.debugDescription)")
    }
}
