import NIOCore
import RPC

/// One client connection: a thin channel handler around a loop-confined nghttp2 session,
/// multiplexing calls as streams.
final class ClientConnectionHandler: ChannelInboundHandler, InboundFlowControl, OutputPump {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let config: HTTP2ClientTransport.Config
    private(set) var session: Nghttp2Session!
    var streams: [Int32: ClientStream] = [:]
    private(set) var context: ChannelHandlerContext?
    /// Called once when the connection takes no new calls (GOAWAY received, or closed), with
    /// whether it ended gracefully: a working HTTP/2 server (its SETTINGS arrived) sent
    /// GOAWAY(NO_ERROR), as one does at its maximum connection age or when draining.
    let onUnusable: @Sendable (_ graceful: Bool) -> Void
    private(set) var usable = true
    /// The server's SETTINGS arrived: something speaking HTTP/2 answered.
    var peerSettingsReceived = false
    var output = OutputPumpState()
    private var closed = false
    let authority: String
    /// The request headers of the call being started (see `start`).
    private var requestHeaders = HeaderBlock(capacity: 12)
    /// `:method` and `:scheme` (`https` when the connection is TLS), prebuilt.
    private let requestPrefix: ConstantHeaderBlock
    /// zlib streams shared by every call on the connection, made on first use.
    let compressors = MessageCompressors()
    let framer: MessageFramer
    /// Keepalive PINGs: when the next is due (nil when `config.keepalive` sends none) and the timer.
    var keepalive: ClientKeepalive?
    var keepaliveTimer: Scheduled<Void>?

    init(config: HTTP2ClientTransport.Config, onUnusable: @escaping @Sendable (_ graceful: Bool) -> Void) {
        self.config = config
        self.framer = MessageFramer(maxMessageSize: config.maxSendMessageSize)
        self.onUnusable = onUnusable
        self.authority = config.authority ?? "\(config.host):\(config.port)"
        self.requestPrefix = HeaderBlock.requestPrefix(tls: config.tls != nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        session = Nghttp2Session(options: .init(isServer: false), delegate: self)
        session.submitSettings([
            (.enablePush, 0),
            (.initialWindowSize, UInt32(config.initialWindowSize)),
        ])
        session.setConnectionWindowSize(config.connectionWindowSize)
        if context.channel.isActive {
            writeOutput(flush: true)
            startKeepalive(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopKeepalive()
        failAll(RPCError(code: .unavailable, message: "connection closed"))
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        writeOutput(flush: true)
        startKeepalive(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopKeepalive()
        failAll(RPCError(code: .unavailable, message: "connection closed"))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        keepaliveReceived()
        output.reading = true
        let ok = buffer.withUnsafeReadableBytes { session.receive($0) }
        output.reading = false
        writeOutput(flush: false)
        if !ok { close() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        writeOutput(flush: true)
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { writeOutput(flush: true) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close()
    }

    /// Bytes the caller took: open the windows again.
    func release(streamID: Int32, count: Int) {
        session.consume(streamID: streamID, count: count)
        requestFlush()
    }

    var outputClosed: Bool { closed }

    /// A connection that takes no new calls closes once its last call has ended.
    func outputWritten() {
        if !usable && streams.isEmpty { close() }
    }

    func close() {
        guard !closed, let context else { return }
        flushOutput()
        closed = true
        markUnusable()
        context.close(promise: nil)
    }

    /// Fails every open call with `error` and closes: the connection is dead.
    func abandon(_ error: RPCError) {
        failAll(error)
        close()
    }

    /// Takes no new calls and closes once the open ones have ended.
    func drain() {
        markUnusable()
        if streams.isEmpty { close() }
    }

    func markUnusable(graceful: Bool = false) {
        guard usable else { return }
        usable = false
        onUnusable(graceful)
    }

    private func failAll(_ error: RPCError) {
        markUnusable()
        let open = streams.values
        streams.removeAll()
        for stream in open {
            stream.finish(.failure(error))
            stream.inbound.flowControl = nil
            stream.connection = nil
        }
    }

    // MARK: Calls

    /// Opens the stream of a call: submits the request headers (DATA follows as written).
    /// Request messages are compressed with `compression` when it is set.
    func start(_ stream: ClientStream, path: String, metadata: Metadata, timeout: Duration?, compression: CompressionAlgorithm?) {
        guard usable, !closed, let context else {
            stream.notProcessed = true
            return stream.finish(.failure(RPCError(code: .unavailable, message: "connection is going away")))
        }
        // One block per connection, refilled per call: its buffers stop growing after the
        // first calls, and the constant fields are prebuilt (`HeaderBlock.requestPrefix(tls:)`).
        requestHeaders.removeAll(prefix: requestPrefix, suffix: HeaderBlock.requestSuffix)
        requestHeaders.add(":path", path)
        requestHeaders.add(":authority", authority)
        if let timeout { requestHeaders.addTimeout(timeout) }
        if let compression { requestHeaders.add("grpc-encoding", compression.name) }
        requestHeaders.add(metadata: metadata)
        guard let id = session.submitRequest(headers: requestHeaders) else {
            stream.notProcessed = true
            return stream.finish(.failure(RPCError(code: .unavailable, message: "connection cannot open more streams")))
        }
        stream.id = id
        stream.connection = self
        streams[id] = stream
        stream.inbound.streamID = id
        stream.inbound.flowControl = self
        stream.inbound.compressors = compressors
        stream.requestEncoding = compression
        if let timeout {
            // A scheduled callback, not a task: no promise, future or closure per call. Only a
            // loop that is shutting down refuses it, and then the connection is going too.
            stream.deadline = try? context.eventLoop.assumeIsolated().scheduleCallback(
                in: .nanoseconds(timeout.nanoseconds), handler: stream)
        }
        requestFlush()
    }

    /// Opens a unary call's stream and sends its one request, half-closed; a request that cannot
    /// be sent (too large, say) cancels the stream with its status. Either way the outcome
    /// reaches whatever waits on `stream`.
    func startUnary(
        _ stream: ClientStream, path: String, request: [UInt8], metadata: Metadata, timeout: Duration?, compression: CompressionAlgorithm?
    ) {
        start(stream, path: path, metadata: metadata, timeout: timeout, compression: compression)
        guard !stream.isFinished else { return }
        do {
            try send(request, on: stream)
            endRequests(stream)
        } catch {
            cancel(stream, error: ServerConnectionHandler.status(of: error))
        }
    }

    /// Queues one request message.
    func send(_ message: [UInt8], on stream: ClientStream) throws {
        if case .failure(let error)? = stream.outcome { throw error }
        if stream.isFinished { throw RPCError(code: .cancelled, message: "the call has ended") }
        guard !stream.outbound.closed, let id = stream.id else {
            throw RPCError(code: .internal, message: "request stream already closed")
        }
        try framer.checkSendable(length: message.count)
        if let encoding = stream.requestEncoding, MessageCompression.automatic.compresses(length: message.count, encoding: encoding) {
            stream.outbound.append(message: compressors.compress(message, with: encoding), compressed: true)
        } else {
            stream.outbound.append(message: message)
        }
        resume(stream, id: id)
    }

    /// Half-closes the request side.
    func endRequests(_ stream: ClientStream) {
        guard !stream.outbound.closed, let id = stream.id else { return }
        stream.outbound.closed = true
        resume(stream, id: id)
    }

    private func resume(_ stream: ClientStream, id: Int32) {
        if stream.outbound.deferred {
            stream.outbound.deferred = false
            session.resumeData(streamID: id)
        }
        requestFlush()
    }

    /// Cancels a call: RST_STREAM(CANCEL) and fail it with `error`.
    func cancel(_ stream: ClientStream, error: RPCError) {
        guard !stream.isFinished else { return }
        if let id = stream.id {
            session.submitReset(streamID: id, error: .cancel)
        }
        stream.finish(.failure(error))
        requestFlush()
    }
}
