import RPC

/// A calling task's way to its stream on the connection's event loop.
struct ClientStreamHandle: Sendable {
    let stream: LoopBound<ClientStream>

    /// Queues one request message; suspends while the stream's buffer is full.
    func write(_ message: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            stream.run { stream in
                do {
                    if case .failure(let error)? = stream.outcome { throw error }
                    guard let connection = stream.connection else {
                        throw RPCError(code: .unavailable, message: "the call is not connected")
                    }
                    try connection.send(message, on: stream)
                    stream.outbound.waitForRoom(continuation)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Half-closes the requests.
    func endRequests() {
        stream.run { stream in stream.connection?.endRequests(stream) }
    }

    /// Waits for the response headers (or a Trailers-Only OK); throws the call's error.
    func responseStart() async throws -> ClientStream.ResponseStart {
        try await withCheckedThrowingContinuation { continuation in
            stream.run { $0.waitForStart(continuation) }
        }
    }

    /// The next response message; nil after an OK status.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            stream.run { $0.inbound.wait(continuation) }
        }
    }

    /// The trailers' metadata once the call has ended OK.
    func trailers() async throws -> Metadata {
        try await withCheckedThrowingContinuation { continuation in
            stream.run { $0.waitForTrailers(continuation) }
        }
    }

    /// Ends the call now (RST_STREAM CANCEL when it is still open).
    func cancel(_ error: RPCError) {
        stream.run { stream in
            if let connection = stream.connection {
                connection.cancel(stream, error: error)
            } else {
                stream.finish(.failure(error))
            }
        }
    }
}
