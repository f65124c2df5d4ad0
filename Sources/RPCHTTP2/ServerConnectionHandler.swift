internal import CNghttp2
import NIOCore
import RPC

/// Asks a server connection to drain: GOAWAY, let open calls finish within `gracePeriod`, close.
struct ServerDrainEvent: Sendable {
    var gracePeriod: Duration
}

/// One server connection: a thin channel handler around a loop-confined nghttp2 session.
/// The rules live in `ServerConnectionStateMachine` and `ServerStreamStateMachine`.
///
/// Output is drained with `mem_send` only after `mem_recv` returns (never inside a callback),
/// coalesced into one buffer per read and flushed in `channelReadComplete`; output caused by
/// handler tasks is drained once per event-loop tick.
final class ServerConnectionHandler: ChannelInboundHandler, InboundFlowControl {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let config: RPCServer.Config
    let router: RPCRouter
    private(set) var session: Nghttp2Session!
    var streams: [Int32: ServerStream] = [:]
    var machine: ServerConnectionStateMachine
    private(set) var context: ChannelHandlerContext?
    /// The stream of the last lookup: nghttp2 calls back many times per frame for one stream.
    private var cachedStream: ServerStream?
    var taskExecutor: EventLoopTaskExecutor?
    var peer = ""
    let framer: MessageFramer

    /// Inside channelRead: output is written at channelReadComplete.
    private var reading = false
    private var drainScheduled = false
    private var unflushed = false
    private var closing = false
    private var prefaceTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var idleSince: NIODeadline?
    private var ageTimer: Scheduled<Void>?
    private var graceTimer: Scheduled<Void>?

    init(router: RPCRouter, config: RPCServer.Config) {
        self.router = router
        self.config = config
        self.machine = ServerConnectionStateMachine(maxInFlightHandlers: config.maxInFlightHandlersPerConnection)
        self.framer = MessageFramer(maxMessageSize: config.maxSendMessageSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if config.handlerExecution == .eventLoop {
            taskExecutor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        }
        peer = ServerConnectionHandler.describe(context.channel.remoteAddress)
        session = Nghttp2Session(options: .init(
            isServer: true,
            maxContinuations: config.maxContinuations,
            streamResetBurst: UInt64(config.streamResetBurst),
            streamResetRate: UInt64(config.streamResetRatePerSecond)
        ), delegate: self)
        session.submitSettings([
            (Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), UInt32(config.maxConcurrentStreams)),
            (Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), UInt32(config.initialWindowSize)),
            (Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), UInt32(config.maxHeaderListSize)),
            (Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), 0),
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
        let buffer = unwrapInboundIn(data)
        reading = true
        let ok = buffer.withUnsafeReadableBytes { session.receive($0) }
        if !ok {
            // nghttp2 queued GOAWAY where the protocol asks for it: send it, then close.
            reading = false
            writeOutput(flush: true)
            close()
            return
        }
        writeOutput(flush: false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
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
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close()
    }

    // MARK: Output

    /// Something was submitted outside channelRead: drain once this loop tick.
    func requestFlush() {
        guard !reading, !drainScheduled, let context else { return }
        drainScheduled = true
        let me = LoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            me.run { handler in
                handler.drainScheduled = false
                handler.writeOutput(flush: true)
            }
        }
    }

    /// Drains nghttp2's output into one buffer and writes it; closes when the session is done.
    func writeOutput(flush: Bool) {
        guard let context, session != nil, !closing else { return }
        while context.channel.isWritable {
            var buffer = context.channel.allocator.buffer(capacity: 4096)
            guard session.drain(into: &buffer, limit: 256 * 1024) else {
                close()
                return
            }
            guard buffer.readableBytes > 0 else { break }
            context.write(wrapOutboundOut(buffer), promise: nil)
            unflushed = true
        }
        if flush && unflushed {
            unflushed = false
            context.flush()
        }
        if machine.shouldClose || (!session.wantsRead && !session.wantsWrite) {
            if unflushed {
                unflushed = false
                context.flush()
            }
            close()
        }
    }

    func close() {
        guard !closing, let context else { return }
        closing = true
        context.close(promise: nil)
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
        for timer in [prefaceTimer, idleTimer, ageTimer, graceTimer] { timer?.cancel() }
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

    private func startTimers(context: ChannelHandlerContext) {
        let me = LoopBound(self, eventLoop: context.eventLoop)
        prefaceTimer = context.eventLoop.scheduleTask(in: .nanoseconds(config.prefaceTimeout.nanoseconds)) {
            me.run { handler in
                if handler.machine.prefaceTimedOut() { handler.close() }
            }
        }
        markIdle()
        if let age = config.maxConnectionAge {
            let jitter = Double.random(in: -config.maxConnectionAgeJitter...config.maxConnectionAgeJitter)
            let nanoseconds = max(0, Int64(Double(age.nanoseconds) * (1 + jitter)))
            ageTimer = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
                me.run { $0.beginDrain(gracePeriod: $0.config.maxConnectionAgeGrace) }
            }
        }
    }

    /// The connection just became idle: arm the idle timer if it is not armed.
    func markIdle() {
        guard machine.isIdle, let context else { return }
        idleSince = .now()
        guard idleTimer == nil else { return }
        scheduleIdleCheck(after: config.idleTimeout, context: context)
    }

    /// A stream opened: the connection is busy.
    func markBusy() {
        idleSince = nil
    }

    private func scheduleIdleCheck(after delay: Duration, context: ChannelHandlerContext) {
        let me = LoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) {
            me.run { handler in
                handler.idleTimer = nil
                let idleFor = handler.idleSince.map { Duration.nanoseconds((NIODeadline.now() - $0).nanoseconds) }
                switch handler.machine.idleTimerFired(idleFor: idleFor, timeout: handler.config.idleTimeout) {
                case .drain: handler.beginDrain(gracePeriod: .zero)
                case .recheck(let after):
                    if let context = handler.context { handler.scheduleIdleCheck(after: after, context: context) }
                case .none: break
                }
            }
        }
    }

    /// GOAWAY, then close once open streams finish or `gracePeriod` passes.
    func beginDrain(gracePeriod: Duration) {
        guard let context, machine.beginDrain() else { return }
        session.submitGoaway(lastStreamID: session.lastProcessedStreamID, errorCode: NGHTTP2_NO_ERROR.rawValue)
        let me = LoopBound(self, eventLoop: context.eventLoop)
        graceTimer = context.eventLoop.scheduleTask(in: .nanoseconds(gracePeriod.nanoseconds)) {
            me.run { handler in
                handler.writeOutput(flush: true)
                handler.close()
            }
        }
        if reading { return }
        writeOutput(flush: true)
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
