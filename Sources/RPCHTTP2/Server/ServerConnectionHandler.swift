import EventLoopExecution
import NIOCore
import RPC

/// Asks a server connection to drain: GOAWAY, let open calls finish within `gracePeriod`, close.
struct ServerDrainEvent: Sendable {
    var gracePeriod: Duration
}

/// One server connection: a thin channel handler around a loop-confined nghttp2 session.
/// The rules live in `ServerConnectionStateMachine` and `ServerStreamStateMachine`.
///
/// Output is drained with `mem_send` only in `channelReadComplete` (never inside a callback),
/// once every byte of the read batch has passed through `mem_recv`: a protocol error in a frame
/// that arrived with a request wins over an answer submitted for it earlier in the batch, since
/// nghttp2 drops a queued answer for a stream it resets. Output caused by handler tasks is
/// drained once per event-loop tick.
///
/// Everything here runs on the channel's event loop (a `ChannelHandler`), so accesses to its
/// state cannot overlap; the properties every call touches are `@exclusivity(unchecked)`, whose
/// dynamic checks would cost ~4% of a call's CPU.
final class ServerConnectionHandler: ChannelInboundHandler, InboundFlowControl, OutputPump {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let config: RPCServer.Config
    let router: RPCRouter
    @exclusivity(unchecked) private(set) var session: Nghttp2Session!
    @exclusivity(unchecked) var streams: [Int32: ServerStream] = [:]
    @exclusivity(unchecked) var machine: ServerConnectionStateMachine
    @exclusivity(unchecked) private(set) var context: ChannelHandlerContext?
    /// The stream of the last lookup: nghttp2 calls back many times per frame for one stream.
    @exclusivity(unchecked) private var cachedStream: ServerStream?
    /// The metadata of the last call on this connection: a client repeats it on every call
    /// (`user-agent`, `authorization`), and a repeated field is then not read into Strings again.
    @exclusivity(unchecked) var lastRequestMetadata = Metadata()
    var taskExecutor: EventLoopTaskExecutor?
    var peer = ""
    let framer: MessageFramer
    /// zlib streams shared by every call on the connection, made on first use.
    let compressors = MessageCompressors()
    /// Keeps nghttp2 on the pending MAX_CONCURRENT_STREAMS, which refuses one stream too many
    /// instead of ending the connection.
    @exclusivity(unchecked) private var settingsAckFilter = SettingsAckFilter()

    /// Inside a read batch (channelRead … channelReadComplete) output waits for its end.
    @exclusivity(unchecked) var output = OutputPumpState()
    @exclusivity(unchecked) private var closing = false
    /// The session is over and the output side shut: bytes still arriving are dropped until the
    /// peer closes or `lingerTimeout` passes (see `finishGracefully`).
    private var lingering = false
    var prefaceTimer: Scheduled<Void>?
    var idleTimer: Scheduled<Void>?
    @exclusivity(unchecked) var idleSince: NIODeadline?
    var ageTimer: Scheduled<Void>?
    var graceTimer: Scheduled<Void>?

    /// Shared with the connection registry, which evicts the longest-idle connection for room.
    let activity: ConnectionActivity
    /// Whether a stream was ever opened; a connection that never asks for anything is closed
    /// after the preface window plus `unusedConnectionGrace`.
    @exclusivity(unchecked) var everUsed = false
    var unusedTimer: Scheduled<Void>?

    init(router: RPCRouter, config: RPCServer.Config, activity: ConnectionActivity = ConnectionActivity()) {
        self.router = router
        self.config = config
        self.activity = activity
        self.machine = ServerConnectionStateMachine(maxInFlightHandlers: config.maxInFlightHandlersPerConnection)
        self.framer = MessageFramer(maxMessageSize: config.maxSendMessageSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if config.handlerExecution == .eventLoop {
            taskExecutor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        }
        peer = ServerConnectionHandler.describe(context.channel.remoteAddress)
        session = Nghttp2Session(
            options: .init(
                isServer: true,
                maxContinuations: config.maxContinuations,
                streamResetBurst: UInt64(config.streamResetBurst),
                streamResetRate: UInt64(config.streamResetRatePerSecond)
            ), delegate: self)
        // nghttp2 never applies these locally (see SettingsAckFilter): only values it need not
        // know. A larger stream window is opened per stream instead (acceptCall).
        session.submitSettings([
            (.maxConcurrentStreams, UInt32(config.maxConcurrentStreams)),
            (.maxHeaderListSize, UInt32(config.maxHeaderListSize)),
            (.enablePush, 0),
        ])
        session.setConnectionWindowSize(config.connectionWindowSize)
        startTimers(context: context)
        if context.channel.isActive { writeOutput(flush: true) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        writeOutput(flush: true)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After GOAWAY the session takes nothing new; reading on only keeps the kernel from
        // answering unread bytes with RST (see finishGracefully).
        guard !lingering else { return }
        let buffer = unwrapInboundIn(data)
        output.reading = true
        let ok = buffer.withUnsafeReadableBytes { bytes in
            settingsAckFilter.filter(bytes) { session.receive($0) }
        }
        if !ok {
            // nghttp2 queued GOAWAY where the protocol asks for it: send it, then close.
            output.reading = false
            writeOutput(flush: true)
            close()
            return
        }
        // No draining here: NIO may deliver one socket read in several channelReads, and frames
        // in a later one must reach nghttp2 before anything answers an earlier one.
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        output.reading = false
        writeOutput(flush: true)
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { writeOutput(flush: true) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let drain = event as? ServerDrainEvent {
            beginDrain(gracePeriod: drain.gracePeriod)
        } else if event is ServerIdleEvictionEvent {
            beginDrain(gracePeriod: config.maxConnectionAgeGrace)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close()
    }

    // MARK: Output

    var outputClosed: Bool { closing }

    /// Ends the connection once the session is done (see `finishGracefully`).
    func outputWritten() {
        guard machine.shouldClose || (!session.wantsRead && !session.wantsWrite) else { return }
        flushOutput()
        finishGracefully()
    }

    func close() {
        guard !closing, let context else { return }
        closing = true
        context.close(promise: nil)
    }

    /// How long a finished connection waits for the peer to close after the server shut its
    /// output.
    static let lingerTimeout = TimeAmount.seconds(1)

    /// Ends a connection whose session is done (GOAWAY sent, no open streams) without losing
    /// the GOAWAY. A client that has not read the GOAWAY yet may still be sending a new call;
    /// closing a socket with unread input makes the kernel send RST, and the peer's kernel then
    /// drops the GOAWAY it had not read, so the client sees a reset connection (UNAVAILABLE)
    /// instead of a graceful GOAWAY it can retry around. So: shut the output (the peer reads
    /// every frame, then EOF), drop whatever still arrives, and close when the peer closes or
    /// after `lingerTimeout`.
    private func finishGracefully() {
        guard !closing, !lingering, let context else { return }
        lingering = true
        let me = LoopBound(self, eventLoop: context.eventLoop)
        let shutOutput = context.eventLoop.makePromise(of: Void.self)
        shutOutput.futureResult.whenFailure { _ in me.run { $0.close() } }
        context.close(mode: .output, promise: shutOutput)
        context.eventLoop.scheduleTask(in: Self.lingerTimeout) {
            me.run { $0.close() }
        }
    }

    // MARK: Streams

    /// Bytes a reader took: open the windows again.
    func release(streamID: Int32, count: Int) {
        session.consume(streamID: streamID, count: count)
        requestFlush()
    }

    /// The stream with this id, if open.
    func lookup(_ streamID: Int32) -> ServerStream? {
        if let cachedStream, cachedStream.id == streamID { return cachedStream }
        let found = streams[streamID]
        cachedStream = found
        return found
    }

    /// Removes a closed stream.
    func remove(_ streamID: Int32) -> ServerStream? {
        if cachedStream?.id == streamID { cachedStream = nil }
        return streams.removeValue(forKey: streamID)
    }

    // MARK: Lifecycle

    private func tearDown() {
        for timer in [prefaceTimer, idleTimer, ageTimer, graceTimer, unusedTimer] { timer?.cancel() }
        let open = streams.values
        streams.removeAll()
        cachedStream = nil
        for stream in open {
            stream.failure = stream.failure ?? RPCError(code: .unavailable, message: "connection closed")
            stream.deadlineTimer?.cancel()
            if stream.machine.streamClosed() { stream.task?.cancel() }
            stream.inbound?.fail(stream.endedError)
            stream.outbound.fail(stream.endedError)
            stream.inbound?.flowControl = nil
            stream.connection = nil
        }
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "" }
        switch address {
        case .v6: return "ipv6:[\(ip)]:\(port)"
        default: return "ipv4:\(ip):\(port)"
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
