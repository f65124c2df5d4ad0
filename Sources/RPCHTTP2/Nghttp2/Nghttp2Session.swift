internal import CNghttp2
import NIOCore
import RPC

/// Receives the events of one nghttp2 session. nghttp2 calls these synchronously from inside
/// `receive` and `drain`; an implementation may submit frames but must not drain.
protocol Nghttp2SessionDelegate: AnyObject {
    /// A HEADERS block starts. `isRequest` is true for the first block of a stream on a server.
    func beginHeaders(streamID: Int32, isRequest: Bool)
    /// One header field of the block being received. Return false to reset the stream.
    func header(streamID: Int32, name: String, value: String) -> Bool
    /// The same field as nghttp2's bytes, valid only during the call: a delegate that reads
    /// the usual fields without making Strings implements this one.
    func header(streamID: Int32, nameBytes: Span<UInt8>, valueBytes: Span<UInt8>) -> Bool
    /// A complete HEADERS block (and its CONTINUATIONs) arrived.
    func headersComplete(streamID: Int32, endStream: Bool)
    /// Bytes of a DATA frame (padding excluded).
    func dataChunk(streamID: Int32, bytes: UnsafeRawBufferPointer)
    /// A complete DATA frame arrived.
    func dataComplete(streamID: Int32, endStream: Bool)
    /// The peer's SETTINGS (not an ACK) arrived.
    func settingsReceived()
    /// The peer sent GOAWAY.
    func goawayReceived(lastStreamID: Int32, errorCode: UInt32)
    /// The ACK of a PING this side sent arrived.
    func pingAcknowledged()
    /// nghttp2 asks for up to `buffer.count` bytes of DATA for a stream with a data provider.
    func readData(streamID: Int32, into buffer: UnsafeMutableRawBufferPointer) -> DataSourceResult
    /// A HEADERS or DATA frame was written to the output.
    func frameSent(streamID: Int32, isHeaders: Bool, endStream: Bool)
    /// The stream is closed; a non-zero code is the RST_STREAM or GOAWAY error code.
    func streamClosed(streamID: Int32, errorCode: UInt32)
}

extension Nghttp2SessionDelegate {
    /// Only clients send PINGs of their own.
    func pingAcknowledged() {}

    /// By default, the field as Strings.
    func header(streamID: Int32, nameBytes: Span<UInt8>, valueBytes: Span<UInt8>) -> Bool {
        header(streamID: streamID, name: String(utf8: nameBytes), value: String(utf8: valueBytes))
    }
}

/// Owns one `nghttp2_session`.
///
/// Invariant: the session, its delegate and every callback run on one channel's event loop;
/// the owner is loop-confined and never shares this object. `user_data` is this object,
/// unretained: the session is deleted in `deinit`, so the pointer never outlives it. The
/// delegate is `unowned(unsafe)` because it owns this object and outlives it. Being
/// loop-confined, `session` skips the dynamic exclusivity checks (`@exclusivity(unchecked)`).
/// The session allocates through the calling thread's pool of small blocks
/// (`orderhub_nghttp2_mem` in the CNghttp2 shim).
final class Nghttp2Session {
    @exclusivity(unchecked) private var session: OpaquePointer?
    unowned(unsafe) let delegate: any Nghttp2SessionDelegate

    /// Server-side or client-side session options.
    struct Options {
        var isServer: Bool
        var maxContinuations: Int = 8
        var streamResetBurst: UInt64 = 1000
        var streamResetRate: UInt64 = 33
        /// Inbound flow-control windows grow only as the application consumes data.
        var manualWindowUpdates = true
    }

    init(options: Options, delegate: any Nghttp2SessionDelegate) {
        self.delegate = delegate
        var callbacks: OpaquePointer?
        Nghttp2Session.check(nghttp2_session_callbacks_new(&callbacks))
        defer { nghttp2_session_callbacks_del(callbacks) }
        Nghttp2Session.install(callbacks)

        var option: OpaquePointer?
        Nghttp2Session.check(nghttp2_option_new(&option))
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, options.manualWindowUpdates ? 1 : 0)
        nghttp2_option_set_max_continuations(option, options.maxContinuations)
        nghttp2_option_set_stream_reset_rate_limit(option, options.streamResetBurst, options.streamResetRate)
        // Closed streams are kept (nghttp2's default, server side only, at most
        // MAX_CONCURRENT_STREAMS of them less the open ones), so that DATA or HEADERS after the
        // peer's END_STREAM is the STREAM_CLOSED error RFC 9113 §5.1 asks for rather than
        // silently ignored.
        nghttp2_option_set_max_settings(option, 32)
        nghttp2_option_set_max_outbound_ack(option, 1000)

        let userData = Unmanaged.passUnretained(self).toOpaque()
        if options.isServer {
            Nghttp2Session.check(nghttp2_session_server_new3(&session, callbacks, userData, option, orderhub_nghttp2_mem()))
        } else {
            Nghttp2Session.check(nghttp2_session_client_new3(&session, callbacks, userData, option, orderhub_nghttp2_mem()))
        }
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Aborts on the only errors a setup call can return (out of memory, misuse).
    @discardableResult
    static func check(_ code: Int32) -> Int32 {
        precondition(code >= 0, "nghttp2: \(String(cString: nghttp2_strerror(code)))")
        return code
    }

    // MARK: Input and output

    /// Feeds received bytes. Returns false on a connection error (nghttp2 has queued GOAWAY
    /// where it could; drain, then close).
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        // Returns the count processed, or a negative nghttp2_error (BAD_CLIENT_MAGIC, FLOODED,
        // CALLBACK_FAILURE, NOMEM): all fatal for the connection.
        let result = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        return result >= 0
    }

    /// Appends every frame nghttp2 wants to send to `buffer`, up to `limit` bytes (the rest stays
    /// queued). Returns false on a fatal error. Never call from inside a callback.
    func drain(into buffer: inout ByteBuffer, limit: Int = .max) -> Bool {
        while buffer.readableBytes < limit {
            var pointer: UnsafePointer<UInt8>?
            // Returns the length of the next chunk (0: nothing to send) or NOMEM / CALLBACK_FAILURE.
            let length = nghttp2_session_mem_send(session, &pointer)
            if length < 0 { return false }
            if length == 0 { break }
            // The chunk is valid only until the next mem_send: copy it now.
            buffer.writeBytes(UnsafeRawBufferPointer(start: pointer, count: length))
        }
        return true
    }

    var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }
    var lastProcessedStreamID: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    // MARK: Submitting

    func submitSettings(_ entries: [(setting: HTTP2Setting, value: UInt32)]) {
        var list = entries.map { nghttp2_settings_entry(settings_id: $0.setting.rawValue, value: $0.value) }
        Nghttp2Session.check(nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &list, list.count))
    }

    /// Submits response headers; with `hasBody` the stream's DATA comes from `readData`.
    func submitResponse(streamID: Int32, headers: HeaderBlock, hasBody: Bool) {
        // INVALID_ARGUMENT (stream id 0), INVALID_STATE / DATA_EXIST (response already
        // submitted or stream gone), PROTO: the stream is over, so dropping it is right.
        _ = headers.withNVArray { nva, count in
            if hasBody {
                var provider = Nghttp2Session.dataProvider
                return nghttp2_submit_response(session, streamID, nva, count, &provider)
            }
            return nghttp2_submit_response(session, streamID, nva, count, nil)
        }
    }

    /// Submits a request; returns the new stream id, or nil when no stream can be opened
    /// (stream ids exhausted, or the peer sent GOAWAY).
    func submitRequest(headers: HeaderBlock) -> Int32? {
        let id = headers.withNVArray { nva, count in
            var provider = Nghttp2Session.dataProvider
            return nghttp2_submit_request(session, nil, nva, count, &provider, nil)
        }
        return id > 0 ? id : nil
    }

    /// Submits trailers (a HEADERS frame with END_STREAM); allowed from `readData`.
    func submitTrailers(streamID: Int32, headers: HeaderBlock) {
        // Fails only for a stream that is already gone; nothing to do then.
        _ = headers.withNVArray { nghttp2_submit_trailer(session, streamID, $0, $1) }
    }

    /// Submits a PING (nghttp2 answers the peer's PINGs itself).
    func submitPing() {
        // Only NOMEM can come back; the keepalive deadline then closes the connection.
        _ = nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    func submitReset(streamID: Int32, error: HTTP2ErrorCode) {
        // INVALID_ARGUMENT for stream 0 only; a closed stream is ignored by nghttp2.
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, error.rawValue)
    }

    /// Sends GOAWAY naming the last stream this side will process.
    func submitGoaway(lastStreamID: Int32, error: HTTP2ErrorCode) {
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID, error.rawValue, nil, 0)
    }

    /// Asks nghttp2 to call `readData` again for a stream that returned DEFERRED.
    func resumeData(streamID: Int32) {
        // INVALID_ARGUMENT when the stream has no deferred data: harmless.
        _ = nghttp2_session_resume_data(session, streamID)
    }

    /// Returns consumed inbound bytes to the stream and connection windows.
    func consume(streamID: Int32, count: Int) {
        guard count > 0 else { return }
        // INVALID_ARGUMENT for a stream that is already closed: only the connection window is left.
        if nghttp2_session_consume(session, streamID, count) != 0 {
            _ = nghttp2_session_consume_connection(session, count)
        }
    }

    /// Returns inbound bytes of a closed stream to the connection window.
    func consumeConnection(count: Int) {
        guard count > 0 else { return }
        _ = nghttp2_session_consume_connection(session, count)
    }

    /// Opens a stream's receive window to `size` (a WINDOW_UPDATE for the difference); nghttp2
    /// then counts flow control against it. Only ever grows it: a peer cannot be told to shrink a
    /// window without SETTINGS.
    func setStreamWindowSize(streamID: Int32, size: Int) {
        guard size > 65_535 else { return }
        // INVALID_ARGUMENT (bad id) or NOMEM; the stream then keeps the default window, which
        // is safe.
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, Int32(clamping: size))
    }

    /// DATA bytes that may go out on the stream now: the smaller of its send window and the
    /// connection's; 0 for a stream nghttp2 no longer has.
    func sendWindow(streamID: Int32) -> Int {
        // -1 (INVALID_ARGUMENT) for an unknown stream; windows may be negative after a SETTINGS change.
        let stream = nghttp2_session_get_stream_remote_window_size(session, streamID)
        let connection = nghttp2_session_get_remote_window_size(session)
        return max(0, Int(min(stream, connection)))
    }

    /// Sets this side's connection-level receive window (a WINDOW_UPDATE on stream 0).
    func setConnectionWindowSize(_ size: Int) {
        // Only INVALID_ARGUMENT (size out of range) or NOMEM can come back; the window then
        // stays at the protocol default, which is safe.
        _ = nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(clamping: size))
    }

}
