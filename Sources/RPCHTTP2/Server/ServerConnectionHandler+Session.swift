import RPC
import NIOCore

/// nghttp2's events for a server connection. All run inside `mem_recv` / `mem_send`: they
/// submit frames but never drain.
extension ServerConnectionHandler: Nghttp2SessionDelegate {
    func beginHeaders(streamID: Int32, isRequest: Bool) {
        guard isRequest, let context else { return }
        let stream = ServerStream(
            id: streamID, headerConfig: .init(maxHeaderListSize: config.maxHeaderListSize), previousMetadata: lastRequestMetadata,
            allocator: context.channel.allocator, connection: self)
        streams[streamID] = stream
        machine.streamOpened()
        markBusy()
    }

    func header(streamID: Int32, name: String, value: String) -> Bool {
        header(streamID: streamID, nameBytes: name.utf8Span.span, valueBytes: value.utf8Span.span)
    }

    func header(streamID: Int32, nameBytes: Span<UInt8>, valueBytes: Span<UInt8>) -> Bool {
        guard let stream = lookup(streamID), stream.machine.phase == .receivingHeaders else { return true }
        // Past the limit the validator stores nothing more; the request then fails with
        // RESOURCE_EXHAUSTED once the block is complete. The router finds the method from the
        // `:path` bytes, so a plain call makes no String for its fields.
        _ = stream.validator.add(name: nameBytes, value: valueBytes, router: router)
        return true
    }

    func headersComplete(streamID: Int32, endStream: Bool) {
        guard let stream = lookup(streamID) else { return }
        guard stream.machine.phase == .receivingHeaders else {
            // Request trailers: only their END_STREAM matters.
            if endStream { requestEnded(stream) }
            return
        }
        // The validator leaves the stream here (a fresh one takes its place, so its strings are
        // freed with it). Reading it in place would copy the whole struct, a retain and a
        // release for each of its strings, on each of the four reads below.
        var validator = RequestHeaderValidator(config: stream.validator.config)
        swap(&validator, &stream.validator)
        let classification = validator.classify()
        let route = validator.route
        if case .httpError = classification {
            // Kept only to say what was wrong, since the request turned out not to be gRPC.
            stream.requestMethod = validator.requestMethod
            stream.requestContentType = validator.requestContentType
        }
        var isUnary: Bool?
        if case .call(let head) = classification, let method = route?.handler ?? router.handler(forPath: head.path) {
            lastRequestMetadata = head.metadata
            stream.head = head
            stream.method = method
            isUnary = method.isUnary
        }
        let action = stream.machine.headersReceived(
            classification, isUnary: isUnary, atCapacity: machine.atHandlerCapacity, endStream: endStream)
        switch action {
        case .respondHTTP(let status):
            respondHTTP(stream, status: status)
        case .trailersOnly(let error):
            session.submitResponse(streamID: streamID, headers: ServerResponseHeaders.trailersOnly(error), hasBody: false)
        case .refuse:
            session.submitReset(streamID: streamID, error: .refusedStream)
        case .awaitRequest:
            acceptCall(stream)
            if endStream { requestEnded(stream) }
        case .startHandler:
            acceptCall(stream)
            startStreamingHandler(stream)
            if endStream { requestEnded(stream) }
        }
    }

    func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = lookup(streamID), let inbound = stream.inbound,
            stream.machine.phase == .awaitingRequest || stream.machine.phase == .running
        else {
            // Nobody reads these bytes: give them back to the windows at once.
            session.consume(streamID: streamID, count: bytes.count)
            return
        }
        do {
            try inbound.receive(bytes)
        } catch {
            session.consume(streamID: streamID, count: bytes.count)
            return fail(stream, with: error)
        }
        // A unary call with a second message fails now rather than at END_STREAM.
        if stream.machine.phase == .awaitingRequest, let error = stream.machine.unaryMessageReceived(count: inbound.unreadCount) {
            stream.deadlineTimer?.cancel()
            session.submitResponse(streamID: streamID, headers: ServerResponseHeaders.trailersOnly(error), hasBody: false)
        }
    }

    func dataComplete(streamID: Int32, endStream: Bool) {
        guard endStream, let stream = lookup(streamID) else { return }
        requestEnded(stream)
    }

    func settingsReceived() {
        machine.settingsReceived()
    }

    func goawayReceived(lastStreamID: Int32, errorCode: UInt32) {}

    func readData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> DataSourceResult {
        guard let stream = lookup(streamID) else { return .unknownStream }
        if stream.textBody != nil { return readTextBody(stream, into: buffer) }
        let count = stream.outbound.read(into: buffer)
        guard stream.outbound.isEmpty else { return .bytes(count) }
        if stream.outbound.closed, let trailers = stream.trailers {
            session.submitTrailers(streamID: streamID, headers: trailers)
            stream.trailers = nil
            return .last(count, endStream: false)
        }
        if count == 0 {
            stream.outbound.deferred = true
            return .deferred
        }
        return .bytes(count)
    }

    func frameSent(streamID: Int32, isHeaders: Bool, endStream: Bool) {
        guard endStream, let stream = lookup(streamID), stream.machine.needsResetAfterResponse() else { return }
        // The response is complete but the client is still sending: tell it to stop.
        session.submitReset(streamID: streamID, error: stream.resetCodeAfterResponse)
    }

    func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = remove(streamID) else { return }
        machine.streamClosed()
        stream.deadlineTimer?.cancel()
        if stream.failure == nil {
            stream.failure = RPCError(code: .cancelled, message: errorCode == 0 ? "the call has ended" : "the client cancelled the call")
        }
        if stream.machine.streamClosed() {
            stream.task?.cancel()
            // Only a running handler still reads or writes: boxing the error (an allocation
            // each) is for it, not for every finished call.
            stream.inbound?.fail(stream.endedError)
            stream.outbound.fail(stream.endedError)
        }
        if let held = stream.inbound?.takeHeldBytes() { session.consumeConnection(count: held) }
        markIdle()
    }
}

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
