import NIOCore

/// When a client connection sends a keepalive PING and when it gives up on the ACK, free of
/// I/O. The handler keeps one timer: it asks `timerFired` what to do each time it goes off,
/// and schedules the next one for the delay it is given.
struct ClientKeepalive {
    enum Action: Equatable {
        /// Nothing to send: check again after this long.
        case wait(TimeAmount)
        /// Send a PING and check again after this long (the ACK's deadline).
        case ping(deadlineIn: TimeAmount)
        /// The PING went unanswered: the connection is dead.
        case dead
    }

    let time: TimeAmount
    let timeout: TimeAmount
    let withoutCalls: Bool
    /// When something last arrived from the peer.
    private(set) var lastReceived: NIODeadline
    /// When the PING that waits for its ACK was sent.
    private(set) var pingSentAt: NIODeadline?

    /// nil when `config` sends no PINGs.
    init?(_ config: HTTP2ClientTransport.Keepalive, now: NIODeadline) {
        guard let time = config.time, time > .zero else { return nil }
        self.time = .nanoseconds(max(1, time.nanoseconds))
        self.timeout = .nanoseconds(max(1, config.timeout.nanoseconds))
        self.withoutCalls = config.withoutCalls
        self.lastReceived = now
    }

    /// The delay before the first check.
    var firstCheck: TimeAmount { time }

    /// Bytes arrived from the peer.
    mutating func received(at now: NIODeadline) {
        lastReceived = now
    }

    /// The PING's ACK arrived. Returns the delay before the next check, or nil when no PING
    /// was waiting (an ACK of nothing we sent is ignored).
    mutating func pingAcknowledged(at now: NIODeadline) -> TimeAmount? {
        guard pingSentAt != nil else { return nil }
        pingSentAt = nil
        lastReceived = now
        return time
    }

    /// The timer went off.
    mutating func timerFired(at now: NIODeadline, hasOpenCalls: Bool) -> Action {
        if let sent = pingSentAt {
            let deadline = sent + timeout
            return now >= deadline ? .dead : .wait(deadline - now)
        }
        let quietUntil = lastReceived + time
        if now < quietUntil { return .wait(quietUntil - now) }
        guard hasOpenCalls || withoutCalls else { return .wait(time) }
        pingSentAt = now
        return .ping(deadlineIn: timeout)
    }
}
