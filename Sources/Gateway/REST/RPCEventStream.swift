import Hummingbird
import RPC

/// One server-streaming call (WatchOrder, WatchOrders) running in its own task, handed over as
/// Server-Sent Events.
///
/// The handler awaits `accepted()` before answering, so a call refused at once (an unknown
/// order, a bad cursor) is a plain JSON error with its HTTP status rather than a 200 stream;
/// the messages, heartbeats and a late failure go through `events`, consumed by the response
/// body. A call is accepted when its response headers arrive: with the first message, or
/// earlier when the server sends them at once (WatchOrders does, as it may stay quiet).
struct RPCEventStream<Message: Sendable>: Sendable {
    /// Starts the call with these options and hands its response to the closure: the
    /// generated client method with the request bound.
    typealias Opener =
        @Sendable (
            CallOptions, @escaping @Sendable (StreamingClientResponse<Message>) async throws -> Void
        ) async throws -> Void

    /// What the response body writes next.
    enum Event: Sendable {
        case message(Message)
        case heartbeat
        /// The call failed after the stream had started.
        case failed(any Error)
    }

    private let acceptance: AsyncThrowingStream<Void, any Error>
    private let continuation: AsyncStream<Event>.Continuation
    private let task: Task<Void, Never>
    /// Every message after acceptance; ends when the call ends.
    let events: AsyncStream<Event>

    /// Starts the call. `options` carries no deadline: the stream lasts until the server ends
    /// it (e.g. the order is final) or the client leaves.
    init(options: CallOptions, open: @escaping Opener) {
        let (acceptance, accept) = AsyncThrowingStream<Void, any Error>.makeStream()
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.acceptance = acceptance
        self.events = events
        self.continuation = continuation
        self.task = Task {
            do {
                try await open(options) { response in
                    accept.yield()
                    accept.finish()
                    do {
                        for try await message in response.messages { continuation.yield(.message(message)) }
                    } catch {
                        continuation.yield(.failed(error))
                    }
                }
                accept.finish(throwing: RPCError.internal("the call ended without a response"))
            } catch {
                // Only a failure before the response headers reaches here (NOT_FOUND, UNAVAILABLE…).
                accept.finish(throwing: error)
            }
            continuation.finish()
        }
        let task = self.task
        continuation.onTermination = { _ in task.cancel() }
    }

    /// Returns once the call is accepted, or throws its error (e.g. NOT_FOUND).
    func accepted() async throws {
        do {
            for try await _ in acceptance { return }
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

/// Server-Sent Events framing (HTML Living Standard, "Server-sent events").
enum ServerSentEvent {
    /// One message event: `data: <json>` and a blank line. The JSON has no raw newlines.
    /// With `id`, EventSource remembers it and sends it back as `Last-Event-ID` when it
    /// reconnects.
    static func data(_ json: String, event: String? = nil, id: String? = nil) -> ByteBuffer {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        text += "data: \(json)\n\n"
        return ByteBuffer(string: text)
    }

    /// A comment line: ignored by EventSource, but keeps proxies from timing the stream out.
    static var heartbeat: ByteBuffer { ByteBuffer(string: ": heartbeat\n\n") }
}
