internal import CNghttp2

/// The C callbacks. Each is a `@convention(c)` closure that recovers the session from
/// `user_data` (see the invariant on `Nghttp2Session`) and forwards to its delegate.
extension Nghttp2Session {
    private static func from(_ userData: UnsafeMutableRawPointer?) -> Nghttp2Session {
        Unmanaged<Nghttp2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static let endStreamFlag = UInt8(NGHTTP2_FLAG_END_STREAM.rawValue)
    private static let ackFlag = UInt8(NGHTTP2_FLAG_ACK.rawValue)
    private static let headersType = UInt8(NGHTTP2_HEADERS.rawValue)
    private static let dataType = UInt8(NGHTTP2_DATA.rawValue)
    private static let settingsType = UInt8(NGHTTP2_SETTINGS.rawValue)
    private static let goawayType = UInt8(NGHTTP2_GOAWAY.rawValue)
    private static let pingType = UInt8(NGHTTP2_PING.rawValue)
    private static let deferred = Int(NGHTTP2_ERR_DEFERRED.rawValue)
    private static let temporalFailure = Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    private static let eofFlags = NGHTTP2_DATA_FLAG_EOF.rawValue
    private static let noEndStreamFlags = NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue

    /// The one data provider every stream uses: DATA comes from the delegate's `readData`.
    static var dataProvider: nghttp2_data_provider {
        nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil),
            read_callback: { _, streamID, buffer, length, flags, _, userData in
                let result = Nghttp2Session.from(userData).delegate.readData(
                    streamID: streamID, into: UnsafeMutableRawBufferPointer(start: buffer, count: length))
                switch result {
                case .bytes(let count):
                    return count
                case .last(let count, let endStream):
                    flags!.pointee |= endStream ? Nghttp2Session.eofFlags : Nghttp2Session.eofFlags | Nghttp2Session.noEndStreamFlags
                    return count
                case .deferred:
                    return Nghttp2Session.deferred
                case .unknownStream:
                    return Int(Nghttp2Session.temporalFailure)
                }
            })
    }

    static func install(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, frame.pointee.hd.type == Nghttp2Session.headersType else { return 0 }
            let isRequest = frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
            Nghttp2Session.from(userData).delegate.beginHeaders(streamID: frame.pointee.hd.stream_id, isRequest: isRequest)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, frame.pointee.hd.type == Nghttp2Session.headersType else { return 0 }
            // nghttp2 owns the bytes until the callback returns: the spans do not outlive it.
            let keep = Nghttp2Session.from(userData).delegate.header(
                streamID: frame.pointee.hd.stream_id,
                nameBytes: Span(_unsafeElements: UnsafeBufferPointer(start: name, count: nameLength)),
                valueBytes: Span(_unsafeElements: UnsafeBufferPointer(start: value, count: valueLength)))
            // TEMPORAL_CALLBACK_FAILURE resets this stream only (RST_STREAM INTERNAL_ERROR).
            return keep ? 0 : Nghttp2Session.temporalFailure
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            let delegate = Nghttp2Session.from(userData).delegate
            switch header.type {
            case Nghttp2Session.headersType:
                delegate.headersComplete(streamID: header.stream_id, endStream: header.flags & Nghttp2Session.endStreamFlag != 0)
            case Nghttp2Session.dataType:
                delegate.dataComplete(streamID: header.stream_id, endStream: header.flags & Nghttp2Session.endStreamFlag != 0)
            case Nghttp2Session.settingsType where header.flags & Nghttp2Session.ackFlag == 0:
                delegate.settingsReceived()
            case Nghttp2Session.goawayType:
                delegate.goawayReceived(lastStreamID: frame.pointee.goaway.last_stream_id, errorCode: frame.pointee.goaway.error_code)
            case Nghttp2Session.pingType where header.flags & Nghttp2Session.ackFlag != 0:
                delegate.pingAcknowledged()
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            Nghttp2Session.from(userData).delegate.dataChunk(streamID: streamID, bytes: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            if header.type == Nghttp2Session.headersType || header.type == Nghttp2Session.dataType {
                Nghttp2Session.from(userData).delegate.frameSent(
                    streamID: header.stream_id, isHeaders: header.type == Nghttp2Session.headersType,
                    endStream: header.flags & Nghttp2Session.endStreamFlag != 0)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            Nghttp2Session.from(userData).delegate.streamClosed(streamID: streamID, errorCode: errorCode)
            return 0
        }
    }
}
