import RPC

/// A handler task's way to its stream: reads requests and writes responses on the loop,
/// directly when the task already runs there (the default), through the loop otherwise.
struct ServerStreamHandle: Sendable {
    let bound: LoopBound<ServerStream>

    /// The next request message, nil at the end of the requests.
    func next() async throws -> [UInt8]? {
        if let stream = bound.valueIfOnLoop {
            guard let inbound = stream.inbound else { return nil }
            switch inbound.poll() {
            case .message(let message): return message
            case .end: return nil
            case .failed(let error): throw error
            case .empty: break
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            bound.run { stream in
                guard let inbound = stream.inbound else { return continuation.resume(returning: nil) }
                inbound.wait(continuation)
            }
        }
    }

    /// Writes one response message; suspends while the stream's buffer is full.
    func write(_ message: [UInt8], compression: MessageCompression) async throws {
        guard let stream = bound.valueIfOnLoop else { return try await writeFromElsewhere(message, compression: compression) }
        guard let connection = stream.connection else { throw stream.endedError }
        try connection.send(message, compression: compression, on: stream)
        if stream.outbound.hasRoom { return }
        try await withCheckedThrowingContinuation { stream.outbound.waitForRoom($0) }
    }

    /// Writes from a task that is not on the loop.
    private func writeFromElsewhere(_ message: [UInt8], compression: MessageCompression) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            bound.run { stream in
                do {
                    guard let connection = stream.connection else { throw stream.endedError }
                    try connection.send(message, compression: compression, on: stream)
                    stream.outbound.waitForRoom(continuation)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    func sendInitialMetadata(_ metadata: Metadata) async throws {
        if let stream = bound.valueIfOnLoop {
            stream.connection?.sendInitialMetadata(metadata, on: stream)
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            bound.run { stream in
                stream.connection?.sendInitialMetadata(metadata, on: stream)
                continuation.resume()
            }
        }
    }
}
