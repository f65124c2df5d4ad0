import RPC

/// One server-streaming call (e.g. `WatchOrder`) running in its own task, handed over as
/// Server-Sent Events.
///
/// The handler awaits `first()` before answering, so an unknown order is a plain 404 JSON error
/// rather than a 200 stream; the rest of the events (later messages, heartbeats, a late failure)
/// go through `events`, consumed by the response body.
struct RPCEventStream<Message: Sendable>: Sendable {
    /// Starts the call with these options and hands its response to the closure, whose result
    /// it returns: the generated client method with the request bound.
    typealias Opener = @Sendable (
        CallOptions, @escaping @Sendable (StreamingClientResponse<Message>) async throws -> Bool
    ) async throws -> Bool

    /// What the response body writes next.
    enum Event: Sendable {
        case message(Message)
        case heartbeat
        /// The call failed after the stream had started.
        case failed(any Error)
    }

    private let firstMessage: AsyncThrowingStream<Message, any Error>
    private let continuation: AsyncStream<Event>.Continuation
    private let task: Task<Void, Never>
    /// Every event after the first message; ends when the call ends.
    let events: AsyncStream<Event>

    /// Starts the call. `options` carries no deadline: the stream lasts until the server ends
    /// it (e.g. the order is final) or the client leaves.
    init(options: CallOptions, open: @escaping Opener) {
        let (firstMessage, first) = AsyncThrowingStream<Message, any Error>.makeStream()
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.firstMessage = firstMessage
        self.events = events
        self.continuation = continuation
        self.task = Task {
            do {
                let sentFirst = try await open(options) { response in
                    var sent = false
                    do {
                        for try await message in response.messages {
                            if sent {
                                continuation.yield(.message(message))
                            } else {
                                sent = true
                                first.yield(message)
                                first.finish()
                            }
                        }
                    } catch where sent {
                        continuation.yield(.failed(error))
                    }
                    return sent
                }
                if !sentFirst {
                    first.finish(throwing: RPCError.internal("the stream ended without a message"))
                }
            } catch {
                // Only a failure before the first message reaches here (NOT_FOUND, UNAVAILABLE…).
                first.finish(throwing: error)
            }
            continuation.finish()
        }
        let task = self.task
        continuation.onTermination = { _ in task.cancel() }
    }

    /// The first message (an order's current state), or the call's error (e.g. NOT_FOUND).
    func first() async throws -> Message {
        do {
            for try await message in firstMessage { return message }
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        throw CancellationError()
    }

    /// Queues a heartbeat comment; ignored once the call has ended.
    func heartbeat() {
        continuation.yield(.heartbeat)
    }

    /// Stops the call (the client left).
    func cancel() {
        task.cancel()
        continuation.finish()
    }
}
