import NIOCore
import RPC

/// Keepalive PINGs (`HTTP2ClientTransport.Keepalive`): the handler's side of `ClientKeepalive`.
extension ClientConnectionHandler {
    /// Starts the timer once the connection is up.
    func startKeepalive(context: ChannelHandlerContext) {
        guard keepalive == nil, !outputClosed, let state = ClientKeepalive(config.keepalive, now: .now()) else { return }
        keepalive = state
        scheduleKeepaliveCheck(in: state.firstCheck, context: context)
    }

    func stopKeepalive() {
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
    }

    /// Something arrived from the peer: the connection is alive.
    func keepaliveReceived() {
        guard keepalive != nil else { return }
        keepalive?.received(at: .now())
    }

    /// The ACK of a PING arrived (called from inside nghttp2's receive).
    func keepalivePingAcknowledged() {
        guard let context, let next = keepalive?.pingAcknowledged(at: .now()) else { return }
        scheduleKeepaliveCheck(in: next, context: context)
    }

    private func scheduleKeepaliveCheck(in delay: TimeAmount, context: ChannelHandlerContext) {
        keepaliveTimer?.cancel()
        let bound = LoopBound(self, eventLoop: context.eventLoop)
        keepaliveTimer = context.eventLoop.scheduleTask(in: delay) {
            bound.run { $0.keepaliveTimerFired() }
        }
    }

    private func keepaliveTimerFired() {
        keepaliveTimer = nil
        guard !outputClosed, let context, var state = keepalive else { return }
        let action = state.timerFired(at: .now(), hasOpenCalls: !streams.isEmpty)
        keepalive = state
        switch action {
        case .wait(let delay):
            scheduleKeepaliveCheck(in: delay, context: context)
        case .ping(let deadline):
            session.submitPing()
            requestFlush()
            scheduleKeepaliveCheck(in: deadline, context: context)
        case .dead:
            let seconds = Double(state.timeout.nanoseconds) / 1e9
            abandon(RPCError(code: .unavailable, message: "the server did not answer a keepalive PING within \(seconds) s: connection closed"))
        }
    }
}
