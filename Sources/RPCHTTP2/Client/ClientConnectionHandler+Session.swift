import RPC

/// nghttp2's events for a client connection. All run inside `mem_recv` / `mem_send`.
extension ClientConnectionHandler: Nghttp2SessionDelegate {
    func beginHeaders(streamID: Int32, isRequest: Bool) {
        streams[streamID]?.parser = ResponseHeaderParser()
    }

    func header(streamID: Int32, name: String, value: String) -> Bool {
        streams[streamID]?.parser.add(name: name, value: value)
        return true
    }

    /// The usual response fields without Strings (see `ResponseHeaderParser.add(nameBytes:valueBytes:)`).
    func header(streamID: Int32, nameBytes: Span<UInt8>, valueBytes: Span<UInt8>) -> Bool {
        streams[streamID]?.parser.add(nameBytes: nameBytes, valueBytes: valueBytes)
        return true
    }

    func headersComplete(streamID: Int32, endStream: Bool) {
        guard let stream = streams[streamID], !stream.isFinished else { return }
        let parser = stream.parser
        if !stream.headersReceived {
            if let error = parser.responseHeadError() {
                return failFromServer(stream, error: error, endStream: endStream)
            }
            if parser.hasStatus {
                // Trailers-Only.
                if let error = parser.statusError() { return stream.finish(.failure(error)) }
                stream.started(.trailersOnlyOK(parser.metadata))
                return stream.finish(.success(parser.metadata))
            }
            stream.headersReceived = true
            stream.initialMetadata = parser.metadata
            // Messages come after the headers: the deframer learns the encoding in time.
            stream.inbound.setEncoding(parser.encoding)
            stream.started(.headers(parser.metadata))
            return
        }
        // Trailers.
        if let error = parser.statusError() {
            stream.finish(.failure(error))
        } else {
            stream.finish(.success(parser.metadata))
        }
    }

    private func failFromServer(_ stream: ClientStream, error: RPCError, endStream: Bool) {
        if !endStream, let id = stream.id { session.submitReset(streamID: id, error: .cancel) }
        stream.finish(.failure(error))
    }

    func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], !stream.isFinished else {
            session.consume(streamID: streamID, count: bytes.count)
            return
        }
        do {
            try stream.inbound.receive(bytes)
        } catch {
            session.consume(streamID: streamID, count: bytes.count)
            failFromServer(stream, error: error, endStream: false)
        }
    }

    func dataComplete(streamID: Int32, endStream: Bool) {
        guard endStream, let stream = streams[streamID], !stream.isFinished else { return }
        stream.finish(.failure(RPCError(code: .internal, message: "server ended the stream without trailers")))
    }

    func settingsReceived() {
        peerSettingsReceived = true
    }

    func goawayReceived(lastStreamID: Int32, errorCode: UInt32) {
        // New calls go to a new connection; calls up to lastStreamID finish here.
        markUnusable(graceful: peerSettingsReceived && errorCode == HTTP2ErrorCode.noError.rawValue)
    }

    func pingAcknowledged() {
        keepalivePingAcknowledged()
    }

    func readData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> DataSourceResult {
        guard let stream = streams[streamID] else { return .unknownStream }
        let count = stream.outbound.read(into: buffer)
        guard stream.outbound.isEmpty else { return .bytes(count) }
        // END_STREAM on this DATA frame.
        if stream.outbound.closed { return .last(count, endStream: true) }
        if count == 0 {
            stream.outbound.deferred = true
            return .deferred
        }
        return .bytes(count)
    }

    func frameSent(streamID: Int32, isHeaders: Bool, endStream: Bool) {}

    func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        session.consumeConnection(count: stream.inbound.takeHeldBytes())
        if !stream.isFinished {
            let error: RPCError
            switch HTTP2ErrorCode(rawValue: errorCode) {
            case .refusedStream:
                stream.notProcessed = true
                error = RPCError(code: .unavailable, message: "the server refused the stream (not processed)")
            case .cancel:
                error = RPCError(code: .cancelled, message: "the server cancelled the call")
            case .noError:
                error = RPCError(code: .internal, message: "stream closed without a status")
            default:
                error = RPCError(code: .internal, message: "stream reset by the server (HTTP/2 error \(errorCode))")
            }
            stream.finish(.failure(error))
        }
        stream.inbound.flowControl = nil
        stream.connection = nil
        if !usable && streams.isEmpty { requestFlush() }
    }
}
