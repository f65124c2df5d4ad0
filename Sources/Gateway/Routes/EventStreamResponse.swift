import HTTPTypes
import Hummingbird
import NIOCore

extension RPCEventStream {
    /// The `text/event-stream` response that writes this call's messages (each as `render`
    /// frames it), a comment line every `heartbeat`, and a late failure as an `event: status`
    /// with the error body. The call is cancelled when the client goes away; `slot` (the
    /// stream's place under the gateway's caps) is freed when the response ends.
    func response(
        to request: Request, slot: EventStreamSlots.Slot, heartbeat: Duration,
        render: @escaping @Sendable (Message) -> ByteBuffer
    ) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            .cacheControl: "no-cache",
            HTTPField.Name("X-Accel-Buffering")!: "no",
            // Hummingbird closes the connection once an SSE response ends; say so up front.
            .connection: "close",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer {
                cancel()
                slot.release()
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await writeEvents(heartbeat: heartbeat, render: render, to: &writer)
                }
            } catch is CancellationError {
                return  // The client went away; there is nobody to finish the response for.
            }
            try await writer.finish(nil)
        })
    }

    private func writeEvents(
        heartbeat: Duration, render: @Sendable (Message) -> ByteBuffer, to writer: inout any ResponseBodyWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    self.heartbeat()
                }
            }
            for await event in events {
                switch event {
                case .message(let message):
                    try await writer.write(render(message))
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
