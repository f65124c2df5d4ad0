import InteropContracts
import RPC

/// The cases built on streaming calls.
extension InteropCases {
    func serverStreaming() async throws {
        let request = StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: Self.streamResponseSizes.map { ResponseParameters(size: $0) })
        let messages = try await client.streamingOutputCall(request, options: options) { response in
            var messages: [StreamingOutputCallResponse] = []
            for try await message in response.messages { messages.append(message) }
            return messages
        }
        try expect(messages.count == 4, "\(messages.count) responses, expected exactly 4")
        for (index, (message, size)) in zip(messages, Self.streamResponseSizes).enumerated() {
            try Self.expectPayload(message.payload, size: size, "response \(index)")
        }
    }

    func clientStreaming() async throws {
        let response = try await client.streamingInputCall(options: options) { requests in
            for size in Self.streamRequestSizes {
                try await requests.write(StreamingInputCallRequest(payload: Self.payload(size)))
            }
        }
        try expect(
            response.aggregatedPayloadSize == 74922,
            "aggregated_payload_size is \(response.aggregatedPayloadSize), expected 74922")
    }

    func pingPong() async throws {
        let replied = Rendezvous()
        let pairs = Array(zip(Self.streamRequestSizes, Self.streamResponseSizes))
        let received = try await client.fullDuplexCall(options: options) { requests in
            for (requestSize, responseSize) in pairs {
                try await requests.write(
                    StreamingOutputCallRequest(
                        responseType: .compressable, responseParameters: [ResponseParameters(size: responseSize)],
                        payload: Self.payload(requestSize)))
                // The next request goes out only after this one's reply: real interleaving.
                try await replied.wait()
            }
        } onResponse: { response in
            var sizes: [Int] = []
            for try await message in response.messages {
                let index = sizes.count
                try expect(index < 4, "more than 4 responses")
                try Self.expectPayload(message.payload, size: Self.streamResponseSizes[index], "reply \(index)")
                sizes.append(message.payload?.body.count ?? 0)
                replied.signal()
            }
            return sizes
        }
        try expect(received.count == 4, "\(received.count) responses, expected exactly 4")
    }

    func emptyStream() async throws {
        let count = try await client.fullDuplexCall(options: options) { _ in
        } onResponse: { response in
            var count = 0
            for try await _ in response.messages { count += 1 }
            return count
        }
        try expect(count == 0, "\(count) responses, expected zero")
    }

    func timeoutOnSleepingServer() async throws {
        let error = try await Self.expectError("FullDuplexCall with a 1 ms deadline") {
            try await client.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1))) { requests in
                try await requests.write(StreamingOutputCallRequest(payload: Self.payload(27182)))
                // The client waits and never half-closes: only the deadline can end the call.
                try await Task.sleep(for: .seconds(3600))
            } onResponse: { response in
                for try await _ in response.messages {}
            }
        }
        try expect(error.code == .deadlineExceeded, "status \(error.code) (\(error.message)), expected DEADLINE_EXCEEDED")
    }

    func cancelAfterBegin() async throws {
        let begun = Rendezvous()
        let call = Task {
            try await client.streamingInputCall(options: options) { _ in
                begun.signal()
                try await Task.sleep(for: .seconds(3600))
            }
        }
        try await waitOrFail(begun, call)
        call.cancel()
        try await expectCancelled(call)
    }

    func cancelAfterFirstResponse() async throws {
        let firstResponse = Rendezvous()
        let call = Task {
            try await client.fullDuplexCall(options: options) { requests in
                try await requests.write(
                    StreamingOutputCallRequest(
                        responseType: .compressable, responseParameters: [ResponseParameters(size: 31415)],
                        payload: Self.payload(27182)))
                try await Task.sleep(for: .seconds(3600))
            } onResponse: { response in
                for try await message in response.messages {
                    try Self.expectPayload(message.payload, size: 31415, "first response")
                    firstResponse.signal()
                }
            }
        }
        try await waitOrFail(firstResponse, call)
        call.cancel()
        try await expectCancelled(call)
    }

    /// Waits for `signal`; if the call ends first, fails with the call's own outcome.
    private func waitOrFail<Success: Sendable>(_ signal: Rendezvous, _ call: Task<Success, any Error>) async throws {
        let watcher = Task {
            _ = await call.result
            signal.finish()
        }
        defer { watcher.cancel() }
        do {
            try await signal.wait()
        } catch {
            switch await call.result {
            case .success: throw InteropFailure("the call completed before the step the case cancels after")
            case .failure(let failure): throw InteropFailure("the call failed before it could be cancelled: \(failure)")
            }
        }
    }

    /// The call must end with status CANCELLED.
    private func expectCancelled<Success>(_ call: Task<Success, any Error>) async throws {
        do {
            _ = try await call.value
            throw InteropFailure("the call completed normally, expected CANCELLED")
        } catch let error as RPCError {
            try expect(error.code == .cancelled, "status \(error.code) (\(error.message)), expected CANCELLED")
        }
    }
}
