import HTTPTypes
import Hummingbird
import RPC

/// Server-streaming methods as Server-Sent Events.
extension RESTCall {
    /// Answers a server-streaming call as Server-Sent Events: one `data:` line with each
    /// message's JSON, a comment line every heartbeat interval; the response ends when the
    /// call does, and the call is cancelled when the client goes away. Open streams are
    /// capped in total and per client (429 beyond). The call's acceptance (its response
    /// headers) is awaited before answering, so a call that fails at once (NOT_FOUND, a bad
    /// cursor) is a plain JSON error. A message that names a resume point (`ResumableEvent`)
    /// carries it as the event's `id:`, which a reconnecting EventSource sends back as
    /// `Last-Event-ID`.
    func eventStream<Message: ProtoJSONMessage & Sendable>(
        of type: Message.Type, open: @escaping RPCEventStream<Message>.Opener
    ) async throws -> Response {
        // Held by the response body below; freed when the stream ends or the body is dropped.
        let slot = try gateway.eventStreams.acquire(for: await gateway.clientKey(for: request, remoteAddress: remoteAddress))
        let stream = RPCEventStream<Message>(options: callOptions, open: open)
        try await stream.accepted()
        let heartbeatInterval = gateway.config.heartbeatInterval
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            .cacheControl: "no-cache",
            HTTPField.Name("X-Accel-Buffering")!: "no",
            // Hummingbird closes the connection once an SSE response ends; say so up front.
            .connection: "close",
        ]
        let request = self.request
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer {
                    stream.cancel()
                    slot.release()
                }
                do {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await Self.writeEvents(stream: stream, heartbeat: heartbeatInterval, to: &writer)
                    }
                } catch is CancellationError {
                    return  // The client went away; there is nobody to finish the response for.
                }
                try await writer.finish(nil)
            })
    }

    private static func writeEvents<Message: ProtoJSONMessage & Sendable>(
        stream: RPCEventStream<Message>, heartbeat: Duration, to writer: inout any ResponseBodyWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    stream.heartbeat()
                }
            }
            for await event in stream.events {
                switch event {
                case .message(let message):
                    let id = (message as? any ResumableEvent)?.resumeID
                    try await writer.write(ServerSentEvent.data(message.jsonText, id: id))
                case .heartbeat:
                    try await writer.write(ServerSentEvent.heartbeat)
                case .failed(let error):
                    let body = ErrorBody(error, request: nil)
                    try await writer.write(ServerSentEvent.data(body.json, event: "status"))
                }
            }
            group.cancelAll()
        }
    }
}

/// A streamed message that names where a consumer resumes after it (an `OrderEvent`'s cursor).
protocol ResumableEvent {
    var resumeID: String { get }
}
