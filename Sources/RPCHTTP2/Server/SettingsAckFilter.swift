/// Removes the peer's SETTINGS acknowledgements from a server connection's inbound bytes before
/// nghttp2 sees them.
///
/// Why: RFC 9113 §5.1.2 makes a stream beyond SETTINGS_MAX_CONCURRENT_STREAMS a *stream* error
/// (REFUSED_STREAM, which our server answers). nghttp2 1.52 answers REFUSED_STREAM only while our SETTINGS
/// are unacknowledged (`pending_local_max_concurrent_stream`); once it applies them on the ACK,
/// `nghttp2_session_on_request_headers_received` checks `local_settings.max_concurrent_streams`
/// first and ends the whole connection (GOAWAY PROTOCOL_ERROR). Without the ACK nghttp2 keeps
/// the pending limit and refuses the stream alone. nghttp2 has no SETTINGS-ACK timeout, so
/// nothing else notices. The price: nghttp2 never applies our SETTINGS locally, so the server
/// advertises only values nghttp2 need not apply (MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE,
/// which the server enforces itself, ENABLE_PUSH=0) and opens larger stream windows with
/// WINDOW_UPDATE instead of SETTINGS_INITIAL_WINDOW_SIZE.
///
/// Invariant: the bytes passed on are the input bytes, in order and unchanged, minus every
/// 9-byte frame that is a SETTINGS frame (type 0x4) with the ACK flag, stream 0 (the reserved
/// bit ignored) and an empty payload, found at a frame boundary after the connection's first
/// frame and outside a header block (HEADERS or PUSH_PROMISE without END_HEADERS, up to the
/// CONTINUATION with END_HEADERS). Everywhere else nghttp2 rejects such a frame, so it still
/// sees it. Boundaries follow the frame lengths exactly as nghttp2 reads them: the first 24
/// bytes (the client preface) pass uncounted, and a frame header split across reads is held
/// back (at most 8 bytes) until it is complete. A garbage preface passes too, for nghttp2 to
/// reject.
struct SettingsAckFilter {
    static let prefaceLength = 24
    static let frameHeaderLength = 9

    private var prefaceRemaining = SettingsAckFilter.prefaceLength
    /// Payload bytes of the current frame still to pass.
    private var payloadRemaining = 0
    /// The start of a frame header that the previous input ended in the middle of.
    private var heldHeader: [UInt8] = []
    private var sawFirstFrame = false
    private var inHeaderBlock = false

    /// Passes `input` to `deliver` in one or more pieces (none when `input` holds only a dropped
    /// ACK or the start of a header). Stops and returns false as soon as `deliver` does.
    mutating func filter(_ input: UnsafeRawBufferPointer, deliver: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let end = input.count
        var index = 0
        // Input from here up to `index` is passed on, unless it is dropped first.
        var runStart = 0

        if !heldHeader.isEmpty {
            let taken = min(Self.frameHeaderLength - heldHeader.count, end)
            heldHeader.append(contentsOf: input[0..<taken])
            index = taken
            runStart = taken
            guard heldHeader.count == Self.frameHeaderLength else { return true }
            let header = heldHeader
            heldHeader.removeAll(keepingCapacity: true)
            if !beginFrame(header, at: 0) {
                guard header.withUnsafeBytes(deliver) else { return false }
            }
        }

        while index < end {
            if prefaceRemaining > 0 {
                let taken = min(prefaceRemaining, end - index)
                prefaceRemaining -= taken
                index += taken
            } else if payloadRemaining > 0 {
                let taken = min(payloadRemaining, end - index)
                payloadRemaining -= taken
                index += taken
            } else if end - index >= Self.frameHeaderLength {
                if beginFrame(input, at: index) {
                    if index > runStart {
                        guard deliver(UnsafeRawBufferPointer(rebasing: input[runStart..<index])) else { return false }
                    }
                    runStart = index + Self.frameHeaderLength
                }
                index += Self.frameHeaderLength
            } else {
                heldHeader.append(contentsOf: input[index..<end])
                if index > runStart {
                    return deliver(UnsafeRawBufferPointer(rebasing: input[runStart..<index]))
                }
                return true
            }
        }
        if end > runStart {
            return deliver(UnsafeRawBufferPointer(rebasing: input[runStart..<end]))
        }
        return true
    }

    /// Takes in the 9-byte frame header at `offset`: notes its payload length and whether a
    /// header block is open. True when the frame is an ACK to drop (it has no payload, so nothing
    /// of it follows).
    private mutating func beginFrame<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> Bool
    where Bytes.Index == Int {
        let start = bytes.startIndex + offset
        let length = Int(bytes[start]) << 16 | Int(bytes[start + 1]) << 8 | Int(bytes[start + 2])
        let type = bytes[start + 3]
        let flags = bytes[start + 4]
        var isAck = false
        if type == 0x4, flags & 0x1 != 0, length == 0, sawFirstFrame, !inHeaderBlock {
            isAck = bytes[start + 5] & 0x7F == 0 && bytes[start + 6] == 0 && bytes[start + 7] == 0 && bytes[start + 8] == 0
        }
        sawFirstFrame = true
        switch type {
        case 0x1, 0x5: inHeaderBlock = flags & 0x4 == 0  // HEADERS, PUSH_PROMISE: END_HEADERS?
        case 0x9 where flags & 0x4 != 0: inHeaderBlock = false  // CONTINUATION with END_HEADERS
        default: break
        }
        payloadRemaining = length
        return isAck
    }
}
