import RPC

/// The rules of one server stream, free of I/O: given what happened, what to send. The
/// connection handler performs the actions; tests drive it without a socket.
struct ServerStreamStateMachine {
    enum Phase: Equatable {
        /// The request's header block is arriving.
        case receivingHeaders
        /// A unary call waits for its whole request before the handler starts.
        case awaitingRequest
        /// The handler runs.
        case running
        /// The response is complete (trailers or an error response submitted).
        case responded
    }

    private(set) var phase = Phase.receivingHeaders
    /// The peer half-closed (END_STREAM).
    private(set) var requestEnded = false
    private(set) var responseHeadersSent = false
    /// The handler's task runs (it may outlive the stream after a reset).
    private(set) var handlerActive = false
    /// The stream is closed in nghttp2.
    private(set) var closed = false

    enum HeadersAction: Equatable {
        /// Not a gRPC request: this HTTP status and a short text body; no handler runs.
        case respondHTTP(status: Int)
        /// Fails at once: one HEADERS frame with the status.
        case trailersOnly(RPCError)
        /// Too much handler work in flight on this connection: RST_STREAM(REFUSED_STREAM).
        case refuse
        /// A streaming method: start the handler now.
        case startHandler
        /// A unary method: wait for the request to end.
        case awaitRequest
    }

    /// The request's headers are complete. `isUnary` is nil when no method matches the path.
    mutating func headersReceived(_ classification: RequestClassification, isUnary: Bool?, atCapacity: Bool, endStream: Bool) -> HeadersAction {
        requestEnded = endStream
        switch classification {
        case .httpError(let status):
            phase = .responded
            return .respondHTTP(status: status)
        case .rpcError(let error):
            phase = .responded
            return .trailersOnly(error)
        case .call(let head):
            guard let isUnary else {
                phase = .responded
                return .trailersOnly(RPCError(code: .unimplemented, message: "unknown method \(head.path)"))
            }
            if atCapacity {
                phase = .responded
                return .refuse
            }
            if isUnary {
                phase = .awaitingRequest
                return .awaitRequest
            }
            phase = .running
            return .startHandler
        }
    }

    enum RequestEndAction: Equatable {
        case startUnary
        case failUnary(RPCError)
        /// Streaming: tell the reader the requests ended.
        case finishRequests
        case none
    }

    /// The peer ended its side; `unaryMessages` is how many messages a unary call received.
    mutating func requestEnded(unaryMessages: Int) -> RequestEndAction {
        requestEnded = true
        switch phase {
        case .awaitingRequest:
            guard unaryMessages == 1 else {
                phase = .responded
                let problem = unaryMessages == 0 ? "none" : "\(unaryMessages)"
                return .failUnary(RPCError(code: .unimplemented, message: "expected one request message, got \(problem)"))
            }
            phase = .running
            return .startUnary
        case .running:
            return .finishRequests
        case .receivingHeaders, .responded:
            return .none
        }
    }

    /// A unary call received a message; an error when there is more than one.
    mutating func unaryMessageReceived(count: Int) -> RPCError? {
        guard phase == .awaitingRequest, count > 1 else { return nil }
        phase = .responded
        return RPCError(code: .unimplemented, message: "expected one request message, got more")
    }

    mutating func handlerStarted() {
        handlerActive = true
    }

    mutating func handlerFinished() {
        handlerActive = false
    }

    enum SendAction: Equatable {
        /// Submit the response headers (with a data provider) first.
        case sendHeadersAndMessage
        case sendMessage
        /// The response is over or the stream is gone.
        case fail
    }

    /// The handler writes a message.
    mutating func sendMessage() -> SendAction {
        guard phase == .running, !closed else { return .fail }
        if responseHeadersSent { return .sendMessage }
        responseHeadersSent = true
        return .sendHeadersAndMessage
    }

    /// The handler sends its initial metadata; true when the headers must be submitted now.
    mutating func sendInitialMetadata() -> Bool {
        guard phase == .running, !closed, !responseHeadersSent else { return false }
        responseHeadersSent = true
        return true
    }

    enum FinishAction: Equatable {
        /// Headers never went out: one HEADERS frame with the status.
        case trailersOnly
        /// Trailers after the DATA already queued.
        case trailers
        case none
    }

    /// The handler finished (or the call failed): how to end the response.
    mutating func finish() -> FinishAction {
        guard phase != .responded, !closed else {
            phase = .responded
            return .none
        }
        phase = .responded
        return responseHeadersSent ? .trailers : .trailersOnly
    }

    enum DeadlineAction: Equatable {
        /// DEADLINE_EXCEEDED as Trailers-Only; cancel the handler. RST_STREAM(NO_ERROR) follows
        /// if the client is still sending.
        case trailersOnlyAndReset
        /// The response headers are out: DEADLINE_EXCEEDED trailers after the rest of the
        /// message being sent (later messages are dropped); cancel the handler. RST_STREAM(NO_ERROR)
        /// follows if the client is still sending.
        case trailersAndReset
        /// RST_STREAM(CANCEL) alone; cancel the handler. Only when the client's flow-control
        /// window cannot take what must precede the trailers: it is not reading.
        case reset
        case none
    }

    /// The request's deadline passed. `trailersCanGo` tells whether the client's windows can take
    /// the rest of the message in flight (at least one byte: nghttp2 pulls the trailers through
    /// the DATA source, which it does not call on a closed window).
    mutating func deadlineExpired(trailersCanGo: Bool) -> DeadlineAction {
        guard !closed else { return .none }
        switch phase {
        case .responded:
            return .none
        case .receivingHeaders, .awaitingRequest, .running:
            phase = .responded
            guard responseHeadersSent else { return .trailersOnlyAndReset }
            return trailersCanGo ? .trailersAndReset : .reset
        }
    }

    /// nghttp2 closed the stream; true when the handler must be cancelled.
    mutating func streamClosed() -> Bool {
        closed = true
        return handlerActive
    }

    /// A frame with END_STREAM went out: true when the peer is still sending, so RST_STREAM(NO_ERROR)
    /// must follow (gRPC: trailers before the client's END_STREAM).
    func needsResetAfterResponse() -> Bool {
        !requestEnded && !closed
    }
}
