import RPC

/// When a client has a connection to use, when it connects, and when it fails fast: the rules
/// of reconnection with exponential backoff, free of I/O. `Connection` is whatever the
/// transport keeps for a live connection.
struct ClientConnectionStateMachine<Connection> {
    /// Exponential backoff between connection attempts (gRPC connection-backoff.md).
    struct Backoff: Sendable, Hashable {
        var initial: Duration
        var multiplier: Double
        var maximum: Duration
        /// Each delay is randomised by ±this fraction.
        var jitter: Double

        static var defaults: Backoff { Backoff(initial: .seconds(1), multiplier: 1.6, maximum: .seconds(120), jitter: 0.2) }
    }

    enum State {
        case idle
        case connecting
        case ready(Connection)
        /// The last attempt failed; calls fail fast until `until`.
        case backingOff(until: ContinuousClock.Instant, error: RPCError)
    }

    private(set) var state = State.idle
    let backoff: Backoff
    private var nextDelay: Duration

    init(backoff: Backoff) {
        self.backoff = backoff
        self.nextDelay = backoff.initial
    }

    enum CallAction {
        case use(Connection)
        /// Start a connection attempt and wait for it.
        case connect
        /// An attempt is running: wait for it.
        case wait
        /// Fail now with UNAVAILABLE.
        case fail(RPCError)
    }

    /// A call wants a connection.
    mutating func callRequested(now: ContinuousClock.Instant) -> CallAction {
        switch state {
        case .ready(let connection):
            return .use(connection)
        case .connecting:
            return .wait
        case .idle:
            state = .connecting
            return .connect
        case .backingOff(let until, let error):
            guard now >= until else { return .fail(error) }
            state = .connecting
            return .connect
        }
    }

    /// The attempt succeeded; the backoff starts over.
    mutating func connected(_ connection: Connection) {
        state = .ready(connection)
        nextDelay = backoff.initial
    }

    /// The attempt failed: fail calls fast for the next backoff delay. Returns that delay.
    @discardableResult
    mutating func connectFailed(_ error: RPCError, now: ContinuousClock.Instant, random: Double = Double.random(in: -1...1)) -> Duration {
        let delay = nextDelay * (1 + backoff.jitter * random)
        state = .backingOff(until: now + delay, error: error)
        nextDelay = min(backoff.maximum, nextDelay * backoff.multiplier)
        return delay
    }

    /// The ready connection stopped taking calls (GOAWAY or closed): the next call connects anew.
    /// `isCurrent` tells whether the event is about the connection in `.ready`.
    mutating func connectionUnusable(isCurrent: (Connection) -> Bool) {
        if case .ready(let connection) = state, isCurrent(connection) {
            state = .idle
        }
    }

    /// The transport is closing.
    mutating func shutDown(error: RPCError) {
        state = .backingOff(until: .now + .seconds(Int64.max / 2), error: error)
    }
}
