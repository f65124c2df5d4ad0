import NIOCore

/// Requests that are not gRPC (a GET, a POST without a gRPC content type): they get their HTTP
/// status and a one-line text body, as grpc-go answers, and never reach a handler.
extension ServerConnectionHandler {
    /// Answers a request that is not gRPC with its HTTP status and a short text body; no
    /// handler runs. The body goes out as DATA under flow control, like any other.
    func respondHTTP(_ stream: ServerStream, status: Int) {
        let text = ServerResponseHeaders.httpBody(status: status, method: stream.requestMethod, contentType: stream.requestContentType)
        stream.textBody = ByteBuffer(string: text)
        let headers = ServerResponseHeaders.http(status: status, bodyLength: stream.textBody!.readableBytes)
        session.submitResponse(streamID: stream.id, headers: headers, hasBody: true)
    }

    /// Copies the next part of the text body into a DATA frame; the last part ends the stream.
    func readTextBody(_ stream: ServerStream, into buffer: UnsafeMutableRawBufferPointer) -> DataSourceResult {
        let count = min(buffer.count, stream.textBody!.readableBytes)
        stream.textBody!.withUnsafeReadableBytes { body in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: body.prefix(count)))
        }
        stream.textBody!.moveReaderIndex(forwardBy: count)
        guard stream.textBody!.readableBytes == 0 else { return .bytes(count) }
        stream.textBody = nil
        return .last(count, endStream: true)
    }
}
